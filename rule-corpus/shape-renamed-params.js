/*
 * Make sure beta testers get the beta flag in their tokens.
 * (Params were renamed by a previous maintainer:
 *  u = user, ctx = context, done = callback.)
 */
function (u, ctx, done) {
    var meta = u.app_metadata || {};
    var isBeta = meta.beta_tester === true;

    if (isBeta) {
        ctx.idToken['https://app.example.org/beta'] = true;
        ctx.accessToken['https://app.example.org/beta'] = true;
    }

    // nothing else to do
    done(null, u, ctx);
}
