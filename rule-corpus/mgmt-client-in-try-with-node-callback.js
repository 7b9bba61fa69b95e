// Keeps the CRM id on the profile: looks it up once, then stores it with the Management API.
// Written as an async function by a team that mixed await with the Rules callback.
async function storeCrmId(user, context, callback) {
  if (user.app_metadata && user.app_metadata.crm_id) {
    return callback(null, user, context);
  }
  const axios = require('axios@0.21.1');
  let crmId;
  try {
    const response = await axios.get(configuration.CRM_URL + '/lookup', {
      params: { email: user.email },
      timeout: 2000
    });
    crmId = response.data.id;
  } catch (e) {
    return callback(new Error('CRM lookup failed'));
  }
  try {
    const prefs = JSON.parse(user.user_metadata.crm_prefs || '{}');
    const ManagementClient = require('auth0@2.30.0').ManagementClient;
    const management = new ManagementClient({
      domain: auth0.domain,
      token: auth0.accessToken
    });
    management.updateAppMetadata({ id: user.user_id }, { crm_id: crmId, crm_region: prefs.region }, function (err) {
      if (err) return callback(err);
      context.idToken['https://crm.example.org/id'] = crmId;
      callback(null, user, context);
    });
  } catch (err) {
    callback(err);
  }
}
