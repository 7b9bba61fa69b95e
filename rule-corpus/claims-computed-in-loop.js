// Portal claims: two fixed ones plus whatever extra key/value pairs the
// admin UI stored in app_metadata.extra_claims, all under our namespace.
function (user, context, callback) {
  var NS = 'https://portal.example.com/';
  var meta = user.app_metadata || {};

  var pairs = [
    { key: 'region', value: meta.region || 'us' },
    { key: 'cost_center', value: meta.cost_center }
  ].concat(meta.extra_claims || []);

  for (var i = 0; i < pairs.length; i++) {
    if (!pairs[i] || !pairs[i].key) {
      continue; // half-filled rows from the admin UI
    }
    context.idToken[NS + pairs[i].key] = pairs[i].value;
  }

  callback(null, user, context);
}
