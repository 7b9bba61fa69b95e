// HR is the source of truth for names and photos (synced nightly into
// app_metadata.hr). Override the standard OIDC profile claims so every app
// shows the HR values instead of whatever the IdP sent.
function hrProfileOverrides(user, context, callback) {
  var hr = (user.app_metadata && user.app_metadata.hr) || {};

  if (hr.verified_email) {
    context.idToken.email_verified = true;
  }
  context.idToken.name = hr.display_name || user.name;
  context.idToken.picture = hr.photo_url || user.picture;
  context.idToken.locale = hr.locale || "en-US";

  callback(null, user, context);
}
