// ShopWave customer login rule (merged from four older rules in 2021).
//  - blocks flagged accounts
//  - B2B storefronts: org claims + org-level MFA policy
//  - API-specific access token claims
//  - risk-based step-up
//  - hashed analytics id in the ID token
async function shopwaveLogin(user, context, callback) {
  const crypto = require('crypto');
  const { ANALYTICS_SALT, API_AUDIENCE } = configuration;
  const ns = 'https://shopwave.com/';
  const meta = user.app_metadata || {};

  if (meta.blocked) return callback(new UnauthorizedError(`Account ${user.user_id} is blocked`));

  // --- organizations (B2B storefronts)
  if (context.organization) {
    context.idToken[`${ns}org`] = context.organization.name;
    const orgMfa = context.organization.metadata && context.organization.metadata.require_mfa === 'true';
    const mfaDone = context.authentication.methods.find(m => m.name === 'mfa');
    if (orgMfa && !mfaDone) {
      context.multifactor = { provider: 'guardian', allowRememberBrowser: true };
    }
  }

  // --- API claims, only when our API is the audience
  if (context.request.query.audience === API_AUDIENCE) {
    context.accessToken[`${ns}tier`] = meta.tier || 'basic';
    context.accessToken[`${ns}store_ids`] = meta.store_ids || [];
  }

  // --- risk: low confidence => MFA (refresh tokens can't do MFA anyway)
  const risky = context.riskAssessment && context.riskAssessment.confidence === 'low';
  if (risky && context.protocol !== 'oauth2-refresh-token') {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }

  // --- analytics
  const analyticsId = crypto.createHash('sha256').update(ANALYTICS_SALT + user.user_id).digest('hex');
  context.idToken[`${ns}aid`] = analyticsId.slice(0, 24);
  context.idToken[`${ns}apps_in_session`] = (context.sso.current_clients || []).length;
  context.idToken[`${ns}country`] = context.request.geoip.country_code;

  try {
    const prefs = JSON.parse(user.user_metadata.prefs || '{}');
    context.idToken.locale = prefs.locale || 'en';
  } catch (err) {
    return callback(err);
  }

  return callback(null, user, context);
}
