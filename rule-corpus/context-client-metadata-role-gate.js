/**
 * Per-application role gate.
 * Each application can set clientMetadata.required_role in the dashboard.
 * The staging tenant skips the check entirely.
 */
function requireAppRole(user, context, callback) {
  const requiredRole = context.clientMetadata && context.clientMetadata.required_role;

  if (context.tenant === 'northwind-staging' || !requiredRole) {
    return callback(null, user, context);
  }

  const roles = (user.app_metadata && user.app_metadata.roles) || [];
  if (!roles.includes(requiredRole)) {
    return callback(new UnauthorizedError(`Missing role ${requiredRole} for ${context.clientName}`));
  }

  context.idToken['https://northwind.io/app_role'] = requiredRole;
  callback(null, user, context);
}
