/**
 * Desktop app licensing: each organization buys a number of seats. The
 * licensing service tells us whether this user holds a seat; users without
 * one are refused so they see the "ask your admin" page instead.
 */
function checkSeat(user, context, callback) {
  const DESKTOP_CLIENTS = ['dEsKt0pW1n000000000000000000000a', 'dEsKt0pM4c000000000000000000000b'];
  if (!DESKTOP_CLIENTS.includes(context.clientID)) {
    return callback(null, user, context);
  }

  function getJson(url) {
    return fetch(url, {
      headers: { 'x-api-key': configuration.LICENSING_API_KEY, accept: 'application/json' }
    }).then(function (res) {
      if (res.status >= 400) {
        const e = new Error('licensing ' + res.status + ' for ' + url);
        e.status = res.status;
        throw e;
      }
      return res.json();
    });
  }

  const orgId = (user.app_metadata || {}).org_id || 'personal';
  getJson('https://licensing.example.com/v3/orgs/' + orgId + '/seats/' + encodeURIComponent(user.user_id)).then(function (seat) {
    if (!seat.assigned || seat.revoked) {
      return callback(new UnauthorizedError('No desktop license assigned. Ask your administrator for a seat.'));
    }
    context.idToken['https://desktop.example.com/license'] = { edition: seat.edition, expires: seat.expires_at };
    callback(null, user, context);
  }).catch(function (err) { callback(err); });
}
