// Contractor access window: contractors may only log in while their
// contract is active. Collects the outcome in `err` and hands it back once;
// a null err meant "carry on" in Rules.
function contractorWindow(user, context, callback) {
  var err = null;
  var meta = user.app_metadata || {};

  if (meta.employment_type === 'contractor') {
    var ends = meta.contract_end ? Date.parse(meta.contract_end) : NaN;

    if (isNaN(ends)) {
      err = new UnauthorizedError('Contract end date missing, contact your sponsor');
    } else if (ends < Date.now()) {
      err = new UnauthorizedError('Your contract ended on ' + meta.contract_end);
    } else {
      context.idToken['https://hr.acme-corp.com/contract_end'] = meta.contract_end;
    }
  }

  if (err) {
    console.log('contractor blocked: ' + user.user_id);
  }

  return callback(err);
}
