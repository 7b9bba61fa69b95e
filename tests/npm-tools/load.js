// Loads a tree written by `rules2actions migrate --out` the way auth0-deploy-cli deploys one:
// its directory or YAML loader (with keyword replacement) and its schema validation, for
// actions and triggers only. <dir> is the output folder, or its tenant.yaml. No tenant is contacted: validation runs before any API call.
// Usage: node load.js <dir> '<keyword mappings as JSON>' <result.json>: writes the loaded actions
// and triggers to result.json (the tool's logger owns stdout).
const { default: DirectoryContext } = require('auth0-deploy-cli/lib/context/directory');
const { default: YAMLContext } = require('auth0-deploy-cli/lib/context/yaml');
const { Auth0 } = require('auth0-deploy-cli/lib/tools');

(async () => {
  const [dir, mappings, result] = process.argv.slice(2);
  const config = {
    AUTH0_INPUT_FILE: dir,
    AUTH0_KEYWORD_REPLACE_MAPPINGS: JSON.parse(mappings),
    AUTH0_INCLUDED_ONLY: ['actions', 'triggers'],
  };
  const context = dir.endsWith('.yaml') ? new YAMLContext(config, {}) : new DirectoryContext(config, {});
  await context.loadAssetsFromLocal();
  const auth0 = new Auth0({}, context.assets, (key) => config[key]);
  await auth0.validate();
  const { actions, triggers } = auth0.assets;
  const loaded = {
    actions: actions.map((a) => ({
      name: a.name,
      runtime: a.runtime,
      code: a.code,
      dependencies: a.dependencies,
      secrets: a.secrets,
      supported_triggers: a.supported_triggers,
      deployed: a.deployed,
    })),
    triggers,
  };
  require('fs').writeFileSync(result, JSON.stringify(loaded, null, 2));
})().catch((error) => {
  console.error(error.stack || error.message);
  process.exit(1);
});
