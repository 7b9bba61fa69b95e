// Runs after "orgMemberships", which defines global.mgmtGet for the whole
// pipeline. This rule only uses the helper: it reads the user's roles to
// put them in the access token for the admin API.
function adminRoles(user, context, callback) {
  if (context.clientName !== 'Admin Console') {
    return callback(null, user, context);
  }

  global.mgmtGet('/users/' + encodeURIComponent(user.user_id) + '/roles', function (err, roles) {
    if (err) return callback(err);
    var names = (roles || []).map(function (r) { return r.name; });
    context.accessToken['https://admin.example.com/roles'] = names;
    callback(null, user, context);
  });
}
