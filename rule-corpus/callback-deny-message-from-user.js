// Blocklist check. Trust & Safety flags abusive accounts in app_metadata.
function (user, context, callback) {
  if (user.app_metadata.blocked) return callback(new UnauthorizedError('blocked'));

  // chargeback abuse gets a more specific message for the support team
  const flagged = (user.app_metadata.flags || []).includes('chargeback');
  if (flagged)
    return callback(new UnauthorizedError('User ' + user.email + ' is blocked'));

  callback(null, user, context);
}
