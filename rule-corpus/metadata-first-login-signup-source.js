// Growth team attribution: remember which app and campaign a user signed up
// through. Only written once, on the very first login, and never overwritten.
function (user, context, callback) {
  user.app_metadata = user.app_metadata || {};

  if (context.stats.loginsCount > 1 || user.app_metadata.signup) {
    return callback(null, user, context);
  }

  var query = context.request.query || {};
  user.app_metadata.signup = {
    client_id: context.clientID,
    client_name: context.clientName,
    connection: context.connection,
    utm_source: query.utm_source || null,
    utm_campaign: query.utm_campaign || null,
    country: context.request.geoip ? context.request.geoip.country_code : null
  };

  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .then(function(){
      callback(null, user, context);
    })
    .catch(function(err){
      callback(err);
    });
}
