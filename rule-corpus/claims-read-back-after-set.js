function (user, context, callback) {
  const namespace = 'https://app.example.com/';
  context.idToken[namespace + 'tenant'] = context.tenant;
  context.idToken[namespace + 'tier'] = 'standard';

  // The API reads the same values from the access token.
  context.accessToken[namespace + 'tenant'] = context.idToken[namespace + 'tenant'];
  context.accessToken[namespace + 'tier'] = context.idToken[namespace + 'tier'];
  callback(null, user, context);
}
