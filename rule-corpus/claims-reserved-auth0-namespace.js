// Somebody used the tenant domain as the claim namespace years ago and the
// admin SPA still reads it. The beta flag came from an old webtask-based
// extension and kept that host as its prefix.
function (user, context, callback) {
  const roles = (user.app_metadata || {}).roles || [];

  context.idToken['https://mytenant.auth0.com/claims/roles'] = roles;
  context.idToken['https://x.webtask.run/flag'] = roles.includes('beta');

  callback(null, user, context);
}
