// Map the billing plan to a "tier" claim for the API.
// Every branch returns through the callback; there is deliberately no
// trailing callback at the end of the function.
function setTierClaim(user, context, callback) {
  const plan = (user.app_metadata || {}).plan;

  if (!plan) {
    return callback(null, user, context);
  }

  if (plan === 'enterprise') {
    context.accessToken['https://billing.example.io/tier'] = 'gold';
    return callback(null, user, context);
  } else if (plan === 'pro') {
    context.accessToken['https://billing.example.io/tier'] = 'silver';
    return callback(null, user, context);
  } else {
    context.accessToken['https://billing.example.io/tier'] = 'bronze';
    return callback(null, user, context);
  }
};
