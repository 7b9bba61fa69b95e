(function () {
  const TIERS = {
    gold: ['reports:read', 'reports:export'],
    silver: ['reports:read']
  };

  function scopesFor(tier) {
    return TIERS[tier] || [];
  }

  return function addTierClaims(user, context, callback) {
    const tier = user.app_metadata && user.app_metadata.tier;
    context.idToken['https://example.com/tier'] = tier || 'bronze';
    context.idToken['https://example.com/entitlements'] = scopesFor(tier);
    callback(null, user, context);
  };
})();
