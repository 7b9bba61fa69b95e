/**
 * Regulated markets: each brand may only be used from the countries it is
 * licensed in. Compliance edits the country list in the config service, so
 * it is fetched per login instead of being hard-coded here.
 */
async function licensedCountriesOnly(user, context, callback) {
  const brand = (context.clientMetadata && context.clientMetadata.brand) || 'default';
  const country = context.request.geoip && context.request.geoip.country_code;

  let response;
  try {
    response = await fetch('https://config.example.com/compliance/brands/' + brand + '/countries', {
      headers: { 'X-Config-Key': configuration.CONFIG_SERVICE_KEY }
    });
  } catch (e) {
    return callback(e);
  }

  if (response.status !== 200) {
    return callback(new Error('compliance config unavailable: ' + response.status));
  }

  try {
    const { countries = [], blocked_ips = [] } = await response.json();
    if (blocked_ips.indexOf(context.request.ip) !== -1) {
      return callback(new UnauthorizedError('Access from this network is not permitted.'));
    }
    if (!country || countries.indexOf(country) === -1) {
      return callback(new UnauthorizedError(`Not available in ${country || 'your country'}`));
    }
  } catch (parseError) {
    return callback(parseError);
  }

  context.idToken['https://example.com/licensed_country'] = country;
  callback(null, user, context);
}
