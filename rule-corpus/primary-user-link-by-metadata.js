/*
 * Account linking (second half). Our linking service has already linked
 * this social identity as a secondary account and wrote the primary's id
 * into app_metadata.primary_id. Log the user in as that primary user.
 */
function (user, context, callback) {
  var meta = user.app_metadata || {};

  if (!meta.primary_id) {
    return callback(null, user, context);
  }

  if (user.user_id === 'auth0|' + meta.primary_id) {
    return callback(null, user, context);
  }

  context.primaryUser = 'auth0|' + user.app_metadata.primary_id;
  console.log('switching ' + user.user_id + ' to primary auth0|' + meta.primary_id);

  callback(null, user, context);
}
