//! `verify` is what a team trusts its login pipeline to: a broken Action must not pass, an
//! excuse must come from the Action under test, and the code under test must not reach out of
//! its sandbox. Each case runs the binary on hand-written Actions (`verify --actions`), the way a
//! team checks Actions it edited.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{run, workspace, BINARY};

fn node_or_skip() -> bool {
    if common::has("node") {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "CI has Node.js");
    eprintln!("SKIPPED: these checks need Node.js");
    false
}

/// Verifies `rule` against the hand-written `action` in a scratch folder.
fn verify_action(rule: &str, action: &str) -> common::Run {
    let dir = workspace(&[("rule.js", rule), ("out/actions/rule/code.js", action)]);
    run(&["verify", "rule.js", "--actions", "out"], dir.path())
}

#[test]
fn an_action_that_kept_the_client_check_but_lost_the_deny_differs() {
    if !node_or_skip() {
        return;
    }
    let rule = "function (user, context, callback) {\n  const CLIENTS = ['hr-portal-8f2k', 'payroll-31xz'];\n  if (CLIENTS.indexOf(context.clientID) !== -1 && !user.email_verified) {\n    return callback(new UnauthorizedError('Verify your email first'));\n  }\n  callback(null, user, context);\n}\n";
    let lost = "exports.onExecutePostLogin = async (event, api) => {\n  const CLIENTS = ['hr-portal-8f2k', 'payroll-31xz'];\n  if (CLIENTS.indexOf(event.client.client_id) !== -1 && !event.user.email_verified) {\n    return;\n  }\n};\n";
    let result = verify_action(rule, lost);
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(result.stdout.contains("DIFFERS"), "{}", result.stdout);
    assert!(
        result.stdout.contains("user.email_verified = false"),
        "{}",
        result.stdout
    );
}

#[test]
fn a_dropped_mfa_option_and_a_weakened_role_check_differ() {
    if !node_or_skip() {
        return;
    }
    let mfa_rule = "function (user, context, callback) {\n  if (context.clientName === 'Admin Console') {\n    context.multifactor = { provider: 'any', allowRememberBrowser: false };\n  }\n  callback(null, user, context);\n}\n";
    let dropped = "exports.onExecutePostLogin = async (event, api) => {\n  if (event.client.name === 'Admin Console') {\n    api.multifactor.enable('any');\n  }\n};\n";
    let result = verify_action(mfa_rule, dropped);
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(
        result.stdout.contains("allowRememberBrowser"),
        "{}",
        result.stdout
    );

    let role_rule = "function (user, context, callback) {\n  const roles = (context.authorization && context.authorization.roles) || [];\n  if (context.clientName === 'Billing' && roles.indexOf('billing-admin') === -1) {\n    return callback(new UnauthorizedError('billing admins only'));\n  }\n  callback(null, user, context);\n}\n";
    let any_role = "exports.onExecutePostLogin = async (event, api) => {\n  const roles = (event.authorization && event.authorization.roles) || [];\n  if (event.client.name === 'Billing' && roles.length === 0) {\n    return api.access.deny('billing admins only');\n  }\n};\n";
    let result = verify_action(role_rule, any_role);
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(result.stdout.contains("DIFFERS"), "{}", result.stdout);
}

#[test]
fn an_action_calling_an_api_member_the_trigger_lacks_differs() {
    if !node_or_skip() {
        return;
    }
    // `api.idToken.addClaim` is what a widely read tutorial writes; post-login's `api` (its
    // description in `src/trigger/post_login.rs`) has only `setCustomClaim`.
    let rule = "function (user, context, callback) {\n  context.idToken['https://example.com/plan'] = user.email;\n  callback(null, user, context);\n}\n";
    let invented = "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.addClaim('https://example.com/plan', event.user.email);\n};\n";
    let result = verify_action(rule, invented);
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(result.stdout.contains("DIFFERS"), "{}", result.stdout);
    assert!(
        result
            .stdout
            .contains("api.idToken.addClaim does not exist"),
        "{}",
        result.stdout
    );
    let faithful = "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://example.com/plan', event.user.email);\n};\n";
    let result = verify_action(rule, faithful);
    assert_eq!(result.code, 0, "{}", result.stdout);
}

/// Like [`verify_action`], with the npm packages of `tests/npm-tools`; `None` without npm.
fn verify_with_packages(rule: &str, action: &str) -> Option<common::Run> {
    let modules = common::npm_tools()?;
    let dir = workspace(&[("rule.js", rule), ("out/actions/rule/code.js", action)]);
    let modules = modules.to_string_lossy().into_owned();
    Some(run(
        &[
            "verify",
            "rule.js",
            "--actions",
            "out",
            "--node-modules",
            &modules,
        ],
        dir.path(),
    ))
}

#[test]
fn the_search_signs_the_token_a_site_sends_back_so_what_follows_its_check_is_compared() {
    if !node_or_skip() {
        return;
    }
    let rule = "function (user, context, callback) {\n  const jwt = require('jsonwebtoken');\n  if (context.protocol === 'redirect-callback') {\n    try {\n      jwt.verify(context.request.query.session_token, configuration.SESSION_SECRET, { subject: user.user_id });\n    } catch (e) {\n      return callback(new Error('bad token'));\n    }\n    context.idToken['https://example.com/verified'] = true;\n    return callback(null, user, context);\n  }\n  context.redirect = { url: 'https://verify.example.com' };\n  callback(null, user, context);\n}\n";
    let no_claim = "const jwt = require('jsonwebtoken');\nexports.onExecutePostLogin = async (event, api) => {\n  api.redirect.sendUserTo('https://verify.example.com');\n};\n\nexports.onContinuePostLogin = async (event, api) => {\n  try {\n    jwt.verify(event.request.query.session_token, event.secrets.SESSION_SECRET, { subject: event.user.user_id });\n  } catch (e) {\n    return api.access.deny('bad token');\n  }\n};\n";
    let Some(result) = verify_with_packages(rule, no_claim) else {
        return;
    };
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(result.stdout.contains("DIFFERS"), "{}", result.stdout);
    // Only a token signed with the secret gets past `jwt.verify` to the claim.
    assert!(
        result
            .stdout
            .contains("request.query.session_token = \"r2a-signed-token:SESSION_SECRET\""),
        "{}",
        result.stdout
    );
}

#[test]
fn a_continue_handler_that_skips_what_the_rule_ran_again_on_resume_differs() {
    if !node_or_skip() {
        return;
    }
    // On resume Rules ran the rule again from the top: the client check held then too.
    let rule = "function (user, context, callback) {\n  if (context.clientName !== 'Shop') return callback(null, user, context);\n  if (context.protocol === 'redirect-callback') {\n    context.idToken['https://example.com/consent'] = context.request.query.consent === 'yes';\n    return callback(null, user, context);\n  }\n  context.redirect = { url: 'https://consent.example.com' };\n  callback(null, user, context);\n}\n";
    let branch_only = "exports.onExecutePostLogin = async (event, api) => {\n  if (event.client.name !== 'Shop') return;\n  api.redirect.sendUserTo('https://consent.example.com');\n};\n\nexports.onContinuePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://example.com/consent', event.request.query.consent === 'yes');\n};\n";
    let result = verify_action(rule, branch_only);
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(result.stdout.contains("DIFFERS"), "{}", result.stdout);
    // What the migration writes runs the whole handler again, and is proven.
    let migration = rules2actions::migrate_rule(rule.as_bytes());
    let migrated = migration.output().expect("converted");
    assert!(migrated.contains("resumed = false"), "{migrated}");
    let result = verify_action(rule, migrated);
    assert_eq!(result.code, 0, "{}", result.stdout);
}

#[test]
fn an_update_after_the_callback_that_the_action_drops_differs() {
    if !node_or_skip() {
        return;
    }
    // The rule called back first; the update still reached the profile in Rules.
    let rule = "function (user, context, callback) {\n  const request = require('request');\n  user.app_metadata = user.app_metadata || {};\n  request.post({ url: 'https://crm.example.com/contacts', json: { email: user.email } }, function (err) {\n    if (err) return;\n    user.app_metadata.in_crm = true;\n    auth0.users.updateAppMetadata(user.user_id, user.app_metadata);\n  });\n  callback(null, user, context);\n}\n";
    let dropped = "exports.onExecutePostLogin = async (event, api) => {\n  const request = require('request');\n  request.post({ url: 'https://crm.example.com/contacts', json: { email: event.user.email } }, function (err) {});\n};\n";
    let Some(result) = verify_with_packages(rule, dropped) else {
        return;
    };
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(result.stdout.contains("DIFFERS"), "{}", result.stdout);
    let migration = rules2actions::migrate_rule(rule.as_bytes());
    let migrated = migration.output().expect("converted");
    assert!(
        migrated.contains("managementApiUpdateMetadataLater(event, 'app_metadata',"),
        "{migrated}"
    );
    let result = verify_with_packages(rule, migrated).expect("installed");
    assert_eq!(result.code, 0, "{}", result.stdout);
}

#[test]
fn excuses_come_from_the_action_under_test_and_never_cover_a_broken_one() {
    if !node_or_skip() {
        return;
    }
    // The migration announces the geoip shape (R2A205); an Action without that marker reading
    // the Rules keys is not excused by it.
    let geo_rule = "function (user, context, callback) {\n  const geo = context.request.geoip;\n  context.idToken['https://example.com/country'] = geo.country_code;\n  callback(null, user, context);\n}\n";
    let snake = "exports.onExecutePostLogin = async (event, api) => {\n  const geo = event.request.geoip;\n  api.idToken.setCustomClaim('https://example.com/country', geo.country_code);\n};\n";
    let result = verify_action(geo_rule, snake);
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(
        !result.stdout.contains("announced by R2A205"),
        "{}",
        result.stdout
    );

    // An Action that throws on every login is never equivalent, whatever its markers say.
    let session_rule = "function (user, context, callback) {\n  if (context.sessionID) {\n    context.idToken['https://example.com/s'] = true;\n  }\n  callback(null, user, context);\n}\n";
    let dir = workspace(&[("rule.js", session_rule)]);
    assert_eq!(
        run(&["migrate", "rule.js", "--out", "out"], dir.path()).code,
        1
    );
    let migrated = fs::read_to_string(dir.path().join("out/actions/rule/code.js")).unwrap();
    assert!(
        migrated.contains("TODO(rules2actions R2A201)"),
        "{migrated}"
    );
    let throws = run(&["verify", "rule.js", "--actions", "out"], dir.path());
    assert_eq!(throws.code, 1, "{}", throws.stdout);
    assert!(throws.stdout.contains("DIFFERS"), "{}", throws.stdout);
    assert!(
        throws.stdout.contains("context is not defined"),
        "{}",
        throws.stdout
    );
}

#[test]
fn an_unreached_deny_is_named_and_the_rule_is_not_proven() {
    if !node_or_skip() {
        return;
    }
    // A deny behind a value no scenario can guess (a hash of the email).
    let rule = "function (user, context, callback) {\n  const crypto = require('crypto');\n  const digest = crypto.createHash('sha256').update(user.email || '').digest('hex');\n  if (digest.slice(0, 6) === '000000') {\n    return callback(new Error('flagged'));\n  }\n  callback(null, user, context);\n}\n";
    let dir = workspace(&[("hash.js", rule)]);
    let result = run(&["verify", "hash.js"], dir.path());
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(
        result.stdout.contains("hash: NOT PROVEN"),
        "{}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("the deny at hash.js:5 was never reached"),
        "{}",
        result.stdout
    );
    assert!(
        result.stderr.contains("0 equivalent, 1 not proven"),
        "{}",
        result.stderr
    );
}

/// A rule that tries to leave the sandbox, and an Action that does the same thing.
fn hostile(body: &str) -> (String, String) {
    let rule = format!(
        "function (user, context, callback) {{\n{body}\n  callback(null, user, context);\n}}\n"
    );
    let action = format!("exports.onExecutePostLogin = async (event, api) => {{\n{body}\n}};\n");
    (rule, action)
}

#[test]
fn code_under_test_cannot_read_write_spawn_or_reach_the_network() {
    if !node_or_skip() {
        return;
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let stolen = dir.path().join("stolen.txt");
    let attempts = [
        format!("  try {{ require('fs').writeFileSync({:?}, require('fs').readFileSync('/etc/passwd', 'utf8')); }} catch (e) {{}}", stolen.display().to_string()),
        format!("  try {{ require('fs').writeFileSync({:?}, JSON.stringify(process.env)); }} catch (e) {{}}", stolen.display().to_string()),
        format!("  try {{ require('child_process').execSync('curl -s http://127.0.0.1:{port}/ > {}'); }} catch (e) {{}}", stolen.display()),
        format!("  try {{ require('net').connect({port}, '127.0.0.1').write('hello'); }} catch (e) {{}}"),
        format!("  try {{ require('dgram').createSocket('udp4').send('x', {port}, '127.0.0.1'); }} catch (e) {{}}"),
        format!("  try {{ process.binding('tcp_wrap'); require('fs').writeFileSync({:?}, 'binding'); }} catch (e) {{}}", stolen.display().to_string()),
    ];
    for attempt in &attempts {
        let (rule, action) = hostile(attempt);
        let workdir = workspace(&[("rule.js", &rule), ("out/actions/rule/code.js", &action)]);
        let result = run(&["verify", "rule.js", "--actions", "out"], workdir.path());
        assert_ne!(
            result.code, 2,
            "{attempt}: {}{}",
            result.stdout, result.stderr
        );
        assert!(!stolen.exists(), "{attempt} wrote outside the sandbox");
        assert!(listener.accept().is_err(), "{attempt} reached the network");
    }
    // What the code under test sees of the environment is empty, even with secrets set here.
    let (rule, action) =
        hostile("  context.idToken['https://example.com/env'] = Object.keys(process.env).length;");
    let workdir = workspace(&[
        ("rule.js", &rule),
        (
            "out/actions/rule/code.js",
            &action
                .replace(
                    "context.idToken['https://example.com/env'] = ",
                    "api.idToken.setCustomClaim('https://example.com/env', ",
                )
                .replace("length;", "length);"),
        ),
    ]);
    let output = Command::new(BINARY)
        .args([
            "verify",
            "rule.js",
            "--actions",
            "out",
            "--format",
            "json",
            "--trace",
        ])
        .current_dir(workdir.path())
        .env("GITHUB_TOKEN", "ghp_secret")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(report.contains("https://example.com/env\\\":0"), "{report}");
}

#[test]
fn endless_loops_memory_bombs_and_patched_output_cannot_fake_a_result() {
    if !node_or_skip() {
        return;
    }
    // An endless loop is cut off per scenario, and reported, instead of hanging verify.
    let (rule, _) = hostile("  if (user.email_verified === false) { while (true) {} }");
    let action = "exports.onExecutePostLogin = async (event, api) => {};\n";
    let started = Instant::now();
    let looping = verify_action(&rule, action);
    assert!(started.elapsed() < Duration::from_secs(120), "verify hung");
    assert!(
        looping.stdout.contains("did not finish within"),
        "{}",
        looping.stdout
    );

    let (bomb, _) = hostile("  if (user.email_verified === false) { const a = []; while (true) a.push(new Array(1e6).fill(1)); }");
    let bombed = verify_action(&bomb, action);
    assert_eq!(bombed.code, 1, "{}", bombed.stdout);
    assert!(
        bombed.stdout.contains("process ended") || bombed.stdout.contains("did not finish"),
        "{}",
        bombed.stdout
    );

    // A rule that denies everyone and patches the output cannot look like an Action that
    // lets everyone in: each side reports from its own process, with a nonce.
    let liar = "function (user, context, callback) {\n  process.stdout.write('{\"outcome\":\"fake\"}\\n');\n  require('fs').writeSync(1, '\\n{\"nonce\":\"guess\",\"id\":0,\"outcome\":\"fake\"}\\n');\n  JSON.stringify = () => '{}';\n  callback(new Error('nobody gets in'));\n}\n";
    let open = "exports.onExecutePostLogin = async (event, api) => {};\n";
    let lied = verify_action(liar, open);
    assert_eq!(lied.code, 1, "{}", lied.stdout);
    assert!(lied.stdout.contains("DIFFERS"), "{}", lied.stdout);
}

#[test]
fn a_rule_slow_only_on_a_loaded_machine_is_not_taken_for_one_that_never_ends() {
    if !node_or_skip() {
        return;
    }
    // The first scenario of each process blocks for 3 s (the clock is the sandbox's), past the 2 s a scenario gets: as a
    // rule's first run can take on a loaded CI runner. The second, longer wait sees it end.
    let rule = "function (user, context, callback) {\n  if (!globalThis.warmedUp) {\n    globalThis.warmedUp = true;\n    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);\n  }\n  if (!user.email_verified) {\n    return callback(new Error('Verify your email first'));\n  }\n  callback(null, user, context);\n}\n";
    let action = "exports.onExecutePostLogin = async (event, api) => {\n  if (!event.user.email_verified) {\n    return api.access.deny('Verify your email first');\n  }\n};\n";
    let result = verify_action(rule, action);
    assert!(
        !result.stdout.contains("did not finish within"),
        "{}",
        result.stdout
    );
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn node_processes_die_with_verify() {
    if !node_or_skip() {
        return;
    }
    let (rule, _) = hostile("  while (true) {}");
    let dir = workspace(&[("rule.js", &rule)]);
    let mut child = Command::new(BINARY)
        .args(["verify", "rule.js", "--budget-seconds", "600"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until its workers run, then kill verify as a CI runner would.
    let workers = |parent: u32| -> Vec<u32> {
        let children = fs::read_to_string(format!("/proc/{parent}/task/{parent}/children"))
            .unwrap_or_default();
        children
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .collect()
    };
    let started = Instant::now();
    let mut seen = Vec::new();
    while seen.is_empty() && started.elapsed() < Duration::from_secs(60) {
        seen = workers(child.id());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!seen.is_empty(), "verify started no worker");
    child.kill().unwrap();
    child.wait().unwrap();
    let started = Instant::now();
    while seen
        .iter()
        .any(|pid| Path::new(&format!("/proc/{pid}")).exists())
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "workers outlived verify: {seen:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
