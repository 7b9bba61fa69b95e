// Adaptive MFA before we had the Adaptive MFA add-on: ask our risk engine
// about this login. High risk => MFA challenge every time, "block" => deny.
// Low risk skips MFA entirely.
function riskBasedMfa(user, context, callback) {
  if (context.protocol === 'oauth2-refresh-token') {
    return callback(null, user, context);
  }

  request.post({
    url: 'https://risk.example.com/api/assess',
    json: {
      subject: user.user_id,
      ip: context.request.ip,
      ua: context.request.userAgent,
      geo: context.request.geoip,
      last_login: user.last_login
    },
    headers: { 'X-Risk-Key': configuration.RISK_ENGINE_KEY },
    timeout: 3000
  }, function (err, res, assessment) {
    if (err) {
      return callback(err);
    }
    if (res.statusCode !== 200) {
      // can't assess: treat as high risk
      context.multifactor = { provider: 'any', allowRememberBrowser: false };
      return callback(null, user, context);
    }

    if (assessment.action === 'block') {
      return callback(new UnauthorizedError('This sign-in looks suspicious and was blocked.'));
    }
    if (assessment.level === 'high' || assessment.level === 'medium') {
      context.multifactor = {
        provider: 'any',
        allowRememberBrowser: assessment.level === 'medium'
      };
    }
    context.idToken['https://example.com/risk_level'] = assessment.level;
    callback(null, user, context);
  });
}
