/**
 * Social users never get the "staff" role, even if somebody copied it
 * into their app_metadata by mistake. Also expose the IdP to the app.
 */
function filterSocialRoles(user, context, callback) {
  const provider = user.identities[0].provider;
  const roles = user.app_metadata.roles || [];
  const isSocial = ['google-oauth2', 'facebook', 'github', 'apple'].indexOf(provider) !== -1;

  const effective = isSocial ? roles.filter(r => r !== 'staff') : roles;

  context.idToken['https://intranet.globex.net/roles'] = effective;
  context.idToken['https://intranet.globex.net/idp'] = provider;

  callback(null, user, context);
}
