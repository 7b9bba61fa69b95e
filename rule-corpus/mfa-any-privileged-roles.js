// Require MFA for anyone with a privileged role.
// Never remember the browser for these users.
function (user, context, callback) {
  var roles = (user.app_metadata && user.app_metadata.roles) || [];
  var privileged = roles.indexOf('admin') !== -1 || roles.indexOf('finance') !== -1;

  if (privileged) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }

  callback(null, user, context);
}
