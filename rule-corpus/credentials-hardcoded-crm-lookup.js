function crmLookup(user, context, callback) {
  // TODO move to configuration before go-live
  const crmApiKey = 'crm_8fK2mQ9xL4vT7pR1sZ6wB3nY';
  const slack = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
  const axios = require('axios@0.21.1');

  return axios
    .get('https://crm.example.com/api/contacts', {
      params: { email: user.email },
      headers: { 'X-Api-Key': crmApiKey, 'X-Notify': slack }
    })
    .then(function (response) {
      console.log('crm lookup with key ' + configuration.CRM_SIGNING_SECRET);
      context.idToken['https://example.com/crm_id'] = response.data.id;
      callback(null, user, context);
    })
    .catch(function (err) {
      callback(err);
    });
}
