// Workforce SSO claims. The old intranet apps read "groups" and "org_id"
// straight off the ID token and the timesheet API wants bare "permissions";
// only the department claim follows our namespace convention.
function workforceClaims(user, context, callback) {
    var meta = user.app_metadata || {};

    context.idToken.groups = user.groups || [];
    context.accessToken.permissions = meta.permissions || [];
    context.idToken.org_id = meta.org_id;
    context.idToken["https://intranet.initech.com/department"] = meta.department || "unknown";

    callback(null, user, context);
}
