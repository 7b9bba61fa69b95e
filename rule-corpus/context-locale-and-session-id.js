// Support desk wants the UI locale and the Auth0 session id in the token so
// tickets can be matched to a login. Both fields are undocumented on
// `context` but were populated on our tenant.
function (user, context, callback) {
  const ns = 'https://support.example.io/';
  const locale = context.locale || 'en';
  const sessionId = context.auth0SessionId;

  context.idToken[ns + 'locale'] = locale;
  if (sessionId) {
    context.idToken[ns + 'sid'] = sessionId;
  }

  callback(null, user, context);
};
