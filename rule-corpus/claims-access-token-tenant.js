// Multi-tenant API: the tenant id goes into the access token so the API
// can scope every query. Only applies when our API is the audience.
function (user, context, callback) {
  const API = 'https://api.example.com';
  if (context.request.query.audience !== API) {
    return callback(null, user, context);
  }

  const tenantId = user.app_metadata && user.app_metadata.tenant_id;
  if (!tenantId) {
    return callback(new UnauthorizedError('No tenant assigned to this account'));
  }

  context.accessToken['https://api.example.com/tenant'] = tenantId;
  context.accessToken['https://api.example.com/tenant_role'] = user.app_metadata.tenant_role || 'member';
  callback(null, user, context);
}
