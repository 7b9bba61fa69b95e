/**
 * Admin console logins must be alertable. If the Slack hook has not been
 * configured for this tenant, fail closed rather than letting admins in
 * without an audit trail.
 */
function (user, context, callback) {
  var hookUrl = configuration['SLACK_HOOK_URL'];
  var channel = configuration['SLACK_CHANNEL'] || '#auth-alerts';

  if (context.clientName !== 'Admin Console') {
    return callback(null, user, context);
  }

  if (!hookUrl || hookUrl.indexOf('https://hooks.slack.com/') !== 0) {
    return callback(new UnauthorizedError('Admin alerting is not configured'));
  }

  // the log-stream forwarder picks these lines up and posts them to Slack
  console.log(JSON.stringify({ alert: 'admin-login', channel: channel, user: user.email }));
  callback(null, user, context);
}
