/**
 * Adds the partner's tenant and plan to M2M access tokens, and refuses clients that the
 * partner team has suspended.
 */
module.exports = function (client, scope, audience, context, cb) {
  var access_token = {};
  var namespace = 'https://api.partners.example.com/';

  if (client.metadata && client.metadata.suspended === 'true') {
    return cb(new InvalidRequestError('Client ' + client.name + ' is suspended'));
  }

  access_token[namespace + 'tenant'] = client.metadata.partner_tenant || 'unknown';
  access_token[namespace + 'plan'] = client.metadata.plan || 'starter';
  access_token[namespace + 'audience'] = audience;

  cb(null, access_token);
};
