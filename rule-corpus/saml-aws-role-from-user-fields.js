function (user, context, callback) {
  if (context.clientID !== 'AWS_SSO_CLIENT_ID') {
    return callback(null, user, context);
  }

  user.awsRole = 'arn:aws:iam::951887872838:role/Developer,arn:aws:iam::951887872838:saml-provider/Auth0';
  user.awsRoleSession = user.email;

  context.samlConfiguration = context.samlConfiguration || {};
  context.samlConfiguration.mappings = {
    'https://aws.amazon.com/SAML/Attributes/Role': 'awsRole',
    'https://aws.amazon.com/SAML/Attributes/RoleSessionName': 'awsRoleSession'
  };

  callback(null, user, context);
}
