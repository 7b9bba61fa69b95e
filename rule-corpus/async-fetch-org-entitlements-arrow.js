// B2B tenant: entitlements live in the billing platform, keyed by the
// Auth0 organization. Put them in the access token for our APIs; suspended
// (unpaid) organizations can't sign in at all.
function orgEntitlements(user, context, callback) {
  const org = context.organization;
  if (!org) {
    return callback(null, user, context);
  }

  const url = `https://billing.example.io/internal/orgs/${org.id}/entitlements`;

  fetch(url, { headers: { Authorization: `Bearer ${configuration.BILLING_TOKEN}` } })
    .then(res => res.json())
    .then(data => {
      if (data.error) {
        return callback(new Error(`billing: ${data.error}`));
      }
      if (data.suspended) {
        return callback(new UnauthorizedError(`${org.name} is suspended. Please contact your account owner.`));
      }

      context.accessToken['https://api.example.io/entitlements'] = data.features || [];
      context.accessToken['https://api.example.io/plan'] = data.plan;
      context.idToken['https://api.example.io/org_plan'] = data.plan;
      callback(null, user, context);
    })
    .catch(err => callback(err));
}
