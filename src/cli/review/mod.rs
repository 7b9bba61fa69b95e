//! `review`: go through the converted rules in the terminal, accept, reject, skip or edit each
//! Action, and come back later to finish. Decisions persist in `DIR/.rules2actions-review.json`;
//! accepted Actions are written to DIR in the auth0-deploy-cli directory layout. Without a
//! terminal it refuses (exit 2) and points to `migrate --diff` and the HTML report.

mod app;
mod view;

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{SystemTime, UNIX_EPOCH};

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
use rules2actions::layout::{LayoutOptions, OutputDir, OutputFile, OutputFormat, Planned};
use rules2actions::markers::has_error_marker;
use rules2actions::migrate::migrate_rules_each;
use rules2actions::review::{Decision, ReviewState, ReviewStatus, REVIEW_FILE};

use self::app::{App, Effect, Entry, Key};
use super::output::{count, errln};
use super::{rules, Global, ReviewArgs};

pub fn run(args: ReviewArgs, global: &Global) -> ExitCode {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        errln!(
            "error: `rules2actions review` needs an interactive terminal; without one, use `rules2actions migrate --diff` to read the diffs, or `migrate --out DIR` and open DIR/migration-report.html"
        );
        return ExitCode::from(2);
    }
    let settings = match global.settings(&args.judging, &args.inputs, None) {
        Ok(settings) => settings,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let Some(loaded) = rules::load_reporting(&args.inputs, global) else {
        return ExitCode::from(2);
    };
    if loaded.repositories.len() > 1 {
        // Each repository's Actions and decisions live in a tree of their own.
        errln!(
            "error: review one repository at a time: the inputs hold {}",
            loaded.repositories.len()
        );
        return ExitCode::from(2);
    }
    loaded.check_settings(&settings);
    let options = loaded.options(&settings);
    let mut migrations = migrate_rules_each(&loaded.sources, |i| &*options[i]);
    loaded.restore(&mut migrations);
    let inputs: BTreeSet<PathBuf> = loaded
        .rules
        .iter()
        .filter_map(|r| std::fs::canonicalize(&r.origin).ok())
        .collect();
    let entries: Vec<Entry> = loaded
        .rules
        .iter()
        .cloned()
        .zip(loaded.names.iter().cloned())
        .zip(loaded.sources.iter().cloned())
        .zip(migrations)
        .map(|(((rule, action), source), migration)| Entry {
            rule,
            action,
            source,
            migration,
            broken: None,
            status: ReviewStatus::Undecided,
        })
        .collect();
    let mut session = Session {
        runtime: settings.runtime.as_str().to_string(),
        dir: args.out.clone(),
        state: ReviewState::load(&args.out),
        who: reviewer(),
        inputs,
    };
    let mut app = App::new(entries, &session.state);
    let mut terminal = ratatui::init();
    let result = loop {
        if let Err(error) = terminal.draw(|frame| view::draw(frame, &app)) {
            break Err(error.to_string());
        }
        let key = match event::read() {
            Ok(Event::Key(key)) if key.kind == KeyEventKind::Press => key,
            Ok(_) => continue, // resizes redraw on the next turn
            Err(error) => break Err(error.to_string()),
        };
        let key = match key.code {
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Escape,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Tab => Key::Tab,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            _ => continue,
        };
        match app.key(key) {
            Effect::None => {}
            Effect::Quit => break Ok(()),
            Effect::Decide(decision) => {
                session.decide(&mut app, decision);
            }
            Effect::AcceptAllClean => {
                let clean = app.clean_remaining();
                let count = clean.len();
                // From the last, so that positions before it stay valid.
                for position in clean.into_iter().rev() {
                    app.position = position;
                    session.decide(&mut app, Decision::Accepted);
                }
                app.position = app.queue.len().min(app.position);
                app.message = format!("accepted {count} rules without errors");
            }
            Effect::Edit => {
                ratatui::restore();
                let edited = edit(&app);
                terminal = ratatui::init();
                match edited {
                    Ok(code) => {
                        if let Some(entry) = app.current_mut() {
                            entry.set_code(code);
                            app.message = match &entry.broken {
                                Some(broken) => broken.clone(),
                                None => "edited: `a` accepts the edited Action".to_string(),
                            };
                        }
                    }
                    Err(error) => app.message = error,
                }
            }
        }
    };
    ratatui::restore();
    match result {
        Ok(()) => {
            let decided = session.state.records.len();
            errln!(
                "{} recorded in {}",
                count(decided, "decision", "decisions"),
                args.out.join(REVIEW_FILE).display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            errln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

struct Session {
    runtime: String,
    dir: PathBuf,
    state: ReviewState,
    who: String,
    inputs: BTreeSet<PathBuf>,
}

impl Session {
    /// Records `decision` on the current rule, saves it, writes the accepted Actions, and moves on.
    fn decide(&mut self, app: &mut App, decision: Decision) {
        let Some(entry) = app.current() else {
            return;
        };
        self.state.decide(
            &entry.action,
            decision,
            &entry.source,
            entry.code(),
            &self.who,
            &now(),
        );
        app.decided(decision);
        if let Err(error) = self.save(app) {
            app.message = error;
        }
    }

    /// The review file, and the tree of every accepted Action. An accepted Action that still
    /// carries error markers is written, but neither deployed nor bound.
    fn save(&self, app: &App) -> Result<(), String> {
        let accepted: Vec<Planned<'_>> = app
            .entries
            .iter()
            .filter(|e| e.status == ReviewStatus::Decided(Decision::Accepted))
            .map(|e| Planned {
                name: &e.action,
                rule: &e.rule,
                migration: &e.migration,
                deploy: !e.code().is_some_and(has_error_marker),
            })
            .collect();
        let options = LayoutOptions {
            runtime: self.runtime.clone(),
            guard: false,
        };
        let mut files = OutputFormat::DeployCli.tree(&accepted, &options);
        files.push(OutputFile {
            path: REVIEW_FILE.into(),
            contents: self.state.to_text().into(),
        });
        // The reviewer decided on these files: they replace what was there.
        let mut out = OutputDir::open(&self.dir, true, self.inputs.clone(), || {})?;
        let errors: Vec<String> = files
            .iter()
            .filter_map(|file| out.write(file).err())
            .collect();
        out.finish()?;
        errors.into_iter().next().map_or(Ok(()), Err)
    }
}

/// The current Action, edited in `$VISUAL` or `$EDITOR` (`vi` otherwise).
fn edit(app: &App) -> Result<String, String> {
    let entry = app.current().ok_or("no rule")?;
    let file = tempfile::Builder::new()
        .prefix(&format!("{}-", entry.action))
        .suffix(".js")
        .tempfile()
        .map_err(|e| e.to_string())?;
    std::fs::write(file.path(), entry.code().unwrap_or_default()).map_err(|e| e.to_string())?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("editor")
        .arg(file.path())
        .status()
        .map_err(|e| format!("{editor}: {e}"))?;
    if !status.success() {
        return Err(format!(
            "{editor} exited with {status}; the Action is unchanged"
        ));
    }
    std::fs::read_to_string(file.path()).map_err(|e| e.to_string())
}

/// Who decides: git's `user.name`, or `$USER`.
fn reviewer() -> String {
    Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The current time in RFC 3339, UTC.
fn now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(seconds)
}

fn rfc3339(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn times_are_rfc_3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_772_323_199), "2026-02-28T23:59:59Z");
    }
}
