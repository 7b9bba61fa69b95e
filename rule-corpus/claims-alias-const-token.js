// A/B test assignments for the checkout redesign. Uses a short alias for
// the ID token because the lint config caps lines at 80 columns.
function (user, context, callback) {
  const idt = context.idToken;
  const experiments = (user.app_metadata || {}).experiments || {};

  idt['https://example.com/a'] = experiments.one_page_checkout === true;
  idt['https://example.com/b'] = experiments.pricing_variant || 'control';

  callback(null, user, context);
}
