// Staging and production apps used to share one tenant. Staging clients
// get the "b" namespace, so `ns` is switched before the claims are set.
function (user, context, callback) {
	var ns = 'https://a.example.com/';
	var staging = (context.clientMetadata || {}).env === 'staging';

	if (staging) {
		ns = 'https://b.example.com/';
	}

	context.idToken[ns + 'roles'] = (user.app_metadata || {}).roles || [];
	context.idToken[ns + 'env'] = staging ? 'staging' : 'production';

	callback(null, user, context);
}
