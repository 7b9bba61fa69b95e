function (user, context, callback) {
  user.app_metadata = user.app_metadata || {};
  const previous = user.app_metadata.last_login_at;

  context.idToken['https://example.com/previous_login'] = previous || null;

  // Don't make the user wait for the write.
  callback(null, user, context);

  user.app_metadata.last_login_at = new Date().toISOString();
  user.app_metadata.login_ip = context.request.ip;
  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .catch(function (err) {
      console.log('could not record the login: ' + err.message);
    });
}
