/**
 * Deny login for users whose account was suspended by Trust & Safety.
 * Suspension is set from the internal admin tool.
 */
function denySuspended(user, context, callback) {
  const meta = user.app_metadata || {};

  if (meta.suspended === true) {
    return callback(new UnauthorizedError('Access denied'));
  }

  callback(null, user, context);
}
