// Register the user with the CRM on first login. Old-style rule: uses the
// sandbox's global `request` and calls back from inside the HTTP callback.
function (user, context, callback) {
  if (context.stats.loginsCount > 1 || (user.app_metadata && user.app_metadata.crm_id)) {
    return callback(null, user, context);
  }

  request.post({
    url: 'https://crm.example.com/api/contacts',
    json: { email: user.email, name: user.name, source: 'auth0' },
    headers: { Authorization: 'Bearer ' + configuration.CRM_TOKEN },
    timeout: 5000
  }, function (err, res, body) {
    if (err) return callback(err);
    if (res.statusCode !== 201) {
      return callback(new Error('CRM returned ' + res.statusCode));
    }

    context.idToken['https://crm.example.com/contact_id'] = body.id;
    callback(null, user, context);
  });
}
