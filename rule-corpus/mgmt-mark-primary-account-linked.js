// After the linking service merged a social login into a database account,
// record on the *primary* account which identities it absorbed, so the
// support console can show it. The primary id comes from our own metadata.
function recordLinkedIdentity(user, context, callback) {
  var primaryId = (user.app_metadata || {}).linked_into;
  if (!primaryId) {
    return callback(null, user, context);
  }

  auth0.users.updateAppMetadata(primaryId, { last_linked_identity: user.user_id, last_linked_at: new Date().toISOString() })
    .then(function () {
      context.idToken['https://support.example.com/linked_into'] = primaryId;
      callback(null, user, context);
    })
    .catch(function (err) {
      console.error('could not annotate the primary account', err);
      callback(null, user, context); // never block the login on bookkeeping
    });
}
