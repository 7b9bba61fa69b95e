/**
 * Shared Management API helper (the first rule in the pipeline, so later
 * rules can call global.mgmtGet too). Here it reads the user's
 * organization memberships; the B2B portal refuses users in no organization.
 */
function orgMemberships(user, context, callback) {
  global.mgmtGet = global.mgmtGet || function (path, done) {
    request.get({
      url: auth0.baseUrl + path,
      headers: { Authorization: 'Bearer ' + auth0.accessToken },
      json: true,
      timeout: 5000
    }, function (err, res, body) {
      if (err) return done(err);
      if (res.statusCode >= 400) {
        var e = new Error('Management API ' + res.statusCode + ' on ' + path + ': ' + (body && body.message));
        e.statusCode = res.statusCode;
        return done(e);
      }
      done(null, body);
    });
  };

  global.mgmtGet('/users/' + encodeURIComponent(user.user_id) + '/organizations', function (err, orgs) {
    if (err) return callback(err);

    var ids = (orgs || []).map(function (o) { return o.id; });
    if (context.clientName === 'B2B Portal' && ids.length === 0) {
      return callback(new UnauthorizedError('You are not a member of any organization yet. Ask your admin for an invitation.'));
    }

    context.idToken['https://portal.example.com/orgs'] = ids;
    context.accessToken['https://portal.example.com/orgs'] = ids;
    callback(null, user, context);
  });
}
