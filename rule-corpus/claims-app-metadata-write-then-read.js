// Plan + seat limit claims. New sign-ups have no plan yet, so it is
// defaulted on the profile first; the default only lives for this login.
function (user, context, callback) {
  user.app_metadata = user.app_metadata || {};
  user.app_metadata.plan = user.app_metadata.plan || "free";

  var SEATS = { free: 1, team: 10, business: 50, enterprise: 500 };

  context.idToken["https://saas.example.io/plan"] = user.app_metadata.plan;
  context.accessToken["https://saas.example.io/seats"] = SEATS[user.app_metadata.plan] || 1;

  callback(null, user, context);
}
