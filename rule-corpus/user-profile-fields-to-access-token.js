// Copy a handful of profile fields into the access token for the
// orders API, which has no access to /userinfo.
function (user, context, callback) {
  var ns = 'https://orders.shopwave.com/';
  var prefs = user.user_metadata || {};

  context.accessToken[ns + 'email'] = user.email;
  context.accessToken[ns + 'email_verified'] = user.email_verified;
  context.accessToken[ns + 'display_name'] = user.name || user.nickname;
  context.accessToken[ns + 'uid'] = user.user_id;
  context.accessToken[ns + 'currency'] = prefs.currency || 'USD';

  // logins_count still lives on the root profile for this tenant
  if (user.logins_count && user.logins_count > 1) {
    context.accessToken[ns + 'returning_customer'] = true;
  }

  callback(null, user, context);
}
