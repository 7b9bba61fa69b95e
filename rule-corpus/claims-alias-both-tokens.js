// Loyalty program claims: the tier goes in both tokens, the points balance
// only in the access token (the rewards API needs it, the SPA does not).
function loyaltyClaims(user, context, callback) {
    var at = context.accessToken, it = context.idToken;
    var loyalty = (user.app_metadata || {}).loyalty || {};
    var tier = loyalty.tier || "bronze";

    it["https://loyalty.example.com/tier"] = tier;
    at["https://loyalty.example.com/tier"] = tier;
    at["https://loyalty.example.com/points"] = loyalty.points || 0;

    callback(null, user, context);
}
