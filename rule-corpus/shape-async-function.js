// Tag logins coming from the internal corporate connection.
// Rewritten as an async function when we moved the tenant to Node 16;
// nothing in here actually awaits anything.
async function (user, context, callback) {
  const corporate = context.connection === 'acme-corp-ad';
  const department = user.user_metadata && user.user_metadata.department;

  if (!corporate) {
    return callback(null, user, context);
  }

  context.idToken['https://acme-corp.com/employee'] = true;
  context.idToken['https://acme-corp.com/department'] = department || 'unknown';

  return callback(null, user, context);
}
