function (user, context, callback) {
  // Both helpers come from the shared snippets file the team pastes into rules.
  function audienceOf(ctx) {
    return (ctx.request && ctx.request.query && ctx.request.query.audience) || 'none';
  }

  function isStaff(u, domain) {
    return Boolean(u.email_verified && u.email && u.email.endsWith('@' + domain));
  }

  const audience = audienceOf(context);
  if (audience === 'https://admin.example.com/' && !isStaff(user, 'example.com')) {
    return callback(new UnauthorizedError('Staff only'));
  }
  context.accessToken['https://example.com/audience'] = audience;
  callback(null, user, context);
}
