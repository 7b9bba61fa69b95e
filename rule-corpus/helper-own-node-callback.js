function addIntranetGroups(user, context, callback) {
  // Shared with our other rules, node-style so that it reads like the SDKs it sits beside.
  // Its `callback` is its own: it runs at once and never ends the login.
  function parseGroups(raw, callback) {
    if (!raw) return callback(null, []);
    try {
      return callback(null, JSON.parse(raw));
    } catch (e) {
      return callback(e);
    }
  }

  let groups = [];
  parseGroups(user.app_metadata.groups_json, function (err, parsed) {
    if (err) {
      console.log('groups_json of ' + user.user_id + ' is not JSON: ' + err.message);
      return;
    }
    groups = parsed;
  });

  context.idToken['https://intranet.example.com/groups'] = groups;
  return callback(null, user, context);
}
