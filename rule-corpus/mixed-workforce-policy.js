/**
 * Acme Workforce login policy (one big rule, owned by the IAM team).
 *
 * 1. Refresh tokens skip everything.
 * 2. Only approved apps may be used with the workforce connections.
 * 3. Embargoed countries are blocked.
 * 4. Unverified emails are blocked.
 * 5. Roles/groups are added to the tokens.
 * 6. MFA for admins, and for everyone logging in from abroad.
 */
function acmeWorkforcePolicy(user, context, callback) {
    var _ = require('lodash@4.17.21');
    var NS = 'https://workforce.acme-corp.com/';
    var APPROVED_APPS = (configuration.APPROVED_CLIENT_IDS || '').split(',');
    var WORKFORCE = ['acme-ad', 'acme-okta'];

    if (context.protocol === 'oauth2-refresh-token') {
        return callback(null, user, context);
    }

    if (WORKFORCE.indexOf(context.connection) !== -1 &&
        APPROVED_APPS.indexOf(context.clientID) === -1) {
        return callback(new UnauthorizedError('App ' + context.clientName + ' is not approved for workforce accounts'));
    }

    var country = context.request.geoip && context.request.geoip.country_code;
    if (_.includes(['KP', 'IR', 'SY'], country)) {
        return callback(new UnauthorizedError('Access from ' + country + ' is not permitted'));
    }

    if (!user.email_verified) {
        return callback(new UnauthorizedError('Please verify ' + user.email + ' first'));
    }

    var roles = _.uniq((user.app_metadata && user.app_metadata.roles) || []);
    var groups = user.groups || [];

    context.idToken[NS + 'roles'] = roles;
    context.idToken[NS + 'groups'] = groups;
    context.accessToken[NS + 'roles'] = roles;
    context.accessToken[NS + 'department'] = (user.user_metadata || {}).department;

    /* MFA: admins always, everyone else when travelling */
    var homeCountry = (user.app_metadata && user.app_metadata.home_country) || 'US';
    var isAdmin = _.includes(roles, 'admin');
    if (isAdmin || (country && country !== homeCountry)) {
        context.multifactor = {
            provider: 'any',
            allowRememberBrowser: !isAdmin
        };
    }

    if (context.stats.loginsCount === 1) {
        context.idToken[NS + 'first_login'] = true;
    }

    callback(null, user, context);
}
