// Look the user up in the loyalty service before issuing tokens. Written
// with a promise chain and a timer fallback, so the callback is called from
// nested functions: the Action keeps it as a shim.
function (user, context, callback) {
  var timer = setTimeout(function () {
    callback(null, user, context); // the service is slow: log in without the tier
  }, 3000);

  fetch('https://loyalty.example.com/members/' + encodeURIComponent(user.user_id))
    .then(function (res) { return res.json(); })
    .then(function (member) {
      clearTimeout(timer);
      if (member.banned) {
        return callback(new UnauthorizedError('Loyalty account suspended'));
      }
      context.idToken['https://loyalty.example.com/tier'] = member.tier || 'none';
      callback(null, user, context);
    })
    .catch(function (err) {
      clearTimeout(timer);
      callback(err);
    });
}
