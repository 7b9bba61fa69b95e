// Sales wants the employer and seniority of every new sign-up in the token so
// the onboarding wizard can skip questions. The enrichment vendor also flags
// known throwaway/spam identities, which we refuse outright.
function (user, context, callback) {
  if (!user.email || !user.email_verified) {
    return callback(null, user, context);
  }

  var options = {
    url: 'https://api.peoplegraph.example.net/v2/person',
    qs: { email: user.email },
    headers: { Authorization: 'Bearer ' + configuration.PEOPLEGRAPH_API_KEY },
    json: true,
    timeout: 4000
  };

  request(options, function (err, response, body) {
    if (err) return callback(err);

    // 404: the vendor has never heard of this person, nothing to add
    if (response.statusCode === 404) {
      return callback(null, user, context);
    }
    if (response.statusCode !== 200) {
      return callback(new Error('peoplegraph lookup failed with HTTP ' + response.statusCode));
    }

    if (body.person && body.person.spam_flag) {
      return callback(new UnauthorizedError('Sign-up rejected. Contact support@example.com.'));
    }

    var employment = (body.person && body.person.employment) || {};
    context.idToken['https://example.com/company'] = employment.name || null;
    context.idToken['https://example.com/seniority'] = employment.seniority || 'unknown';

    callback(null, user, context);
  });
}
