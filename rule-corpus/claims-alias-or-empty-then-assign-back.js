// Defensive pattern copied from a forum answer: build the claims on a local
// object (in case idToken is missing) and write it back at the end.
function (user, context, callback) {
	var claims = context.idToken || {};
	var meta = user.app_metadata || {};
	var roles = meta.roles || [];
	var dept = meta.department || 'general';

	claims['https://example.com/roles'] = roles;
	claims['https://example.com/dept'] = dept;
	context.idToken = claims;

	callback(null, user, context);
}
