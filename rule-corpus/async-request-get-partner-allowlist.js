// The partner portal is only for staff of companies with a signed reseller
// agreement. Partner ops maintain the domain list in the partner-admin
// service; we read it on every login to the portal so removals apply at once.
function partnerDomainGate(user, context, callback) {
  const PORTAL_CLIENT_ID = 'pRtNrP0rT4l0000000000000000000ab';

  if (context.clientID !== PORTAL_CLIENT_ID) {
    return callback(null, user, context);
  }

  const domain = (user.email || '').split('@').pop().toLowerCase();

  request.get({
    url: 'https://partner-admin.example.com/api/reseller-domains',
    headers: { 'X-Api-Key': configuration.PARTNER_ADMIN_KEY },
    json: true
  }, (err, res, body) => {
    if (err) {
      console.error('partner-admin unreachable', err.message);
      return callback(err);
    }
    if (res.statusCode >= 400) {
      return callback(new Error(`partner-admin returned ${res.statusCode}`));
    }

    const entry = (body.domains || []).find((d) => d.domain === domain);
    if (!entry) {
      return callback(new UnauthorizedError('Your company is not a registered reseller.'));
    }
    if (entry.suspended) {
      return callback(new UnauthorizedError('Reseller agreement suspended for ' + domain));
    }

    context.accessToken['https://partners.example.com/reseller_id'] = entry.reseller_id;
    context.accessToken['https://partners.example.com/reseller_tier'] = entry.tier;
    return callback(null, user, context);
  });
}
