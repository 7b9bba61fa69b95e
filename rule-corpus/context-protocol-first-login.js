// First-login onboarding flag.
// Refresh token exchanges don't count as a "login", so skip them.
function (user, context, callback) {
  if (context.protocol === 'oauth2-refresh-token') {
    return callback(null, user, context);
  }

  const firstLogin = context.stats.loginsCount === 1;

  context.idToken['https://app.fitlog.io/first_login'] = firstLogin;
  if (firstLogin) {
    context.idToken['https://app.fitlog.io/onboarding_step'] = 'welcome';
  }

  return callback(null, user, context);
}
