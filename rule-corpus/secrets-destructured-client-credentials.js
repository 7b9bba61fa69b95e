// Partner SSO hand-off: sign a short hand-off value with the partner's
// client secret so the partner app can verify it came from us.
function partnerHandoff(user, context, callback) {
  const { CLIENT_ID, CLIENT_SECRET } = configuration;

  if (context.clientID !== CLIENT_ID) {
    return callback(null, user, context);
  }

  const issuedAt = Math.floor(Date.now() / 1000);
  const payload = `${user.user_id}.${issuedAt}`;
  const sig = require('crypto').createHmac('sha256', CLIENT_SECRET).update(payload).digest('base64');

  context.idToken['https://partners.example.com/handoff'] = `${payload}.${sig}`;
  callback(null, user, context);
}
