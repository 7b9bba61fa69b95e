// B2B orgs: put org info into the token, and tell the app how many other
// apps the user already has an SSO session with (for the app switcher).
function addOrgContext(user, context, callback) {
  const ns = 'https://b2b.example.com/';

  if (context.organization) {
    context.idToken[`${ns}org_id`] = context.organization.id;
    context.idToken[`${ns}org_name`] = context.organization.name;
    context.idToken[`${ns}org_tier`] = (context.organization.metadata || {}).tier || 'standard';
  }

  const sessionClients = (context.sso && context.sso.current_clients) || [];
  context.idToken[`${ns}sso_apps`] = sessionClients.length;

  callback(null, user, context);
}
