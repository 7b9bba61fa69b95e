/**
 * Org + role for the partner API, merged into the access token in one go.
 */
function partnerApiClaims(user, context, callback) {
    var meta = user.app_metadata || {};
    var org = meta.partner_org;

    if (!org) {
        return callback(null, user, context);
    }

    Object.assign(context.accessToken, {
        'https://api.example.com/org': org.id,
        // "viewer" is the safe default; admins are set in the partner console
        'https://api.example.com/role': org.role || 'viewer'
    });

    callback(null, user, context);
}
