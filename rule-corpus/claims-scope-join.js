// Same idea as the reports API scope filter, for the billing API. The
// filtered scopes go back as a space-separated string.
function (user, context, callback) {
    const ROLE_SCOPES = {
        billing_viewer: ["read:invoices"],
        billing_admin: ["read:invoices", "write:invoices", "refund:payments"],
    };
    if (context.request.query.audience !== "https://billing.example.com/api") {
        return callback(null, user, context);
    }

    const roles = (user.app_metadata && user.app_metadata.roles) || [];
    const granted = new Set(["openid", "profile"]);
    for (const role of roles) {
        for (const s of ROLE_SCOPES[role] || []) granted.add(s);
    }

    const requested = (context.request.query.scope || context.request.body.scope || "").split(" ");
    const allowed = requested.filter((s) => granted.has(s));

    context.accessToken.scope = allowed.join(" ");
    callback(null, user, context);
}
