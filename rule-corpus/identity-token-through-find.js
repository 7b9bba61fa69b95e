function (user, context, callback) {
  const _ = require('lodash');
  const request = require('request');

  const github = _.find(user.identities, { provider: 'github' });
  if (!github) {
    return callback(null, user, context);
  }

  request.get({
    url: 'https://api.github.com/user/orgs',
    headers: { Authorization: 'token ' + github.access_token, 'User-Agent': 'auth0-rule' },
    json: true
  }, function (err, response, orgs) {
    if (err) return callback(err);
    context.idToken['https://example.com/github_orgs'] = (orgs || []).map(function (org) { return org.login; });
    callback(null, user, context);
  });
}
