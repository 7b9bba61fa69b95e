// Copies the billing entitlements into the tokens; a malformed record was "skipped" with a
// bare return, which in Rules left the login hanging until it timed out.
function copyEntitlements(user, context, callback) {
  const ns = 'https://billing.example.org/';
  const entitlements = (user.app_metadata || {}).entitlements || {};
  if (typeof entitlements === 'object' && !Array.isArray(entitlements)) {
    Object.keys(entitlements).forEach(function (key) {
      context.idToken[ns + key] = entitlements[key];
    });
  } else {
    console.log('entitlements should be an object, got', typeof entitlements);
    return;
  }
  callback(null, user, context);
}
