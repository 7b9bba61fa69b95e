// Partner SAML app: attribute mappings from the profile and a fixed audience.
function (user, context, callback) {
  if (context.clientName !== 'Partner Portal') {
    return callback(null, user, context);
  }
  context.samlConfiguration.audience = 'urn:partner:portal';
  context.samlConfiguration.mappings = {
    'http://schemas.example.com/claims/email': 'email',
    'http://schemas.example.com/claims/food': 'user_metadata.favorite_food',
    'http://schemas.example.com/claims/plan': 'app_metadata.billing.plan'
  };
  context.samlConfiguration.mappings['http://schemas.example.com/claims/upn'] = 'upn';
  context.samlConfiguration.logout = { callback: 'https://partner.example.com/slo' };
  callback(null, user, context);
}
