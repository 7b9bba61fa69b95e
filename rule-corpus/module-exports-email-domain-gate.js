/* eslint-disable no-undef */
module.exports = function emailDomainGate(user, context, callback) {
  const allowed = (configuration.ALLOWED_EMAIL_DOMAINS || '').split(',').map((d) => d.trim());
  const domain = (user.email || '').split('@').pop().toLowerCase();

  if (context.connectionStrategy === 'auth0' && allowed.indexOf(domain) === -1) {
    return callback(new UnauthorizedError('Sign up with your work email.'));
  }

  return callback(null, user, context);
};
