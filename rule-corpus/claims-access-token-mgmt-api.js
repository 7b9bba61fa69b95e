// Support tier for the support widget. The widget calls the Management API
// directly with its own token, so the tier is added when that API is the
// audience and the widget reads it back from the token.
function supportTier(user, context, callback) {
  if (context.request.query.audience === 'https://mytenant.us.auth0.com/api/v2/') {
    const meta = user.app_metadata || {};
    context.accessToken.support_tier = meta.support_tier || 'basic';
  }

  callback(null, user, context);
}
