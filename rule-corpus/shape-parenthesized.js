// Exported from an old dashboard backup, where every rule was wrapped in
// parentheses so the file could be evaluated on its own.
(function (user, context, callback) {
  if (context.clientName === 'Kiosk') {
    context.idToken['https://kiosk.example.com/shared_device'] = true;
  }
  callback(null, user, context);
})
