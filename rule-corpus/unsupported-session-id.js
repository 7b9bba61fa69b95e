// Stamp the Auth0 session id into the token so the backend can
// correlate silent-auth renewals (prompt=none) with the original login.
function (user, context, callback) {
  const sessionId = context.sessionID;

  if (sessionId) {
    context.idToken['https://tracker.example.net/session'] = sessionId;
  }

  console.log(`login ${user.user_id} session=${sessionId}`);

  callback(null, user, context);
}
