function (user, context, callback) {
  const describe = function (user) {
    return (user.name || user.email || 'unknown').toLowerCase();
  };

  const label = describe(user);
  const fallback = describe({ name: context.clientName });
  context.idToken['https://example.com/label'] = label || fallback;
  return callback(null, user, context);
}
