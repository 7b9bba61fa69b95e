// Collect a phone number for SMS delivery notifications before the first
// order can be placed. The phone page (our own app) returns a token with
// the number it verified; tokens must be ours, recent and for this user.
function collectPhone(user, context, callback) {
  var jsonwebtoken = require('jsonwebtoken@8.5.1');
  var ISSUER = 'https://phone.delivery.example.com';

  if (context.protocol === 'redirect-callback') {
    var claims;
    try {
      claims = jsonwebtoken.verify(context.request.body.token || context.request.query.token, configuration.PHONE_APP_SECRET, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        subject: user.user_id,
        maxAge: '10m'
      });
    } catch (e) {
      console.log('phone token rejected: ' + e.message);
      return callback(new UnauthorizedError('Phone verification failed, please try again'));
    }
    user.user_metadata = user.user_metadata || {};
    user.user_metadata.sms_phone = claims.phone;
    return auth0.users.updateUserMetadata(user.user_id, user.user_metadata).then(function () {
      context.idToken['https://delivery.example.com/sms_phone'] = claims.phone;
      callback(null, user, context);
    }, callback);
  }

  if (context.protocol === 'oauth2-refresh-token' || (user.user_metadata && user.user_metadata.sms_phone)) {
    return callback(null, user, context);
  }

  var outbound = jsonwebtoken.sign({ email: user.email, locale: (user.user_metadata || {}).locale },
    configuration.PHONE_APP_SECRET, { expiresIn: '10m', subject: user.user_id, audience: ISSUER });
  context.redirect = { url: ISSUER + '/collect?session_token=' + outbound };
  callback(null, user, context);
}
