/**
 * Minors' accounts (EU): before issuing tokens to the kids' app we ask the
 * parental-consent registry whether consent is on file. Withdrawn consent
 * is a hard stop; otherwise the consent scope travels in the access token.
 */
function parentalConsent(user, context, callback) {
  var axios = require('axios@1.6.0');
  var meta = user.app_metadata || {};

  if (context.clientName !== 'Kids Learning App' || !meta.minor) {
    return callback(null, user, context);
  }

  axios.post('https://consent.example.eu/v1/consents/query', {
    subject: user.user_id,
    purpose: 'kids-app-usage',
    guardian_email: meta.guardian_email
  }, {
    headers: { 'X-Registry-Key': configuration.CONSENT_REGISTRY_KEY }
  }).then(({ data }) => {
    if (!data.consent || data.consent.state === 'withdrawn') {
      return callback(new UnauthorizedError('A parent or guardian needs to approve this account.'));
    }
    context.accessToken['https://kids.example.eu/consent_scope'] = data.consent.scope;
    context.accessToken['https://kids.example.eu/consent_expires'] = data.consent.expires_at;
    callback(null, user, context);
  }).catch(err => callback(new Error('consent registry: ' + (err.response ? err.response.status : err.message))));
}
