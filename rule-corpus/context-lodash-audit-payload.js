function sendLoginAudit(user, context, callback) {
  const _ = require('lodash@4.17.21');
  const request = require('request@2.88.2');

  const audience = _.get(context, 'request.query.audience', 'none');
  const from = _.pick(context, ['clientID', 'clientName', 'connection', 'stats']);

  request.post({
    url: 'https://audit.example.com/logins',
    json: { user_id: user.user_id, audience: audience, context: from, geo: context.request.geoip },
    timeout: 5000
  }, function (err, response) {
    if (err || response.statusCode >= 500) {
      console.log('audit unavailable');
    }
    context.idToken['https://example.com/country'] = _.get(context, 'request.geoip.country_code');
    callback(null, user, context);
  });
}
