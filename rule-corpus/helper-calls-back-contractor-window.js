function enforceContractorWindow(user, context, callback) {
  const CONTRACTOR_DOMAIN = 'contractors.example.com';

  // Shared exits, so every path logs the same way.
  function reject(message) {
    console.log('[contractor-window] ' + user.email + ': ' + message);
    return callback(new UnauthorizedError(message));
  }

  function allow() {
    context.idToken['https://example.com/contractor'] = true;
    return callback(null, user, context);
  }

  if (!user.email || !user.email.endsWith('@' + CONTRACTOR_DOMAIN)) {
    return callback(null, user, context);
  }

  const endsAt = user.app_metadata.contract_ends_at;
  if (!endsAt) {
    return reject('No contract end date on file');
  }
  if (new Date(endsAt) < new Date()) {
    return reject('Your contract has ended');
  }
  return allow();
}
