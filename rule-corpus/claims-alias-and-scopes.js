// Claims written through aliases of the token objects, and access-token scopes
// replaced from the requested scopes or with a fixed list for one client.
function (user, context, callback) {
  var claims = context.idToken || {};
  const at = context.accessToken, limit = 3;
  claims['https://example.com/roles'] = user.app_metadata.roles;
  at['https://example.com/limit'] = limit;
  Object.assign(at, { 'https://example.com/x': 1 });
  context.idToken = claims;
  var requested = (context.request.query.scope || '').split(' ');
  context.accessToken.scope = requested.filter(function (s) { return s !== 'admin'; });
  if (context.clientName === 'Reports') {
    context.accessToken.scope = 'openid read:reports';
  }
  callback(null, user, context);
}
