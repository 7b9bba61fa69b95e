/**
 * Force a fresh password login for the payroll app: if the user arrived
 * through an existing Auth0 SSO session that was not established with a
 * database connection, refuse and make them sign in again.
 */
function requireFreshPasswordLogin(user, context, callback) {
  if (context.clientName !== 'Payroll') {
    return callback(null, user, context);
  }

  if (context.sso.with_auth0 && !context.sso.with_dbconn) {
    return callback(new UnauthorizedError('Please log in again with your password'));
  }

  callback(null, user, context);
}
