// Send every login to the fraud team's scoring service. A "block" verdict
// denies the login; otherwise the score goes into the access token so the
// payments API can apply its own limits. If the scorer is down we fail
// open (agreed with the fraud team, see RISK-311) rather than lock people out.
function (user, context, callback) {
  request.post({
    url: 'https://fraud.example.com/v1/score-login',
    headers: {
      Authorization: 'Basic ' + Buffer.from(configuration.FRAUD_USER + ':' + configuration.FRAUD_PASSWORD).toString('base64')
    },
    json: {
      user_id: user.user_id,
      email: user.email,
      ip: context.request.ip,
      user_agent: context.request.userAgent,
      country: context.request.geoip && context.request.geoip.country_code,
      client_id: context.clientID
    },
    timeout: 2500
  }, function (error, resp, verdict) {
    if (error || resp.statusCode >= 500) {
      console.log('fraud scorer unavailable, failing open: ' + (error ? error.message : resp.statusCode));
      return callback(null, user, context);
    }
    if (resp.statusCode !== 200) {
      return callback(new Error('fraud scorer rejected request: ' + resp.statusCode));
    }

    if (verdict.decision === 'block' || verdict.blocked === true) {
      return callback(new UnauthorizedError('Login blocked for security reasons (ref ' + verdict.reference + ')'));
    }

    context.accessToken['https://payments.example.com/risk_score'] = verdict.score;
    if (verdict.decision === 'review') {
      context.accessToken['https://payments.example.com/hold_payouts'] = true;
    }
    callback(null, user, context);
  });
}
