/*
 * Runs AFTER the "add roles" rule. Reads back the roles claim that rule
 * put into the ID token, and strips the email from tokens issued to kiosk
 * accounts (kiosk screens are shared, the email must not show up).
 */
function (user, context, callback) {
  var roles = context.idToken['https://x.example.com/roles'] || [];

  if (roles.indexOf('kiosk') !== -1) {
    delete context.idToken.email;
    context.idToken['https://x.example.com/kiosk'] = true;
  }

  callback(null, user, context);
}
