// Tag tokens with where the user came from, for the support dashboard.
// connectionMetadata.region is set on each enterprise connection.
function (user, context, callback) {
	var strategy = context.connectionStrategy;
	var region = (context.connectionMetadata && context.connectionMetadata.region) || 'global';

	context.idToken['https://support.initech.com/connection'] = context.connection;
	context.idToken['https://support.initech.com/connection_id'] = context.connectionID;
	context.idToken['https://support.initech.com/region'] = region;

	/* enterprise connections need an extra flag for the SSO banner */
	if (strategy === 'waad' || strategy === 'samlp' || strategy === 'adfs') {
		context.idToken['https://support.initech.com/enterprise'] = true;
	}

	callback(null, user, context);
};
