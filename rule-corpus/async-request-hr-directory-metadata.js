/**
 * Workforce logins: pull the employee record from the HR directory and keep
 * employee id and cost centre in app_metadata (the expense app reads them
 * from the ID token). Leavers are refused even if AD has not caught up yet.
 */
function hrDirectorySync(user, context, callback) {
  if (context.connection !== 'corp-azure-ad') {
    return callback(null, user, context);
  }

  user.app_metadata = user.app_metadata || {};
  var upn = user.upn || user.email;

  request({
    method: 'GET',
    uri: 'https://hr-directory.internal.example.com/api/employees/' + encodeURIComponent(upn),
    auth: { bearer: configuration.HR_DIRECTORY_TOKEN },
    json: true
  }, function (err, res, employee) {
    if (err) return callback(err);
    if (res.statusCode === 404) {
      return callback(new UnauthorizedError('No HR record for ' + upn));
    }
    if (res.statusCode !== 200) {
      return callback(new Error('HR directory error ' + res.statusCode));
    }
    if (employee.status === 'terminated' || employee.status === 'suspended') {
      return callback(new UnauthorizedError('Account disabled'));
    }

    user.app_metadata.employee_id = employee.employee_id;
    user.app_metadata.cost_center = employee.cost_center;

    auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
      .then(function () {
        context.idToken['https://corp.example.com/employee_id'] = employee.employee_id;
        context.idToken['https://corp.example.com/cost_center'] = employee.cost_center;
        callback(null, user, context);
      })
      .catch(function (e) {
        callback(e);
      });
  });
}
