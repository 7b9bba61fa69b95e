// Remember the last application each user signed in to, for the launcher
// page. Older rule style: the update is started and the rule moves on
// without waiting for it.
function (user, context, callback) {
  user.user_metadata = user.user_metadata || {};
  user.user_metadata.last_app = context.clientName;
  user.user_metadata.last_login_country = context.request.geoip.country_code;
  auth0.users.updateUserMetadata(user.user_id, user.user_metadata);

  callback(null, user, context);
}
