// New users get the "member" role in RBAC on first login. The rule's own
// auth0.accessToken can't assign roles, so we use a dedicated M2M app and
// cache its token in `global` across executions of this container.
function assignDefaultRole(user, context, callback) {
  if (context.stats.loginsCount > 1 || (context.authorization && context.authorization.roles.length > 0)) {
    return callback(null, user, context);
  }

  function withToken(cb) {
    if (global.mgmtToken && global.mgmtTokenExpires > Date.now()) {
      return cb(null, global.mgmtToken);
    }
    request.post({
      url: 'https://' + configuration.DOMAIN + '/oauth/token',
      json: {
        grant_type: 'client_credentials',
        client_id: configuration.MGMT_CLIENT_ID,
        client_secret: configuration.MGMT_CLIENT_SECRET,
        audience: 'https://' + configuration.DOMAIN + '/api/v2/'
      }
    }, function (err, res, body) {
      if (err) return cb(err);
      if (res.statusCode !== 200 || !body.access_token) {
        return cb(new Error('token request failed: ' + (body.error_description || res.statusCode)));
      }
      global.mgmtToken = body.access_token;
      global.mgmtTokenExpires = Date.now() + (body.expires_in - 60) * 1000;
      cb(null, global.mgmtToken);
    });
  }

  withToken(function (err, token) {
    if (err) return callback(err);
    request.post({
      url: 'https://' + configuration.DOMAIN + '/api/v2/users/' + encodeURIComponent(user.user_id) + '/roles',
      headers: { Authorization: 'Bearer ' + token },
      json: { roles: [configuration.MEMBER_ROLE_ID] }
    }, function (err2, res) {
      if (err2) return callback(err2);
      if (res.statusCode >= 300) {
        return callback(new Error('role assignment failed with ' + res.statusCode));
      }
      context.accessToken['https://app.example.com/roles'] = ['member'];
      callback(null, user, context);
    });
  });
}
