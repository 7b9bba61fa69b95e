/**
 * Mint a short-lived token for the legacy reports server, which cannot
 * validate Auth0 tokens. Uses a pinned jsonwebtoken plus Node's crypto.
 */
function mintLegacyReportsToken(user, context, callback) {
  const jwt = require('jsonwebtoken@8.5.1');
  const crypto = require('crypto');

  if (context.clientName !== 'Reports') {
    return callback(null, user, context);
  }

  const token = jwt.sign(
    { sub: user.user_id, email: user.email, nonce: crypto.randomBytes(8).toString('hex') },
    configuration.REPORTS_SIGNING_KEY,
    { expiresIn: '5m', issuer: 'https://login.example.com/' }
  );

  context.idToken['https://reports.example.com/legacy_token'] = token;
  callback(null, user, context);
}
