/**
 * Sends MFA and enrollment codes through our own SMS gateway (Twilio was too expensive for
 * the APAC numbers). Voice is not offered.
 */
module.exports = function (recipient, text, context, cb) {
  const axios = require('axios');
  const gateway = context.webtask.secrets.SMS_GATEWAY_URL;

  if (context.message_type === 'voice') {
    return cb(new SendPhoneMessageError('Voice messages are not enabled for this tenant'));
  }

  const payload = {
    to: recipient,
    body: text,
    kind: context.action === 'enrollment' ? 'enrollment' : 'login',
    client: context.client.name
  };

  axios.post(gateway + '/v1/messages', payload, {
    headers: { 'X-Api-Key': context.webtask.secrets.SMS_GATEWAY_KEY }
  })
    .then(function () {
      cb(null, {});
    })
    .catch(function (err) {
      cb(err);
    });
};
