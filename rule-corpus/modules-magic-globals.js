// Old rule from 2016 (Node 4 runtime era). Relies on the modules the
// sandbox used to inject as globals: _, crypto, uuid and jwt.
function (user, context, callback) {
  var admins = ['ops@example.com', 'cto@example.com'];
  var isAdmin = _.includes(admins, user.email);

  var emailHash = crypto.createHash('sha256').update(user.email || '').digest('hex');
  var requestId = uuid.v4();

  context.idToken['https://legacy.example.com/email_hash'] = emailHash;
  context.idToken['https://legacy.example.com/request_id'] = requestId;

  if (isAdmin) {
    context.idToken['https://legacy.example.com/admin_token'] = jwt.sign(
      { sub: user.user_id, rid: requestId },
      configuration.ADMIN_SECRET,
      { expiresInMinutes: 10 }
    );
  }

  callback(null, user, context);
}
