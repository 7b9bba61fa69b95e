// The claim prefix is a rule setting (CLAIM_NAMESPACE) so the same rule can
// be deployed to the EU and US tenants, which use different prefixes.
function (user, context, callback) {
  const namespace = configuration.CLAIM_NAMESPACE;
  const meta = user.app_metadata || {};

  if (!namespace) {
    console.log('CLAIM_NAMESPACE setting missing, skipping group claims');
    return callback(null, user, context);
  }

  context.idToken[namespace + 'groups'] = meta.groups || [];
  context.accessToken[configuration.CLAIM_NAMESPACE + 'tier'] = meta.tier || 'standard';

  callback(null, user, context);
}
