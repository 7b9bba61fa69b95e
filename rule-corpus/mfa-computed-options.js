/**
 * MFA for the treasury app. Options are assembled step by step because
 * the remember-browser setting depends on the network the login came from.
 * Everyone else with MFA enrolled is challenged on every login.
 */
function treasuryMfa(user, context, callback) {
  var TREASURY_CLIENT = configuration.TREASURY_CLIENT_ID;
  var officeRange = /^10\.20\./;

  if (context.clientID === TREASURY_CLIENT) {
    var mfaOptions = { provider: 'guardian' };
    mfaOptions.allowRememberBrowser = officeRange.test(context.request.ip);
    context.multifactor = mfaOptions;
  } else if (user.multifactor && user.multifactor.length > 0) {
    context.multifactor = { provider: 'any', ignoreCookie: true };
  }

  callback(null, user, context);
}
