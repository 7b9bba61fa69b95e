module.exports = function (user, context, cb) {
  const axios = require('axios@0.21.1');

  axios.post(context.webtask.secrets.AUDIT_ENDPOINT, {
    event: 'password_changed',
    user_id: user.id,
    email: user.email,
    connection: context.connection.name
  }, {
    headers: { Authorization: 'Bearer ' + context.webtask.secrets.AUDIT_TOKEN }
  })
    .then(function () { cb(); })
    .catch(function (err) { cb(err); });
};
