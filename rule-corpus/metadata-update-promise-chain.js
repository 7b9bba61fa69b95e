/**
 * Persist roles derived from the email domain, the first time we see
 * the user. Uses the built-in auth0 management client and its promise.
 */
function persistDomainRoles(user, context, callback) {
  user.app_metadata = user.app_metadata || {};
  if (user.app_metadata.roles) {
    return callback(null, user, context);
  }

  const domain = (user.email || '').split('@')[1];
  const roles = domain === 'example.com' ? ['employee'] : ['customer'];

  user.app_metadata.roles = roles;
  context.idToken['https://example.com/roles'] = roles;

  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .then(() => callback(null, user, context))
    .catch(callback);
}
