/**
 * Private (non-namespaced) claims. Allowed since the July 2022 custom
 * claims change; the mobile app reads them straight off the ID token.
 */
function addPreferenceClaims(user, context, callback) {
  const prefs = user.user_metadata || {};

  context.idToken.favorite_color = prefs.favorite_color || 'blue';
  context.idToken.theme = prefs.dark_mode ? 'dark' : 'light';
  context.idToken['newsletter'] = Boolean(prefs.newsletter_opt_in);

  callback(null, user, context);
}
