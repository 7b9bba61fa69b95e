// Device trust for the admin console: the endpoint-management service
// tells us whether the device fingerprint (sent by the console as a login
// parameter) is a managed laptop. Unmanaged devices are refused; if the
// service is overloaded we let the login through marked as untrusted.
function (user, context, callback) {
  if (context.clientName !== 'Admin Console') {
    return callback(null, user, context);
  }

  var fingerprint = context.request.query.device_fp || '';

  fetch('https://mdm.example.com/api/v1/device-checks', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + configuration.MDM_API_TOKEN },
    body: JSON.stringify({ fingerprint: fingerprint, user: user.email, ip: context.request.ip })
  })
    .then(function (response) {
      if (response.status === 429 || response.status >= 500) {
        return null; // degrade: no verdict
      }
      if (!response.ok) {
        throw new Error('device check failed: HTTP ' + response.status);
      }
      return response.json();
    })
    .then(function (check) {
      if (check === null) {
        context.accessToken['https://admin.example.com/device_trusted'] = false;
        return callback(null, user, context);
      }
      if (!check.managed || check.compliance === 'failed') {
        return callback(new UnauthorizedError('Admin Console is only available from managed devices.'));
      }
      context.accessToken['https://admin.example.com/device_trusted'] = true;
      context.accessToken['https://admin.example.com/device_id'] = check.device_id;
      callback(null, user, context);
    })
    .catch(function (err) {
      callback(err);
    });
}
