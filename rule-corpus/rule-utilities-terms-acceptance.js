/**
 * Current terms of service, through the marketplace helper library: users who have not
 * accepted this version go to the terms site with a session token, and come back to
 * /continue with a token the site signed. The acceptance is kept in app_metadata under the
 * library's namespace.
 */
async function requireCurrentTerms(user, context, callback) {
  if (!configuration.SESSION_TOKEN_SECRET || !configuration.TERMS_URL) {
    return callback(null, user, context);
  }

  const {
    Auth0RedirectRuleUtilities,
    Auth0UserUpdateUtilities
  } = require('@auth0/rule-utilities@0.2.0');

  const ruleUtils = new Auth0RedirectRuleUtilities(user, context, configuration);
  const userUtils = new Auth0UserUpdateUtilities(user, auth0, 'terms');

  if (ruleUtils.isRedirectCallback && ruleUtils.queryParams.session_token) {
    let decoded;
    try {
      decoded = ruleUtils.validateSessionToken();
    } catch (err) {
      return callback(new UnauthorizedError('Your acceptance of the terms could not be confirmed'));
    }

    userUtils.setAppMeta('version', decoded.terms_version);
    userUtils.setAppMeta('accepted_at', decoded.iat);
    await userUtils.updateAppMeta();

    context.idToken['https://example.com/terms_version'] = decoded.terms_version;
    return callback(null, user, context);
  }

  if (userUtils.getAppMeta('version') === configuration.TERMS_VERSION) {
    return callback(null, user, context);
  }

  if (ruleUtils.canRedirect) {
    ruleUtils.doRedirect(configuration.TERMS_URL);
  }
  return callback(null, user, context);
}
