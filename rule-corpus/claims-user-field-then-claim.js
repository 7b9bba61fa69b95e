// Department for the expense app. Stored on `user` first because the
// approval-chain rule that runs after this one reads user.department too.
function departmentClaim(user, context, callback) {
    user.department = (user.user_metadata || {}).department || 'none';

    if (user.department === 'none') {
        console.log('no department for ' + user.user_id + ', expenses go to the default approver');
    }

    // the expense app picks the approval chain from this claim
    context.idToken['https://example.com/department'] = user.department;

    callback(null, user, context);
}
