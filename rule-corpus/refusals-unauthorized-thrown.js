// Block accounts flagged by the abuse team. This one throws instead of
// passing the error to the callback.
function blockFlagged(user, context, callback) {
  var flags = (user.app_metadata && user.app_metadata.abuse_flags) || [];

  if (flags.indexOf('banned') !== -1) {
    console.log('banned user ' + user.user_id + ' tried to log in on ' + auth0.domain);
    throw new UnauthorizedError('This account has been suspended');
  }

  callback(null, user, context);
}
