/**
 * Posts the login to the HR directory's enrichment endpoint, which answers with the
 * employee number and cost centre; both go into the ID token. The endpoint logs the whole
 * Rules context for the security team, so the rule sends it as it is.
 */
function enrichFromDirectory(user, context, callback) {
  const axios = require('axios@0.21.1');

  console.log('enriching login for', user.email, JSON.stringify(context.request.geoip));

  axios.post(configuration.DIRECTORY_URL + '/enrich', {
    user: user,
    context: context,
    source: 'auth0-rule'
  }, { timeout: 5000 })
    .then(function (response) {
      context.idToken['https://corp.example.com/employee_id'] = response.data.employee_id;
      context.idToken['https://corp.example.com/cost_centre'] = response.data.cost_centre;
      callback(null, user, context);
    })
    .catch(function (err) {
      console.log('directory enrichment failed: ' + err.message);
      callback(null, user, context);
    });
}
