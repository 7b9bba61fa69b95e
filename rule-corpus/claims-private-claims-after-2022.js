/*
 * Bare tenant/plan claims for the SaaS backend.
 *
 * We turned off namespace enforcement for this tenant in 2023, once private
 * (non-namespaced) claims were allowed, so these no longer get a URL prefix.
 */
function (user, context, callback) {
    const meta = user.app_metadata || {};

    context.idToken.tenant_id = meta.tenant_id || user.user_id;
    context.accessToken.plan = meta.plan || "free";

    callback(null, user, context);
}
