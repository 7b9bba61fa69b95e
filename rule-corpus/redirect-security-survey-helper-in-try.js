// Yearly security survey: users who have not answered this year's survey go to the survey
// site once, which sends them back to /continue with ?answered=yes. Written by the platform
// team in 2021; the try/catch came after an outage of the survey site.
function securitySurvey(user, context, callback) {
  var SURVEY_URL = 'https://survey.example.org/security';
  var year = new Date(Date.now()).getUTCFullYear();

  function backFromSurvey(context) {
    return context.protocol === 'redirect-callback' && context.request.query.answered === 'yes';
  }

  try {
    user.app_metadata = user.app_metadata || {};
    if (backFromSurvey(context)) {
      user.app_metadata.survey_year = year;
      context.idToken['https://example.org/survey'] = year;
      auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
        .then(function () {
          callback(null, user, context);
        })
        .catch(function (err) {
          callback(err);
        });
      return;
    }
    if (user.app_metadata.survey_year === year || context.protocol === 'oauth2-refresh-token') {
      return callback(null, user, context);
    }
    context.redirect = { url: SURVEY_URL + '?email=' + encodeURIComponent(user.email) };
    return callback(null, user, context);
  } catch (err) {
    console.log('survey rule failed: ' + err.message);
    return callback(null, user, context);
  }
}
