/*
 * Custom avatar for the picture claim, and one boolean claim per
 * feature flag (flags live in app_metadata.features as an array).
 */
function (user, context, callback) {
  const ns = 'https://features.example.dev/';
  const features = (user.app_metadata && user.app_metadata.features) || [];

  if (user.user_metadata && user.user_metadata.avatar_url) {
    context.idToken.picture = user.user_metadata.avatar_url;
  }

  features.forEach(function (flag) {
    context.idToken[ns + 'feature_' + flag] = true;
  });

  callback(null, user, context);
}
