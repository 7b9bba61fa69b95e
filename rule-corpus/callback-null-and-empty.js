// Audit-only rule: logs unverified logins and never changes anything,
// so it just signals "done" without passing user/context back.
function logUnverified(user, context, cb) {
  if (user.email_verified) {
    return cb(null);
  }

  // picked up by the log stream -> SIEM
  console.log('unverified login: ' + user.user_id + ' via ' + context.connection);
  cb();
}
