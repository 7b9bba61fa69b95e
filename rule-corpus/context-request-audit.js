/**
 * Attach request details to the access token for the audit service, and
 * refuse tokens for the payments API unless the login came through our
 * own custom domain.
 */
function auditRequestDetails(user, context, callback) {
  var audience = context.request.query.audience ||
    (context.request.body && context.request.body.audience);

  context.accessToken['https://audit.payflow.com/ip'] = context.request.ip;
  context.accessToken['https://audit.payflow.com/host'] = context.request.hostname;
  context.accessToken['https://audit.payflow.com/ua'] = context.request.userAgent;

  if (audience === 'https://api.payflow.com/payments' &&
      context.request.hostname !== 'login.payflow.com') {
    return callback(new UnauthorizedError('Payments API is only available via login.payflow.com'));
  }

  callback(null, user, context);
}
