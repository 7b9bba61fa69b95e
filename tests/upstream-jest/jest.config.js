// Runs the upstream suites in place (../shared/corpora/auth0-rules/test/rules, read-only) with our
// adapter as their `load-rule`, and our installed packages: the upstream folder has no
// node_modules. Paths come from the environment run.js sets.
'use strict';

const path = require('path');

const projectRoot = path.resolve(__dirname, '../..');
const upstreamTests = path.join(projectRoot, '../shared/corpora/auth0-rules/test/rules');
const nodeModules = path.resolve(process.env.R2A_NODE_MODULES ?? path.join(projectRoot, 'target/upstream-jest/node_modules'));

module.exports = {
  rootDir: upstreamTests,
  roots: [upstreamTests],
  testMatch: ['**/*.test.js'],
  moduleNameMapper: { '^\\.\\./utils/load-rule$': path.join(__dirname, 'load-rule.js') },
  modulePaths: [nodeModules],
  setupFiles: [path.join(__dirname, 'nock-on-node20.js')],
  // Plain CommonJS suites: no Babel, so nothing looks for a Babel config under the upstream tree.
  transform: {},
  cacheDirectory: path.join(projectRoot, 'target/upstream-jest/jest-cache'),
  watchman: false,
  testEnvironment: 'node',
  // A suite waiting on a callback the Action never makes fails on its own after this, instead of
  // holding the run.
  testTimeout: 2000,
};
