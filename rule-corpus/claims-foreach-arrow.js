// One boolean claim per role: the SPA checks `role_<name>` on the ID token,
// the API looks for the same claims on the access token.
function (user, context, callback) {
  const roles = (user.app_metadata && user.app_metadata.roles) || [];

  roles.forEach(r => context.idToken['https://example.com/role_' + r] = true);

  roles.forEach(function (r) {
    context.accessToken['https://example.com/role_' + r] = true;
  });

  callback(null, user, context);
}
