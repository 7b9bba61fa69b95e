// Azure AD: only allow users whose email matches the directory's primary
// domain. tenant_domain comes from the connection's own settings.
function (user, context, callback) {
  if (context.connectionStrategy !== 'waad') {
    return callback(null, user, context);
  }

  var tenantDomain = context.connectionOptions.tenant_domain;
  var emailDomain = (user.email || '').split('@')[1];

  if (emailDomain !== tenantDomain) {
    return callback(new UnauthorizedError('Use your ' + tenantDomain + ' account'));
  }

  context.idToken['https://hr.contoso-demo.com/aad_tenant'] = tenantDomain;
  callback(null, user, context);
}
