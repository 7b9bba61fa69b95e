// Skip everything for "[M2M]"-prefixed test clients, otherwise add the
// locale claim. Classic "return callback" early exit + trailing call.
function (user, context, callback) {
  if (context.clientName && context.clientName.indexOf('[M2M]') === 0) {
    return callback(null, user, context);
  }

  var locale = (user.user_metadata && user.user_metadata.locale) || 'en-US';
  context.idToken['https://i18n.example.com/locale'] = locale;

  callback(null, user, context);
};
