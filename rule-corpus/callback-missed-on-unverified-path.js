// Lets verified users through and, by mistake, never calls back for the
// others: in Rules their logins timed out.
function (user, context, callback) {
  if (user.email_verified) {
    return callback(null, user, context);
  }
  console.log('unverified');
}
