// Claims written as whole objects: a wholesale replacement with comments,
// a spread that keeps existing claims, and Object.assign with a restricted name.
function (user, context, callback) {
  const ns = 'https://example.com/';
  context.idToken = {
    // roles for the admin UI
    [ns + 'roles']: user.app_metadata.roles,
    'https://example.com/plan': 'pro', // billing
    favorite_color: 'blue',
  };
  context.accessToken = { ...context.accessToken, [ns + 'tenant']: user.app_metadata.tenant };
  Object.assign(context.idToken, { picture: user.picture, roles: [] });
  callback(null, user, context);
}
