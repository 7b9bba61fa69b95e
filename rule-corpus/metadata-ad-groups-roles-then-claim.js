/**
 * Derive application roles from the AD groups the enterprise connection
 * sends, persist them (the reporting jobs read app_metadata.roles), and put
 * them in the ID token only once they are saved.
 */
function mapGroupsToRoles(user, context, callback) {
  var GROUP_ROLES = {
    'APP-Finance-Approvers': 'approver',
    'APP-Finance-Users': 'finance',
    'Domain Admins': 'admin'
  };

  var groups = Array.isArray(user.groups) ? user.groups : (user.groups ? [user.groups] : []);
  var roles = [];
  groups.forEach(function (g) {
    if (GROUP_ROLES[g] && roles.indexOf(GROUP_ROLES[g]) === -1) roles.push(GROUP_ROLES[g]);
  });
  roles.sort();

  user.app_metadata = user.app_metadata || {};
  var current = (user.app_metadata.roles || []).slice().sort();
  if (current.join(',') === roles.join(',')) {
    context.idToken['https://finance.example.com/roles'] = current;
    return callback(null, user, context);
  }

  user.app_metadata.roles = roles;
  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .then(function () {
      context.idToken['https://finance.example.com/roles'] = user.app_metadata.roles;
      callback(null, user, context);
    })
    .catch(function (err) {
      callback(err);
    });
}
