// v2 gateway tokens: the gateway rejects tokens with unknown claims, so the
// access token gets exactly these two and nothing from earlier rules.
function v2GatewayClaims(user, context, callback) {
  var tenant = (user.app_metadata || {}).tenant;

  if (context.request.query.audience !== 'https://gateway.example.com/v2') {
    return callback(null, user, context);
  }
  if (!tenant) {
    return callback(new UnauthorizedError('No tenant assigned'));
  }

  context.accessToken = { 'https://example.com/scope_set': 'v2', 'https://example.com/tenant': tenant };

  callback(null, user, context);
}
