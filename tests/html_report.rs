//! `DIR/migration-report.html` in a real headless browser (Debian's chromium): every rule is
//! listed, the status and finding-code filters work, and a screenshot is saved to
//! `target/migration-report.png`. Without chromium the test says so and passes, except under
//! CI, where `.ci/run` installs it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::run;

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser"]
        .iter()
        .find(|name| common::has(name))
        .map(PathBuf::from);
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the HTML report test needs Debian's chromium"
        );
        eprintln!("SKIPPED: the HTML report test needs Debian's chromium");
    }
    found
}

/// Runs headless chromium on `page` with the flags this machine's closed network needs.
fn headless(browser: &Path, profile: &Path, args: &[&str], page: &str) -> String {
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(page)
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `data-shown` on the body: how many rules the filters left visible.
fn shown(dom: &str) -> usize {
    let at = dom.find("data-shown=\"").expect("the script ran") + "data-shown=\"".len();
    dom[at..dom[at..].find('"').unwrap() + at].parse().unwrap()
}

#[test]
fn the_report_lists_every_rule_and_filters_by_status_and_code() {
    let Some(browser) = chromium() else {
        return;
    };
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("rule-corpus");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(
        &[
            "migrate",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("migration-report.json")).unwrap()).unwrap();
    let rules = report["rules"].as_array().unwrap();
    let with_status = |status: &str| rules.iter().filter(|r| r["status"] == status).count();
    let with_code = |code: &str| {
        rules
            .iter()
            .filter(|r| {
                r["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["code"] == code)
            })
            .count()
    };
    let page = format!("file://{}", out.join("migration-report.html").display());
    let profile = dir.path().join("profile");

    let all = headless(&browser, &profile, &["--dump-dom"], &page);
    assert_eq!(shown(&all), rules.len());
    assert_eq!(all.matches("class=\"rule-item\"").count(), rules.len());
    for rule in rules {
        let name = rule["name"].as_str().unwrap();
        assert!(
            all.contains(&format!(">{name}</a>")),
            "{name} is not listed"
        );
    }

    let manual = headless(
        &browser,
        &profile,
        &["--dump-dom"],
        &format!("{page}?status=needs-manual-work"),
    );
    assert_eq!(shown(&manual), with_status("needs-manual-work"));
    assert!(with_status("needs-manual-work") > 0);

    let code = headless(
        &browser,
        &profile,
        &["--dump-dom"],
        &format!("{page}?code=R2A110"),
    );
    assert_eq!(shown(&code), with_code("R2A110"));
    let both = headless(
        &browser,
        &profile,
        &["--dump-dom"],
        &format!("{page}?status=converted&code=R2A101"),
    );
    assert_eq!(shown(&both), 0, "converted rules have no warnings");

    let screenshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/migration-report.png");
    let _ = std::fs::remove_file(&screenshot);
    headless(
        &browser,
        &profile,
        &[
            &format!("--screenshot={}", screenshot.display()),
            "--window-size=1400,900",
        ],
        &format!("{page}#rule-5"),
    );
    assert!(std::fs::metadata(&screenshot).unwrap().len() > 10_000);
}

/// Above 200 rules each diff is kept as compact rows: the page renders the diff of the rule its
/// address names (and of any rule opened), and leaves the others as data.
#[test]
fn a_large_report_renders_a_diff_when_it_is_opened() {
    let Some(browser) = chromium() else {
        return;
    };
    let rule = "function (user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('verify <first>'));\n  }\n  callback(null, user, context);\n}\n";
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    for i in 0..210 {
        std::fs::write(rules.join(format!("r{i:03}.js")), rule).unwrap();
    }
    let out = dir.path().join("out");
    run(
        &["migrate", "rules", "--out", out.to_str().unwrap()],
        dir.path(),
    );
    let page = format!(
        "file://{}#rule-3",
        out.join("migration-report.html").display()
    );
    let profile = dir.path().join("profile");
    let dom = headless(&browser, &profile, &["--dump-dom"], &page);
    assert_eq!(shown(&dom), 210);
    assert_eq!(
        dom.matches("data-rendered=\"true\"").count(),
        1,
        "only the named rule"
    );
    let third = &dom[dom.find("id=\"rule-3\"").unwrap()..dom.find("id=\"rule-4\"").unwrap()];
    assert!(third.contains("<ins>api.access.deny</ins>"), "{third}");
    assert!(third.contains("verify &lt;first&gt;"), "{third}");
    assert!(third.contains("<tr class=\"same\">"), "{third}");
    assert!(third.contains("R2A101"), "{third}");
    // The finding sits under its line, and the page numbers the lines itself: `  }` is line 4
    // of the rule and 5 of the Action (below the deny's marker).
    assert!(
        third.contains(
            "<tr class=\"finding warning\" data-code=\"R2A101\"><td></td><td colspan=\"3\">"
        ),
        "{third}"
    );
    assert!(
        third.contains("<tr class=\"same\"><td class=\"ln\">4</td><td class=\"code\">  }</td><td class=\"ln\">5</td>"),
        "{third}"
    );
}
