// GDPR marketing consent for EU users, asked once on the consent page. Old
// rule from the Node 8 days: uses the sandbox's `jwt` without requiring it.
// The consent page redirects back with ?token=... on /continue.
function (user, context, callback) {
  if (context.protocol === 'oauth2-refresh-token' || context.protocol === 'oauth2-resource-owner') return callback(null, user, context);

  var NS = 'https://shop.example.eu/';

  if (context.protocol === 'redirect-callback') {
    var decoded;
    try {
      decoded = jwt.verify(context.request.query.token, configuration.CONSENT_SECRET);
    } catch (err) {
      return callback(err);
    }
    user.app_metadata = user.app_metadata || {};
    user.app_metadata.marketing_consent = { granted: decoded.granted === true, at: decoded.iat, version: decoded.v };
    auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
      .then(function () {
        context.idToken[NS + 'marketing_consent'] = decoded.granted === true;
        callback(null, user, context);
      })
      .catch(function (err) { callback(err); });
    return;
  }

  var consent = user.app_metadata && user.app_metadata.marketing_consent;
  if (context.request.geoip.continent_code !== 'EU' || consent) {
    if (consent) context.idToken[NS + 'marketing_consent'] = consent.granted;
    return callback(null, user, context);
  }

  var token = jwt.sign({ sub: user.user_id, email: user.email, v: 3 }, configuration.CONSENT_SECRET, { expiresIn: 600 });
  context.redirect = {
    url: 'https://consent.shop.example.eu/marketing?token=' + encodeURIComponent(token) + '&lang=' + (user.user_metadata && user.user_metadata.locale || 'en')
  };
  return callback(null, user, context);
}
