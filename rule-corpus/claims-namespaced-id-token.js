/**
 * Put the user's roles (managed in app_metadata) into the ID token
 * under our namespace, plus a convenience admin flag.
 */
function (user, context, callback) {
  var roles = (user.app_metadata && user.app_metadata.roles) || [];

  context.idToken['https://example.com/roles'] = roles;
  context.idToken['https://example.com/is_admin'] = roles.indexOf('admin') > -1;

  callback(null, user, context);
}
