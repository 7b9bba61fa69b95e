// Tell the apps which connection the user logged in with.
// Written for the legacy (pre-OIDC-conformant) flow: apps could ask for
// profile attributes by name in `scope` (e.g. "openid email connection")
// and Auth0 copied them from `user` into the ID token. Setting
// user.connection was all it took; no claim is written here, and the apps
// still look for "connection" in the token.
function (user, context, callback) {
  user.connection = context.connection;

  callback(null, user, context);
}
