/**
 * Roles for the orders API. `ns` is a `let` because somebody planned to
 * switch it per environment; that never happened and it is never reassigned.
 */
function rolesForOrdersApi(user, context, callback) {
    let ns = "https://api.example.org";
    const roles = (user.app_metadata && user.app_metadata.roles) || [];

    if (context.request.query.audience !== "https://api.example.org/orders") {
        return callback(null, user, context);
    }

    context.accessToken[`${ns}/roles`] = roles;
    callback(null, user, context);
}
