// Default every user without a plan to the free plan.
// NOTE: this only changes the in-memory profile for this login; it is
// never saved (no auth0.users.updateAppMetadata call). The "limits" rule
// that runs after this one reads user.app_metadata.plan.
function (user, context, callback) {
  user.app_metadata = user.app_metadata || {};

  if (!user.app_metadata.plan) {
    user.app_metadata.plan = 'free';
  }

  context.idToken['https://saas.example.com/plan'] = user.app_metadata.plan;
  callback(null, user, context);
}
