// Profile claims for the customer dashboard SPA. The namespace lives in a
// single constant at the top so the dashboard team can grep for it.
function (user, context, callback) {
  const NAMESPACE = 'https://app.example.com/';

  const meta = user.app_metadata || {};
  const prefs = user.user_metadata || {};

  context.idToken[NAMESPACE + 'account_id'] = meta.account_id || null;
  context.idToken[NAMESPACE + 'plan'] = meta.plan || 'starter';
  context.idToken[NAMESPACE + 'timezone'] = prefs.timezone || 'UTC';
  context.idToken[NAMESPACE + 'onboarded'] = Boolean(meta.onboarding_completed_at);

  callback(null, user, context);
}
