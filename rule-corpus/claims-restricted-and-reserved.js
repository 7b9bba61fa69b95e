// Legacy claims for the reporting API. The reporting API predates our
// namespacing convention and expects bare "roles"/"permissions".
function legacyReportingClaims(user, context, callback) {
  var meta = user.app_metadata || {};
  var roles = meta.roles || [];

  context.accessToken.roles = roles;
  context.accessToken.permissions = meta.permissions || ['reports:read'];

  // the old JS SDK looked here; kept for backwards compat
  context.idToken['https://example.auth0.com/roles'] = roles;

  callback(null, user, context);
}
