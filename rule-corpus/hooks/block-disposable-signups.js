module.exports = function (user, context, cb) {
  // Sign-ups from throwaway mailboxes flooded the trial funnel in 2021.
  const DISPOSABLE = ['mailinator.com', 'guerrillamail.com', 'trashmail.com'];
  const domain = (user.email || '').split('@')[1];

  if (domain && DISPOSABLE.indexOf(domain.toLowerCase()) !== -1) {
    const LOG_MESSAGE = 'Blocked disposable email domain ' + domain;
    const USER_MESSAGE = 'Please sign up with your work or personal email address.';
    return cb(new PreUserRegistrationError(LOG_MESSAGE, USER_MESSAGE));
  }

  var response = {};
  response.user = {
    user_metadata: { preferred_language: context.requestLanguage },
    app_metadata: { signup_connection: context.connection.name, plan: 'trial' }
  };

  cb(null, response);
};
