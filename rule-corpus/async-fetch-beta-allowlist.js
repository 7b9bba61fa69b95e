// Closed beta of the new dashboard: only people on the beta list (kept by
// product in the feature-flag service) may sign in to the beta client.
// Everyone on the list gets a claim so the UI can show the feedback button.
function (user, context, callback) {
  if (context.clientName !== 'Dashboard Beta') {
    return callback(null, user, context);
  }

  var lookup = fetch('https://flags.example.com/api/lists/dashboard-beta/members?email=' + encodeURIComponent(user.email), {
    headers: { Authorization: 'Token ' + configuration.FLAGS_API_TOKEN }
  }).then(function (res) {
    if (!res.ok) {
      throw new Error('feature-flag service answered ' + res.status);
    }
    return res.json();
  });

  lookup.then(function (result) {
    if (!result.member) {
      return callback(new UnauthorizedError('The beta is invite-only for now.'));
    }
    context.idToken['https://example.com/beta_cohort'] = result.cohort || 'general';
    callback(null, user, context);
  }).catch(function (err) { callback(err); });
}
