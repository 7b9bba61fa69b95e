/**
 * Remembers the device fingerprint the mobile app sends on the authorize request, with the
 * helper library's user-update utilities, and asks for MFA when a known user shows up on a
 * different device.
 */
function rememberDevice(user, context, callback) {
  const { Auth0UserUpdateUtilities } = require('@auth0/rule-utilities@0.2.0');
  const userUtils = new Auth0UserUpdateUtilities(user, auth0);

  const fingerprint = context.request.query.device_fp;
  if (!fingerprint) {
    return callback(null, user, context);
  }

  const known = userUtils.getUserMeta('device_fp');
  if (known && known !== fingerprint) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }

  userUtils.setUserMeta('device_fp', fingerprint);
  userUtils.updateUserMeta();
  callback(null, user, context);
}
