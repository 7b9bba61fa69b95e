// Geo-blocking: embargoed countries are denied outright, and logins from
// outside Europe get their location stamped into the token for review.
function (user, context, callback) {
    const BLOCKED = ['KP', 'IR', 'SY', 'CU'];

    if (BLOCKED.includes(context.request.geoip.country_code)) {
        return callback(new UnauthorizedError('Login not available in your region'));
    }

    if (context.request.geoip.continent_code !== 'EU') {
        context.idToken['https://eu-bank.example.eu/login_city'] = context.request.geoip.city_name;
        context.idToken['https://eu-bank.example.eu/login_tz'] = context.request.geoip.time_zone;
    }

    callback(null, user, context);
}
