// Email domain check for the partner portal.
// Older style: a string error and a plain Error (not UnauthorizedError).
function (user, context, callback) {
  var PORTAL = "Partner Portal";
  if (context.clientName !== PORTAL) {
    return callback(null, user, context);
  }

  if (!user.email) {
    return callback("Email address is required for the partner portal");
  }

  var domain = user.email.split("@").pop().toLowerCase();
  if (domain === "partners.acme-corp.com") {
    callback(null, user, context);
  } else {
    callback(new Error("Only partner accounts may use the Partner Portal"));
  }
}
