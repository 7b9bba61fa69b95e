// Slack notifier for brand-new signups.
// TODO(platform): actually send the message once this rule is migrated;
// for now the client is only constructed so config errors show in logs.
function (user, context, callback) {
  const { IncomingWebhook } = require('@slack/webhook@6.1.0');

  if (context.stats.loginsCount > 1) {
    return callback(null, user, context);
  }

  const webhook = new IncomingWebhook(configuration.SLACK_HOOK_URL, {
    username: 'auth0-signups',
    icon_emoji: ':wave:'
  });
  console.log('slack notifier ready:', Boolean(webhook), user.email);

  callback(null, user, context);
}
