function partnerSsoOnly(user, context, callback) {
  const PARTNER_CONNECTIONS = ['partner-okta', 'partner-azure'];

  const fail = (why) => {
    console.log(`partner-sso: ${user.user_id} refused (${why})`);
    return callback(new UnauthorizedError('Sign in with your company account.'));
  };
  const pass = () => {
    context.accessToken['https://partners.example.com/tenant'] = user.app_metadata.partner_tenant;
    return callback(null, user, context);
  };

  if (context.clientMetadata && context.clientMetadata.audience_type !== 'partner') {
    return callback(null, user, context);
  }
  if (PARTNER_CONNECTIONS.indexOf(context.connection) === -1) {
    fail('connection ' + context.connection);
    return;
  }
  if (!user.app_metadata.partner_tenant) {
    return fail('no tenant');
  }
  pass();
}
