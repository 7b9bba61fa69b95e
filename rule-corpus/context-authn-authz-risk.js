/*
 * Admin console guard:
 *  - must have the "admin" role (RBAC)
 *  - must have completed MFA in this session
 *  - low-confidence logins (Adaptive MFA risk score) are refused
 */
function (user, context, callback) {
  const ADMIN_CONSOLE = 'Qm7Tn2Vb5Xc8Zl1Kj4Hg6Fd3Sa9Pw0Oe';
  if (context.clientID !== ADMIN_CONSOLE) {
    return callback(null, user, context);
  }

  const roles = context.authorization.roles || [];
  const didMfa = context.authentication.methods.find(m => m.name === 'mfa');

  if (!roles.includes('admin')) {
    return callback(new UnauthorizedError('Admins only'));
  }
  if (!didMfa) {
    return callback(new UnauthorizedError('MFA required for the admin console'));
  }
  if (context.riskAssessment && context.riskAssessment.confidence === 'low') {
    return callback(new UnauthorizedError('Login looks risky, please contact IT'));
  }

  callback(null, user, context);
}
