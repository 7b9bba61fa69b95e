// Three conversions that look mechanical but change behaviour in Actions:
// app_metadata is never undefined, the redirect-callback protocol is gone,
// and authentication method timestamps become ISO strings.
function (user, context, callback) {
  if (!user.app_metadata) {
    return callback(new Error('no metadata'));
  }
  if (context.protocol === 'redirect-callback') {
    return callback(null, user, context);
  }
  const mfa = context.authentication.methods.find((m) => m.name === 'mfa');
  if (mfa && mfa.timestamp > Date.now() - 3600 * 1000) {
    context.idToken['https://x.example.com/recent_mfa'] = true;
  }
  callback(null, user, context);
}
