//! A progress bar on stderr for long runs: shown only when stderr is a terminal, the run is not
//! `--quiet`, and it has taken over a second (`RULES2ACTIONS_PROGRESS_AFTER_MS` changes that
//! wait, for tests). Piped, nothing extra is written.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rules2actions::Migration;

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    after: Duration,
    /// Whether the bar may ever show: stderr is a terminal and the run is not quiet.
    may_show: bool,
}

impl Progress {
    /// A bar over `total` rules, labelled with what is being done (`migrating`).
    pub fn new(total: usize, label: &'static str, quiet: bool) -> Self {
        let after = std::env::var("RULES2ACTIONS_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(Duration::from_secs(1), Duration::from_millis);
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} rules, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(label);
        Progress {
            bar,
            started: Instant::now(),
            after,
            may_show: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// One more rule done.
    pub fn advance(&self) {
        if self.may_show && self.bar.is_hidden() && self.started.elapsed() >= self.after {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.inc(1);
    }

    /// Removes the bar, so the summary that follows starts on a clean line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Runs `migrate` over `total` rules with a bar labelled `label` while it runs (see
/// [`Progress`]); `migrate` calls the function it is given once per migration, which applies
/// `keep` (what the caller drops early) and advances the bar.
pub fn showing_progress(
    total: usize,
    label: &'static str,
    quiet: bool,
    keep: &(dyn Fn(&mut Migration) + Sync),
    migrate: impl FnOnce(&(dyn Fn(&mut Migration) + Sync)) -> Vec<Migration>,
) -> Vec<Migration> {
    let progress = Progress::new(total, label, quiet);
    let migrations = migrate(&|migration| {
        keep(migration);
        progress.advance();
    });
    progress.finish();
    migrations
}
