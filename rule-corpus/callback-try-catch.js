// Parse the JSON permissions blob an old admin tool wrote into
// user_metadata as a string. Any parse failure fails the login.
function (user, context, callback) {
  try {
    const raw = (user.user_metadata || {}).permissions_json || '[]';
    const perms = JSON.parse(raw);

    if (!Array.isArray(perms)) {
      throw new Error('permissions_json is not an array');
    }

    context.accessToken['https://api.ledger.example.com/perms'] = perms;
  } catch (e) {
    console.log('bad permissions_json for ' + user.user_id + ': ' + e.message);
    return callback(e);
  }

  return callback(null, user, context);
}
