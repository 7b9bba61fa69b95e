/**
 * Guardian push MFA for everyone on the Employees connection.
 * allowRememberBrowser intentionally left out (we take the default).
 */
function guardianForEmployees(user, context, callback) {
  if (context.connection === "Employees") {
    context.multifactor = {
      provider: "guardian"
    };
  }

  callback(null, user, context);
}
