function guardAdminConsole(user, context, callback) {
  const ADMIN_CLIENTS = ['9fGdWcH1xQ2kLr', 'tP0s8ZfYq3mNvB'];
  const NAMESPACE = 'https://admin.example.com/';

  // Shared with the other admin rules: keep in sync.
  function isPrivileged(user, context) {
    const roles = (context.authorization && context.authorization.roles) || [];
    return user.email_verified && roles.indexOf('admin') !== -1;
  }

  function addConsoleClaims(user, context, level) {
    context.idToken[NAMESPACE + 'level'] = level;
    context.idToken[NAMESPACE + 'email'] = user.email;
  }

  if (ADMIN_CLIENTS.indexOf(context.clientID) === -1) {
    return callback(null, user, context);
  }

  if (!isPrivileged(user, context)) {
    return callback(new UnauthorizedError('The admin console is for administrators only.'));
  }

  addConsoleClaims(user, context, 'full');
  callback(null, user, context);
}
