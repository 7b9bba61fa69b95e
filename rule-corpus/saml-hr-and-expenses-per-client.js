// SAML settings for the two HR SaaS apps that take their config from us.
// The HR suite wants the employee number as a persistent NameID; the
// expenses tool wants the email address and a short assertion lifetime.
function (user, context, callback) {
  var HR_SUITE = 'hRsU1t3SaMl000000000000000000001';
  var EXPENSES = 'eXp3nS3sSaMl00000000000000000002';

  if (context.clientID === HR_SUITE) {
    context.samlConfiguration.audience = 'https://hr-suite.example-saas.com/sp/acme';
    context.samlConfiguration.recipient = 'https://hr-suite.example-saas.com/sp/acme/acs';
    context.samlConfiguration.nameIdentifierFormat = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
    context.samlConfiguration.nameIdentifierProbes = ['http://schemas.example.com/claims/employee_number'];
    context.samlConfiguration.mappings = {
      'http://schemas.example.com/claims/employee_number': 'app_metadata.employee_number',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'email',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': 'given_name',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': 'family_name',
      'http://schemas.example.com/claims/department': 'user_metadata.department'
    };
    context.samlConfiguration.passthroughClaimsWithNoMapping = false;
    context.samlConfiguration.mapIdentities = false;
    context.samlConfiguration.signatureAlgorithm = 'rsa-sha256';
    context.samlConfiguration.digestAlgorithm = 'sha256';
  } else if (context.clientID === EXPENSES) {
    context.samlConfiguration.nameIdentifierFormat = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
    context.samlConfiguration.nameIdentifierProbes = ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'];
    context.samlConfiguration.lifetimeInSeconds = 300;
    context.samlConfiguration.createUpnClaim = false;
    context.samlConfiguration.mappings = {
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'email',
      'cost_center': 'app_metadata.cost_center',
      'approver': 'app_metadata.manager_email'
    };
  }

  callback(null, user, context);
}
