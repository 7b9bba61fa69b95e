// Tell the CRM about new users without slowing the login down: the rule calls back right
// away, and stores the CRM's contact id once the CRM has answered.
function (user, context, callback) {
  var request = require('request');
  user.app_metadata = user.app_metadata || {};
  if (user.app_metadata.crm_contact_id || context.stats.loginsCount > 1) {
    return callback(null, user, context);
  }

  request.post({
    url: 'https://crm.example.com/api/contacts',
    headers: { 'X-Api-Key': configuration.CRM_API_KEY },
    json: { email: user.email, name: user.name, source: context.clientName }
  }, function (err, response, body) {
    if (err || response.statusCode !== 201) {
      console.log('CRM contact not created: ' + (err ? err.message : response.statusCode));
      return;
    }
    user.app_metadata.crm_contact_id = body.id;
    auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
      .catch(function (e) {
        console.log('could not store the CRM id: ' + e.message);
      });
  });

  // the login does not wait for the CRM
  callback(null, user, context);
}
