// Logins through VPNs, Tor or hosting providers get an MFA challenge; IPs on
// the abuse list are refused. Reputation comes from our IP-intel vendor.
// Office ranges are skipped (no call, no MFA) to save API credits.
function (user, context, callback) {
  var ip = context.request.ip;
  if (/^10\./.test(ip) || ip.indexOf('198.51.100.') === 0) {
    return callback(null, user, context);
  }

  request.get('https://ipintel.example.net/v2/lookup/' + ip, {
    json: true,
    headers: { 'x-key': configuration.IPINTEL_KEY }
  }, function (err, response, rep) {
    if (err) return callback(err);
    if (response.statusCode === 429) {
      // quota exhausted: be safe, challenge
      context.multifactor = { provider: 'any', allowRememberBrowser: false };
      return callback(null, user, context);
    }
    if (response.statusCode !== 200) {
      return callback(new Error('ipintel ' + response.statusCode));
    }
    if (rep.abuse_score >= 90 || rep.listed) {
      return callback(new UnauthorizedError('Sign-in from this IP address is not allowed'));
    }
    if (rep.is_vpn || rep.is_tor || rep.is_hosting) {
      context.multifactor = {
        provider: 'google-authenticator',
        allowRememberBrowser: false
      };
    }
    callback(null, user, context);
  });
}
