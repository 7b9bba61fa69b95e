/**
 * Copy the feature flags the support console assigned to the user's
 * organization into app_metadata, so every app sees the same flags.
 */
function copyOrgFlags(user, context, callback) {
  var flags = (context.organization && context.organization.metadata) || {};
  Object.keys(flags).forEach(function (name) {
    user.app_metadata['flag_' + name] = flags[name] === 'true';
  });

  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .then(() => callback(null, user, context))
    .catch(callback);
}
