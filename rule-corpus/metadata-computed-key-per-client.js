// The data-protection team needs, per application, the date a user first
// used it (for the "apps with access to your data" page). One key per
// client in app_metadata, e.g. first_seen_Hx81..., written once.
function recordFirstUsePerApp(user, context, callback) {
  const key = 'first_seen_' + context.clientID;
  user.app_metadata = user.app_metadata || {};

  if (user.app_metadata[key]) {
    return callback(null, user, context);
  }

  user.app_metadata[key] = new Date().toISOString().slice(0, 10);
  const known = user.app_metadata.apps_used || [];
  if (known.indexOf(context.clientName) === -1) {
    user.app_metadata.apps_used = known.concat([context.clientName]);
  }

  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .then(function () {
      callback(null, user, context);
    })
    .catch(function (err) {
      callback(err);
    });
}
