module.exports = function (recipient, text, context, cb) {
  const twilio = require('twilio');
  const client = twilio(context.webtask.secrets.TWILIO_ACCOUNT_SID, context.webtask.secrets.TWILIO_AUTH_TOKEN);

  if (context.message_type === 'voice') {
    return cb(new SendPhoneMessageError('Voice messages are not enabled for this tenant'));
  }

  client.messages
    .create({
      body: text,
      to: recipient,
      from: context.webtask.secrets.TWILIO_FROM_NUMBER
    })
    .then(function () {
      cb(null, {});
    })
    .catch(function (err) {
      cb(err);
    });
};
