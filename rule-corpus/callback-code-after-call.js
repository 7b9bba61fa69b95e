// Mark newsletter subscribers in the ID token.
// NB: the early callback below is missing its `return`, so the code after
// the if still runs for social logins (nobody noticed for two years).
function (user, context, callback) {
  var NS = "https://news.example.com/";

  if (context.connectionStrategy !== "auth0") {
    callback(null, user, context);
  }

  console.log("newsletter check for " + user.email + " (" + context.connection + ")");

  var prefs = user.user_metadata || {};
  context.idToken[NS + "subscribed"] = prefs.newsletter === true;

  callback(null, user, context);
}
