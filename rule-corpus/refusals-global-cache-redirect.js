// Send users to the terms-of-service site until they accept the current
// version. The ToS site needs a Management API token to record the
// acceptance; we cache it in `global` between executions.
function tosRedirect(user, context, callback) {
  const TOS_VERSION = '2024-03';
  const accepted = (user.app_metadata || {}).tos_version === TOS_VERSION;

  if (accepted || context.protocol === 'oauth2-refresh-token') {
    return callback(null, user, context);
  }

  if (!global.cachedToken || global.cachedTokenExpiry < Date.now()) {
    global.cachedToken = auth0.accessToken;
    global.cachedTokenExpiry = Date.now() + 10 * 60 * 1000;
  }

  context.redirect = {
    url: `https://tos.example.com/accept?v=${TOS_VERSION}&t=${encodeURIComponent(global.cachedToken)}`
  };

  return callback(null, user, context);
}
