/**
 * Age gate for the wine shop: unverified users go to the age-verification
 * provider, which sends them back to /continue with a signed result in the
 * POST body. The verification uses jwt.verify's callback form.
 */
function ageGate(user, context, callback) {
  const jwt = require('jsonwebtoken');
  const meta = user.app_metadata || {};

  if (context.protocol === 'redirect-callback') {
    return jwt.verify(context.request.body.token, configuration.AGE_VERIFY_SECRET, { audience: 'wine-shop' }, function (err, result) {
      if (err) return callback(new UnauthorizedError('Age verification could not be confirmed'));
      if (result.sub !== user.user_id) return callback(new UnauthorizedError('Age verification was for another account'));
      if (!result.over_18) return callback(new UnauthorizedError('You must be 18 or older to use this shop'));

      meta.age_verified = true;
      meta.age_verified_method = result.method;
      user.app_metadata = meta;
      auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
        .then(function () { callback(null, user, context); })
        .catch(function (e) { callback(e); });
    });
  }

  if (meta.age_verified || context.clientName !== 'Wine Shop') {
    return callback(null, user, context);
  }

  const request = jwt.sign({ sub: user.user_id, aud: 'age-provider', country: context.request.geoip.country_code },
    configuration.AGE_VERIFY_SECRET, { expiresIn: '20m' });
  context.redirect = { url: 'https://verify.age-check.example.com/start?request=' + request };
  return callback(null, user, context);
}
