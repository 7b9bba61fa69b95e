/**
 * Add roles to the ID token.
 *
 * Copies the roles stored in app_metadata (managed by the admin portal)
 * into a namespaced claim so the SPA can toggle the admin screens.
 *
 * @param {object} user - the Auth0 user profile
 * @param {object} context - the login transaction context
 * @param {function} callback - must be called exactly once
 */
function addRoles(user, context, callback) {
  var namespace = 'https://portal.acme-corp.com/';
  var roles = (user.app_metadata && user.app_metadata.roles) || [];

  context.idToken[namespace + 'roles'] = roles;
  context.accessToken[namespace + 'roles'] = roles;

  callback(null, user, context);
}
