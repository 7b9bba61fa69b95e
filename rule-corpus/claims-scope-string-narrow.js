// The warehouse kiosk app may only read reports, whatever scopes its
// (shared, badly configured) tablets ask for.
function kioskScopes(user, context, callback) {
  var KIOSK_CLIENT_ID = 'Kz81bYd0QeLr4nTgP5vWmA2s';

  if (context.clientID === KIOSK_CLIENT_ID) {
    console.log('kiosk login ' + user.user_id + ', narrowing scopes');
    context.accessToken.scope = 'openid profile read:reports';
  }

  callback(null, user, context);
}
