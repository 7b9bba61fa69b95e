/*
 * Billing plan claims. The host is split into scheme + app so the billing
 * team could point sandboxes at another host (never actually used).
 */
function billingPlan(u, ctx, cb) {
    const BASE = 'https://';
    const APP = 'billing.example.net';
    const sub = (u.app_metadata || {}).subscription || {};

    ctx.idToken[`${BASE}${APP}/plan`] = sub.plan || 'trial';
    ctx.idToken[`${BASE}${APP}/renews_at`] = sub.renews_at || null;

    cb(null, u, ctx);
}
