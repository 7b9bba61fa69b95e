// Maintenance window: while the MAINTENANCE setting is "on", only staff
// can sign in. Uses the "callback(); return;" style.
function maintenanceMode(user, context, callback) {
	if (configuration.MAINTENANCE !== "on") {
		callback(null, user, context);
		return;
	}

	var email = user.email || "";
	if (/@staff\.acme-corp\.com$/.test(email)) {
		callback(null, user, context);
		return;
	}

	callback(new UnauthorizedError("We are down for maintenance, back soon."));
}
