/**
 * Keep the user's preferred language in user_metadata in sync with what the
 * app asked for (ui_locales). The email service sends notifications in
 * user_metadata.locale, so it has to follow the user's latest choice.
 */
function syncPreferredLocale(user, context, callback) {
  const SUPPORTED = ['en', 'fr', 'de', 'es', 'it', 'nl'];
  const requested = ((context.request.query && context.request.query.ui_locales) || '').split(' ')[0];
  const lang = requested.toLowerCase().split('-')[0];

  user.user_metadata = user.user_metadata || {};

  if (!lang || SUPPORTED.indexOf(lang) < 0 || user.user_metadata.locale === lang) {
    return callback(null, user, context);
  }

  user.user_metadata.locale = lang;
  user.user_metadata.locale_updated_at = new Date().toISOString();

  auth0.users.updateUserMetadata(user.user_id, user.user_metadata)
    .then(() => {
      context.idToken.locale = lang;
      callback(null, user, context);
    })
    .catch((err) => {
      console.log('could not save locale for ' + user.user_id + ': ' + err.message);
      callback(null, user, context);
    });
}
