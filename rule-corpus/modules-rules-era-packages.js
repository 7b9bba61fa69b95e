function issueSupportSession(user, context, callback) {
  const uuid = require('uuid');
  const url = require('url@0.10.3');

  const returnTo = url.parse(context.request.query.return_to || 'https://support.example.com/');
  if (returnTo.hostname !== 'support.example.com') {
    return callback(null, user, context);
  }

  const sessionId = uuid();
  const returnPath = url.format({ pathname: returnTo.pathname, query: { sid: sessionId } });
  const ticket = jwt.sign(
    { sid: sessionId, sub: user.user_id },
    configuration.SUPPORT_SIGNING_KEY,
    { expiresInMinutes: configuration.SUPPORT_TTL_MINUTES || 15 }
  );

  context.idToken['https://support.example.com/ticket'] = ticket;
  context.idToken['https://support.example.com/return_path'] = returnPath;
  callback(null, user, context);
}
