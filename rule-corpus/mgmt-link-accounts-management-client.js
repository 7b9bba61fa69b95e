/**
 * Automatic account linking by verified email: when someone signs in with a
 * social account whose email matches an existing database user, link the
 * social identity into the database user and log them in as that user.
 */
function linkByVerifiedEmail(user, context, callback) {
  const ManagementClient = require('auth0@2.35.0').ManagementClient;
  const management = new ManagementClient({ token: auth0.accessToken, domain: auth0.domain });

  if (!user.email || !user.email_verified || context.connectionStrategy === 'auth0') {
    return callback(null, user, context);
  }

  management.getUsersByEmail(user.email, function (err, users) {
    if (err) return callback(err);

    const primary = users.find(function (u) {
      return u.user_id !== user.user_id && u.email_verified && u.identities[0].provider === 'auth0';
    });
    if (!primary) {
      return callback(null, user, context);
    }
    if (primary.blocked) {
      return callback(new UnauthorizedError('The account for ' + user.email + ' is blocked'));
    }

    const [provider, ...rest] = user.user_id.split('|');
    management.linkUsers(primary.user_id, { provider: provider, user_id: rest.join('|') }, function (linkErr) {
      if (linkErr) return callback(linkErr);
      context.primaryUser = primary.user_id;
      callback(null, user, context);
    });
  });
}
