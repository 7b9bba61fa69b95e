/**
 * Compliance: every login to the trading desk must be recorded by the audit collector before
 * a token is issued. The collector sits behind a certificate the rule insists on (strictSSL);
 * when it cannot record the login, the login fails.
 */
function recordTradingLogin(user, context, callback) {
  const request = require('request');

  if (context.clientName !== 'Trading Desk') {
    return callback(null, user, context);
  }

  request.post(
    {
      url: configuration.AUDIT_COLLECTOR_URL + '/v2/events',
      headers: { Authorization: 'Bearer ' + configuration.AUDIT_TOKEN },
      strictSSL: true,
      json: {
        type: 'login',
        user_id: user.user_id,
        ip: context.request.ip,
        at: new Date().toISOString()
      },
      timeout: 5000
    },
    function (err, response, body) {
      if (err) {
        return callback(new Error('audit collector unreachable'));
      }
      if (response.statusCode !== 201) {
        return callback(new Error('audit collector refused the event: ' + response.statusCode));
      }
      context.idToken['https://trading.example.com/audit_id'] = body.id;
      callback(null, user, context);
    }
  );
}
