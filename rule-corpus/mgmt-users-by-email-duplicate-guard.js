// Stop duplicate accounts at sign-up: if a brand-new user's email already
// belongs to an account on another connection, refuse and tell them which
// login to use. Support was spending hours merging these by hand.
function (user, context, callback) {
  if (context.stats.loginsCount > 1 || !user.email) {
    return callback(null, user, context);
  }

  request({
    url: auth0.baseUrl + '/users-by-email',
    qs: { email: user.email },
    headers: { Authorization: 'Bearer ' + auth0.accessToken },
    json: true
  }, function (err, resp, existing) {
    if (err) return callback(err);
    if (resp.statusCode !== 200) {
      return callback(new Error('users-by-email failed: ' + resp.statusCode + ' ' + JSON.stringify(existing)));
    }

    var others = existing.filter(function (u) { return u.user_id !== user.user_id; });
    if (others.length > 0) {
      var connection = others[0].identities && others[0].identities[0].connection;
      var friendly = { 'google-oauth2': 'Google', 'Username-Password-Authentication': 'email and password', windowslive: 'Microsoft' };
      return callback(new UnauthorizedError('You already have an account. Please sign in with ' + (friendly[connection] || connection) + '.'));
    }

    context.idToken['https://example.com/new_account'] = true;
    callback(null, user, context);
  });
}
