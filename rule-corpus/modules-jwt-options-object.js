// Hands the partner portal a short-lived signed profile. The signing options are kept in one
// object at the top of the helper, the way the partner's integration guide wrote them.
function partnerPortalProfileToken(user, context, callback) {
  if (context.clientID !== configuration.PARTNER_PORTAL_CLIENT_ID) {
    return callback(null, user, context);
  }

  function signProfile(profile) {
    var signingOptions = {
      expiresInMinutes: 10,
      issuer: 'https://login.example.com/',
      audience: 'partner-portal'
    };
    return jwt.sign(profile, configuration.PARTNER_SIGNING_KEY, signingOptions);
  }

  var profileToken = signProfile({
    sub: user.user_id,
    email: user.email,
    org: user.app_metadata && user.app_metadata.partner_org
  });

  context.idToken['https://partners.example.com/profile_token'] = profileToken;
  callback(null, user, context);
}
