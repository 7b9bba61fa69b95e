// Feature flags for the web app, merged into the ID token with a spread so
// claims added by earlier rules are kept.
function (user, context, callback) {
  const flagMap = (user.app_metadata || {}).flags || {};
  const flags = Object.keys(flagMap).filter((name) => flagMap[name] === true);

  context.idToken = { ...context.idToken, 'https://example.com/flags': flags };

  callback(null, user, context);
}
