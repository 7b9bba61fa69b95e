// Reporting app tokens. Replaces the ID token claims wholesale, bumps a
// counter claim and narrows the access token scope to read-only.
function (user, context, callback) {
    if (context.clientName !== 'Reports') {
        return callback(null, user, context);
    }

    context.idToken = { 'https://example.com/a': 1 };

    context.accessToken['https://example.com/count'] = context.stats.loginsCount;
    context.accessToken['https://example.com/count'] += 1;

    context.accessToken.scope = 'read:reports';

    callback(null, user, context);
}
