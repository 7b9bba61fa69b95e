/*
  Hand the upstream Google access token to the calendar widget so the
  browser can call the Google Calendar API directly:
    GET https://www.googleapis.com/calendar/v3/users/me/calendarList
  Only for users who signed in with Google.
*/
function (user, context, callback) {
  const google = user.identities[0];

  if (google.provider !== 'google-oauth2') {
    return callback(null, user, context);
  }

  const token = user.identities[0].access_token;
  if (!token) {
    console.log(`No Google token for ${user.user_id}`);
    return callback(null, user, context);
  }

  context.idToken['https://calendar.example.com/google_access_token'] = token;
  context.idToken['https://calendar.example.com/google_api'] = 'https://www.googleapis.com/calendar/v3';

  return callback(null, user, context);
}
