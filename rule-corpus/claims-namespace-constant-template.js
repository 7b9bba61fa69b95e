// Groups + plan claims. The namespace is kept in one constant; the plan
// claim uses a template literal (added later by a different dev).
function groupsAndPlan(user, context, callback) {
  const namespace = 'https://myapp.example.com/';
  const ns = namespace;
  const meta = user.app_metadata || {};

  // "groups" comes from the AD connection, "teams" from our own admin UI
  const groups = [].concat(user.groups || [], meta.teams || []);

  context.idToken[namespace + 'groups'] = groups;
  context.idToken[`${ns}plan`] = meta.plan || 'free';
  context.accessToken[`${namespace}plan`] = meta.plan || 'free';

  callback(null, user, context);
}
