/*
 * Role-based scopes for the reports API: drop every requested scope the
 * user's roles do not grant. Works for /authorize (scope in the query) and
 * /oauth/token (scope in the body).
 */
function filterScopes(user, context, callback) {
  var ROLE_SCOPES = {
    viewer: ['read:reports'],
    analyst: ['read:reports', 'export:reports'],
    admin: ['read:reports', 'export:reports', 'delete:reports']
  };
  var roles = (user.app_metadata && user.app_metadata.roles) || [];

  var granted = ['openid', 'profile', 'email', 'offline_access'];
  for (var i = 0; i < roles.length; i++) {
    granted = granted.concat(ROLE_SCOPES[roles[i]] || []);
  }

  var requested = (context.request.query.scope || context.request.body.scope || '').split(' ');
  var allowed = requested.filter(function (s) {
    return s && granted.indexOf(s) !== -1;
  });

  context.accessToken.scope = allowed;
  callback(null, user, context);
}
