/**
 * Sends users whose phone number is not verified to the phone-verification page. The redirect
 * helper object is handed to a function of the rule.
 */
function verifyPhone(user, context, callback) {
  const { Auth0RedirectRuleUtilities } = require('@auth0/rule-utilities@0.1.0');
  const utils = new Auth0RedirectRuleUtilities(user, context, configuration);

  function sendToVerification(redirect) {
    if (redirect.canRedirect) {
      redirect.doRedirect(configuration.PHONE_VERIFY_URL);
    }
  }

  if (user.phone_number && !user.phone_verified) {
    sendToVerification(utils);
  }
  callback(null, user, context);
}
