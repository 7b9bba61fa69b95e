/**
 * Step-up authentication.
 * MFA is triggered when the app asks for it via acr_values, or always for
 * the money-movement apps.
 */
function stepUp(user, context, callback) {
  const MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
  const SENSITIVE_CLIENTS = [
    'Tr4Ns3fErApP0000000000000000aaaa', // wire transfers
    'Pa7yR0lLaDm1n000000000000000bbbb'  // payroll admin
  ];

  const askedForMfa = context.request.query.acr_values === MFA_ACR;
  const sensitive = SENSITIVE_CLIENTS.includes(context.clientID);

  if (askedForMfa || sensitive) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }

  return callback(null, user, context);
}
