//! `rules2actions review` driven for real in tmux: accept one rule, reject one, edit one with
//! `EDITOR` set to a script that changes the file, quit, resume, and check the written Actions
//! and the decisions file. The first screen is snapshotted. `.ci/run` installs tmux.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{snapshot_settings, workspace};

const DENY: &str = "function (user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('Access denied'));\n  }\n  callback(null, user, context);\n}\n";
const CLAIM: &str = "function (user, context, callback) {\n  context.idToken['https://example.com/plan'] = 'pro';\n  callback(null, user, context);\n}\n";
const MANUAL: &str = "function (user, context, callback) {\n  if (context.sessionID) {\n    context.idToken['https://example.com/s'] = true;\n  }\n  callback(null, user, context);\n}\n";

/// A tmux server of its own for one run of `review`. Each run gets a new socket: after
/// `kill-session` the old server exits in the background, and a session started on its socket
/// while it is going away is lost with it (CI saw an empty screen from exactly that race).
struct Pane {
    socket: String,
}

impl Pane {
    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs")
    }

    /// The pane's text once it contains `wanted` and has stopped changing (a screen captured
    /// while the program is still drawing it would be half a screen); fails after a minute
    /// without it, which a loaded machine never needs.
    fn screen_with(&self, wanted: &str) -> String {
        let started = Instant::now();
        let mut previous = String::new();
        loop {
            let capture = self.tmux(&["capture-pane", "-p", "-t", "review"]);
            let screen = String::from_utf8_lossy(&capture.stdout).into_owned();
            if screen.contains(wanted) && screen == previous {
                return screen;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "waited for `{wanted}`, the screen shows:\n{screen}\ntmux said: {}",
                String::from_utf8_lossy(&capture.stderr)
            );
            previous = screen;
            sleep(Duration::from_millis(150));
        }
    }

    fn keys(&self, keys: &str) {
        self.tmux(&["send-keys", "-t", "review", keys]);
    }

    fn end(self) {
        self.tmux(&["kill-server"]);
    }
}

fn start(run: u32, dir: &Path) -> Pane {
    let pane = Pane {
        socket: format!("r2a-review-{}-{run}", std::process::id()),
    };
    let command = format!(
        "cd {} && EDITOR=./edit.sh {} review rules --out out; echo REVIEW-ENDED; sleep 60",
        dir.display(),
        common::BINARY
    );
    let started = pane.tmux(&[
        "new-session",
        "-d",
        "-s",
        "review",
        "-x",
        "110",
        "-y",
        "36",
        &command,
    ]);
    assert!(
        started.status.success(),
        "tmux new-session failed: {}",
        String::from_utf8_lossy(&started.stderr)
    );
    pane
}

#[test]
fn accept_reject_edit_quit_and_resume() {
    let has_tmux = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_tmux {
        assert!(
            std::env::var_os("CI").is_none(),
            "the review test needs tmux"
        );
        eprintln!("SKIPPED: the review test needs tmux");
        return;
    }
    let dir = workspace(&[
        ("rules/deny.js", DENY),
        ("rules/claim.js", CLAIM),
        ("rules/manual.js", MANUAL),
        ("edit.sh", "#!/bin/sh\nsed -i 's/pro/enterprise/' \"$1\"\n"),
    ]);
    let edit = dir.path().join("edit.sh");
    let mut permissions = fs::metadata(&edit).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    fs::set_permissions(&edit, permissions).unwrap();
    let pane = start(1, dir.path());
    // Errors first: manual, then the warning (deny), then the clean rule (claim).
    let first = pane.screen_with("Rule 1/3: manual");
    pane.keys("r");
    pane.screen_with("Rule 2/3: deny");
    pane.keys("a");
    pane.screen_with("Rule 3/3: claim");
    pane.keys("e");
    pane.screen_with("edited:");
    pane.keys("a");
    pane.screen_with("Nothing left to review");
    pane.keys("q");
    pane.screen_with("REVIEW-ENDED");
    pane.end();

    let out = dir.path().join("out");
    let decisions: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join(".rules2actions-review.json")).unwrap())
            .unwrap();
    assert_eq!(decisions["rules"]["manual"]["decision"], "rejected");
    assert_eq!(decisions["rules"]["deny"]["decision"], "accepted");
    assert_eq!(decisions["rules"]["claim"]["decision"], "accepted");
    assert!(
        !out.join("actions/manual/code.js").exists(),
        "a rejected rule writes nothing"
    );
    let claim = fs::read_to_string(out.join("actions/claim/code.js")).unwrap();
    assert!(
        claim.contains("setCustomClaim('https://example.com/plan', 'enterprise')"),
        "{claim}"
    );
    assert!(out.join("actions/deny/code.js").exists());
    assert!(fs::read_to_string(out.join("triggers/triggers.json"))
        .unwrap()
        .contains("\"claim\""));

    // Resume: nothing is left, until a rule changes.
    let pane = start(2, dir.path());
    pane.screen_with("Nothing left to review");
    pane.keys("q");
    pane.screen_with("REVIEW-ENDED");
    pane.end();
    fs::write(
        dir.path().join("rules/deny.js"),
        DENY.replace("Access denied", "Verify your email"),
    )
    .unwrap();
    let pane = start(3, dir.path());
    let changed = pane.screen_with("CHANGED since accepted");
    assert!(changed.contains("Rule 1/1: deny"), "{changed}");
    pane.keys("q");
    pane.screen_with("REVIEW-ENDED");
    pane.end();

    // Without a terminal it refuses and says what to use instead.
    let piped = common::run(&["review", "rules", "--out", "out"], dir.path());
    assert_eq!(piped.code, 2);
    assert!(piped.stderr.contains("migrate --diff"), "{}", piped.stderr);

    let _guard = snapshot_settings().bind_to_scope();
    let first: String = first
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("review__first_screen", first);
}
