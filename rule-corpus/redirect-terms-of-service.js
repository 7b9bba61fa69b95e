// Terms of service: send users who have not accepted the current version to
// the terms site, and record the acceptance when they come back.
function (user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    // back from the terms site
    context.idToken['https://example.com/tos_accepted'] = true;
    return callback(null, user, context);
  }
  if ((user.app_metadata || {}).tos_version === '2024-03') {
    return callback(null, user, context);
  }
  context.redirect = { url: 'https://terms.example.com/accept?client=' + context.clientID };
  callback(null, user, context);
}
