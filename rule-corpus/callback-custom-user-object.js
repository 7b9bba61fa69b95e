// Normalise the nickname shown in the forum app: use the display name
// from user_metadata if set, otherwise the part of the email before "@".
// Builds a copy of the profile instead of mutating `user`.
function forumNickname(user, context, callback) {
	var meta = user.user_metadata || {};
	var fromEmail = (user.email || '').split('@')[0];

	var newUser = Object.assign({}, user, {
		nickname: meta.display_name || fromEmail || user.nickname
	});

	context.idToken['https://forum.example.net/nickname'] = newUser.nickname;

	callback(null, newUser, context);
}
