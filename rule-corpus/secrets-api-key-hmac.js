// Intercom identity verification: HMAC the user id with our secret so
// the messenger widget can't be spoofed. Key lives in rule settings.
function (user, context, cb) {
  const crypto = require('crypto');

  if (!configuration.API_KEY) {
    console.log('API_KEY missing from rule configuration');
    return cb(null, user, context);
  }

  const userHash = crypto
    .createHmac('sha256', configuration.API_KEY)
    .update(user.user_id)
    .digest('hex');

  context.idToken['https://support.example.com/intercom_hash'] = userHash;
  cb(null, user, context);
}
