/**
 * Already migrated: this is a post-login Action, not a Rule.
 * The converter must leave this file untouched.
 */
exports.onExecutePostLogin = async (event, api) => {
  const namespace = 'https://myapp.example.com/';
  const roles = event.authorization ? event.authorization.roles : [];

  if (event.client.client_id === 'kq3Xb0ZyJ8tL2mNp4RsT6uVwYa1Bc3De') {
    api.idToken.setCustomClaim(`${namespace}roles`, roles);
  }

  if (!event.user.email_verified) {
    return api.access.deny('Please verify your email before logging in.');
  }
};
