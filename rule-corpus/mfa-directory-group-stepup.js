/**
 * Members of privileged directory groups must pass MFA on every login to
 * the internal tools, no remembered browsers. Group membership comes from
 * the directory API, since our social/db users have no groups on the profile.
 */
async function privilegedGroupsMfa(user, context, callback) {
  const PRIVILEGED = ['prod-admins', 'finance-admins', 'security'];

  if (!context.clientMetadata || context.clientMetadata.internal_tool !== 'true') {
    return callback(null, user, context);
  }

  try {
    const res = await fetch(`https://directory.example.com/api/users/${encodeURIComponent(user.user_id)}/groups`, {
      headers: { Authorization: 'Bearer ' + configuration.DIRECTORY_API_TOKEN }
    });
    if (res.status === 404) {
      return callback(new UnauthorizedError('Not in the company directory'));
    }
    if (!res.ok) {
      throw new Error('directory returned ' + res.status);
    }
    const { groups, disabled } = await res.json();
    if (disabled) {
      return callback(new UnauthorizedError('Directory account disabled'));
    }

    const names = (groups || []).map((g) => g.name);
    if (names.some((n) => PRIVILEGED.includes(n))) {
      context.multifactor = { provider: 'any', allowRememberBrowser: false };
    }
    context.accessToken['https://tools.example.com/groups'] = names;
    callback(null, user, context);
  } catch (err) {
    callback(err);
  }
}
