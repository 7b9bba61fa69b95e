// Merge roles from app_metadata and from the enterprise IdP groups,
// dedupe, and keep only the roles our app knows about.
function (user, context, callback) {
  var _ = require('lodash@4.17.21');
  var KNOWN = ['viewer', 'editor', 'admin', 'billing'];

  var fromMeta = _.get(user, 'app_metadata.roles', []);
  var fromIdp = _.map(user.groups || [], function (g) { return _.toLower(g); });

  var roles = _.intersection(_.uniq(_.concat(fromMeta, fromIdp)), KNOWN);

  context.idToken['https://docs.example.com/roles'] = roles;
  callback(null, user, context);
}
