function (user, context, callback) {
  // Roles should only be set to verified users.
  if (!user.email || !user.email_verified) {
    return callback(null, user, context);
  }

  user.app_metadata = user.app_metadata || {};

  const rolesFor = function (user) {
    if (user.email.endsWith('@corp.example.com')) {
      return ['staff'];
    }
    return ['customer'];
  };

  user.app_metadata.roles = rolesFor(user);
  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .then(function () {
      callback(null, user, context);
    })
    .catch(function (err) {
      callback(err);
    });
}
