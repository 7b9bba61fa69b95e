// Clean-up after the 2022 incident: the plan used to live in user_metadata,
// which users can edit through the profile API. Move it to app_metadata and
// remove the user-editable copy, both in the same login.
function (user, context, callback) {
  var userMeta = user.user_metadata || {};
  var appMeta = user.app_metadata || {};

  if (userMeta.plan === undefined) {
    return callback(null, user, context);
  }

  // never trust the user-editable value if we already have the real one
  if (!appMeta.plan) {
    appMeta.plan = userMeta.plan === 'enterprise' ? 'free' : userMeta.plan;
  }
  appMeta.plan_migrated = true;
  userMeta.plan = null;

  user.app_metadata = appMeta;
  user.user_metadata = userMeta;

  Promise.all([
    auth0.users.updateAppMetadata(user.user_id, user.app_metadata),
    auth0.users.updateUserMetadata(user.user_id, user.user_metadata)
  ]).then(function () {
    context.idToken['https://example.com/plan'] = appMeta.plan;
    callback(null, user, context);
  }).catch(function (err) {
    callback(err);
  });
}
