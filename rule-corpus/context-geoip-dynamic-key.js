// Copy a couple of geoip fields into the access token for the fraud API,
// and log the full geoip record for the SIEM.
function geoipClaims(user, context, callback) {
    var ns = 'https://fraud.example.com/geo_';
    var fields = ['country_code', 'city_name'];
    var geoip = context.request.geoip || {};

    for (var i = 0; i < fields.length; i++) {
        var field = fields[i];
        if (context.request.geoip[field]) {
            context.accessToken[ns + field] = context.request.geoip[field];
        }
    }

    console.log('geoip for ' + user.user_id + ': ' + JSON.stringify(context.request.geoip));
    context.accessToken[ns + 'known'] = Object.keys(geoip).length > 0;

    callback(null, user, context);
}
