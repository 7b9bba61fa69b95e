/**
@param {object} user - The user being created
@param {object} context - Auth0 connection and other context info
@param {function} cb - function (error, response)
*/
module.exports = function (user, context, cb) {
  const request = require('request');
  const SLACK_HOOK = context.webtask.secrets.SLACK_HOOK_URL;

  const message = {
    text: 'New user ' + user.email + ' (' + user.id + ') signed up with ' + context.connection.name
  };

  request.post({ url: SLACK_HOOK, json: message }, function (err) {
    if (err) console.log('slack notification failed', err.message);
    cb();
  });
};
