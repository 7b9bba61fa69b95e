// Subscription status from the billing system, on every login (plans change
// in Stripe webhooks we don't fully trust). Cancelled subscriptions may not
// use the app; the current plan is cached in app_metadata for support tools.
async function (user, context, callback) {
  user.app_metadata = user.app_metadata || {};
  const customerId = user.app_metadata.stripe_customer_id;
  if (!customerId) {
    return callback(null, user, context);
  }

  try {
    const res = await fetch(`https://subscriptions.example.com/customers/${customerId}/subscription`, {
      headers: { Authorization: `Bearer ${configuration.SUBSCRIPTIONS_KEY}` }
    });
    if (!res.ok) {
      return callback(new Error(`subscription lookup failed (${res.status})`));
    }
    const sub = await res.json();

    if (sub.status === 'canceled' || sub.status === 'unpaid') {
      return callback(new UnauthorizedError('Your subscription has ended. Renew at https://example.com/billing'));
    }

    context.accessToken['https://api.example.com/plan'] = sub.plan;
    context.accessToken['https://api.example.com/seats'] = sub.quantity;

    if (user.app_metadata.plan !== sub.plan) {
      user.app_metadata.plan = sub.plan;
      await auth0.users.updateAppMetadata(user.user_id, user.app_metadata);
    }
    return callback(null, user, context);
  } catch (err) {
    console.log('subscription check error: ' + err.message);
    return callback(err);
  }
}
