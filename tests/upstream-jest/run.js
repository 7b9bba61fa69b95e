// node tests/upstream-jest/run.js <rules2actions binary> <node_modules dir> <work dir>
//
// Migrates the upstream rule templates with the binary into <work dir>/out, runs their upstream
// jest suites against the Actions (jest.config.js, load-rule.js), and prints on stdout, as JSON,
// each suite file's result with the names of its failing tests. Jest's own report goes to
// stderr. Exits non-zero only when the run itself failed, not when suites fail.
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

// Jest gives up on a test after its `testTimeout`; this bounds the whole run (2 workers, 72 files)
// should jest itself hang.
const JEST_RUN_LIMIT_MS = 300_000;

function main([binary, nodeModules, workDir]) {
  if (!binary || !nodeModules || !workDir) {
    fail('usage: node tests/upstream-jest/run.js <rules2actions binary> <node_modules dir> <work dir>');
  }
  const projectRoot = path.resolve(__dirname, '../..');
  const rules = path.join(projectRoot, '../shared/corpora/auth0-rules/src/rules');
  const out = path.resolve(workDir, 'out');
  const results = path.resolve(workDir, 'jest-results.json');

  const migration = spawnSync(binary, ['migrate', rules, '--out', out, '--quiet', '--color', 'never'], { encoding: 'utf8' });
  // 1 is the normal outcome: some templates need manual work, and their Actions are still written.
  if (migration.status !== 0 && migration.status !== 1) {
    fail(`rules2actions migrate exited with ${migration.status ?? migration.signal}:\n${migration.stderr}`);
  }

  // Results of an earlier run in the same folder must not pass for this run's.
  fs.rmSync(results, { force: true });
  const jest = spawnSync(
    process.execPath,
    [
      path.join(nodeModules, 'jest/bin/jest.js'),
      '--config', path.join(__dirname, 'jest.config.js'),
      '--ci', '--silent', '--maxWorkers=2', '--forceExit',
      '--json', '--outputFile', results,
    ],
    {
      cwd: projectRoot,
      env: { ...process.env, R2A_ACTIONS_DIR: out, R2A_NODE_MODULES: path.resolve(nodeModules) },
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: JEST_RUN_LIMIT_MS,
    },
  );
  if (jest.error || jest.signal) fail(`jest did not finish: ${jest.error?.message ?? jest.signal}`);
  // Jest exits with 1 when a test fails; what failed is in the results.
  if (!fs.existsSync(results)) fail(`jest exited with ${jest.status} and wrote no results`);

  process.stdout.write(`${JSON.stringify(summary(JSON.parse(fs.readFileSync(results, 'utf8'))), null, 2)}\n`);
}

/** `{ passed, failed, suites: { "<file>": { status, failing?, error? } } }`, files sorted. */
function summary(report) {
  const suites = {};
  for (const suite of [...report.testResults].sort((a, b) => a.name.localeCompare(b.name))) {
    const entry = { status: suite.status === 'passed' ? 'passed' : 'failed' };
    const failing = suite.assertionResults.filter((test) => test.status === 'failed').map((test) => test.fullName);
    if (failing.length > 0) entry.failing = failing;
    // A file that failed without a failing test did not load or run at all.
    else if (entry.status === 'failed') entry.error = (suite.message ?? '').trim().split('\n').slice(0, 3).join(' ');
    suites[path.basename(suite.name)] = entry;
  }
  const passed = Object.values(suites).filter((suite) => suite.status === 'passed').length;
  return { passed, failed: Object.keys(suites).length - passed, suites };
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

main(process.argv.slice(2));
