// Old "where did this user come from" rule. It relies on user.clientID and
// user.connection, which some legacy tenants exposed on the profile,
// instead of the context fields.
function (user, context, callback) {
  var ns = 'https://crm.example.com/';

  context.idToken[ns + 'signup_client'] = user.clientID || context.clientID;
  context.idToken[ns + 'signup_connection'] = user.connection || context.connection;

  if (user.logins_count <= 1) {
    console.log('first login for ' + user.user_id + ' via ' + user.connection);
    context.idToken[ns + 'new_user'] = true;
  }

  callback(null, user, context);
}
