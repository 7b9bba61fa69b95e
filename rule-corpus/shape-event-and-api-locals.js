// Tag tokens issued for the billing API so its gateway can tell them apart.
// Written long before Actions existed: the local names "event" and "api"
// are just a login record and the billing API identifier.
function tagBillingAudience(user, context, callback) {
  var event = { type: 'login', at: Date.now(), user: user.user_id, client: context.clientID };
  console.log('login event', JSON.stringify(event));

  var api = 'https://api.example.com';
  var audience = (context.request.query && context.request.query.audience) || '';

  if (audience === api) {
    context.idToken['https://billing.example.com/api_login'] = event.at;
  }

  callback(null, user, context);
}
