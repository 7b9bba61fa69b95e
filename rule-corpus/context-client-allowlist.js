// Only the three first-party apps may use the "legacy-db" connection.
// Everyone else gets bounced.
function (user, context, callback) {
  var ALLOWED_CLIENTS = [
    'Xu8bN2qLm4Pz7RtV1wYc9KdE3fGh5JkL',  // Web storefront
    'aQ3fG7hJ1kL5mN9pR2sT6vW8xY0zB4cD',  // iOS app
    'Zy4xW1vU8tS5rQ2pO9nM6lK3jI7hG0fE'   // Android app
  ];

  if (context.connection !== 'legacy-db') {
    return callback(null, user, context);
  }

  if (ALLOWED_CLIENTS.indexOf(context.clientID) === -1) {
    console.log('Blocked legacy-db login for client ' + context.clientName);
    return callback(new UnauthorizedError('This application cannot use this login method.'));
  }

  callback(null, user, context);
}
