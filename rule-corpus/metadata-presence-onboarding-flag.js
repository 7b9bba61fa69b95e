function onboardingClaims(user, context, callback) {
  // New users come in without any app_metadata until the provisioning job ran.
  if (user.app_metadata) {
    context.idToken['https://example.com/provisioned'] = true;
    context.idToken['https://example.com/plan'] = user.app_metadata.plan || 'free';
  } else {
    context.idToken['https://example.com/provisioned'] = false;
  }

  const prefs = user.user_metadata ? user.user_metadata.preferences : null;
  context.idToken['https://example.com/prefs'] = prefs || {};
  context.idToken['https://example.com/profile'] = user.user_metadata;

  callback(null, user, context);
}
