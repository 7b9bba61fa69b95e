// The "crm-enrich" rule earlier in the pipeline stashes the CRM record on
// context.someCustomThing; this rule turns it into token claims.
function crmClaims(user, context, callback) {
  const crm = context.someCustomThing;

  if (!crm) {
    // enrich rule was disabled or the CRM lookup found nothing
    return callback(null, user, context);
  }

  context.idToken['https://crm.example.com/account_id'] = crm.accountId;
  context.idToken['https://crm.example.com/segment'] = crm.segment || 'smb';

  callback(null, user, context);
}
