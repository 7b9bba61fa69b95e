// Duo Security MFA for the VPN portal apps. Keys live in rule settings.
function (user, context, callback) {
  const VPN_CLIENTS = ['Hc5Jv8Lm2Np4Qr6St9Uw1Xy3Za7Bc0De', 'Gb7Df0Ek3Fl5Hm8Jn1Kp4Lq6Mr9Ns2Ot'];

  if (VPN_CLIENTS.indexOf(context.clientID) === -1) {
    return callback(null, user, context);
  }

  context.multifactor = {
    provider: 'duo',
    ikey: configuration.DUO_IKEY,
    skey: configuration.DUO_SKEY,
    host: configuration.DUO_HOST, // e.g. api-XXXXXXXX.duosecurity.com

    // Duo username must match the one in the Duo admin panel
    username: user.email,

    allowRememberBrowser: true
  };

  callback(null, user, context);
}
