/**
 * All SAML service providers in one table, keyed by client id, so adding an
 * app is a config change in one place. Settings are copied onto
 * samlConfiguration; attribute mappings are merged over the shared ones.
 */
function applySamlConfig(user, context, callback) {
  const COMMON_MAPPINGS = {
    'urn:oid:0.9.2342.19200300.100.1.3': 'email',
    'urn:oid:2.16.840.1.113730.3.1.241': 'name'
  };
  const SP_CONFIG = {
    'wIk1C0nFlUeNc3000000000000000003': {
      audience: 'https://wiki.example.com/plugins/servlet/samlconsumer',
      lifetimeInSeconds: 3600,
      mappings: { 'groups': 'app_metadata.wiki_groups' }
    },
    'tAbL3aUaN4lYt1cS000000000000004': {
      audience: 'https://bi.example.com/samlservice/public/sp/metadata',
      nameIdentifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      nameIdentifierProbes: ['urn:oid:0.9.2342.19200300.100.1.1'],
      mappings: { 'urn:oid:0.9.2342.19200300.100.1.1': 'nickname', 'site_role': 'app_metadata.bi_role' },
      signResponse: true,
      typedAttributes: false,
      includeAttributeNameFormat: false
    }
  };

  const sp = SP_CONFIG[context.clientID];
  if (!sp) {
    return callback(null, user, context);
  }

  const { mappings, ...settings } = sp;
  Object.keys(settings).forEach((name) => {
    context.samlConfiguration[name] = settings[name];
  });
  context.samlConfiguration.mappings = Object.assign({}, COMMON_MAPPINGS, mappings);

  callback(null, user, context);
}
