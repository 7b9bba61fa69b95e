//! Printing that never panics. `println!` panics when stdout is a closed pipe
//! (`rules2actions migrate … | head -1`), which would stop a run halfway through writing its
//! files. Here a failed write only silences that stream: the run goes on, every file it writes
//! lands whole, and the exit code still reports the results.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout, unless stdout was found closed.
pub fn stdout(text: &str) {
    write_to(&mut std::io::stdout().lock(), &STDOUT_CLOSED, text);
}

/// Lets `write` stream to stdout (buffered), unless stdout was found closed; a failed write
/// silences stdout like [`stdout`]'s.
pub fn stdout_streamed(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stream = std::io::BufWriter::new(std::io::stdout().lock());
    if write(&mut stream).and_then(|()| stream.flush()).is_err() {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
}

/// Writes `text` to stderr, unless stderr was found closed.
pub fn stderr(text: &str) {
    write_to(&mut std::io::stderr().lock(), &STDERR_CLOSED, text);
}

fn write_to(stream: &mut impl Write, closed: &AtomicBool, text: &str) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    if stream
        .write_all(text.as_bytes())
        .and_then(|()| stream.flush())
        .is_err()
    {
        closed.store(true, Ordering::Relaxed);
    }
}

/// `println!` to stdout, through [`stdout`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::output::stdout(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` to stderr, through [`stderr`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, outln};

/// `1 rule`, `2 rules`: a count with its noun in the right number.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Runs the command line and turns a panic anywhere in it into an internal-error message and
/// exit code 2, never Rust's panic text and exit code 101.
pub fn guarded(run: impl FnOnce() -> std::process::ExitCode) -> std::process::ExitCode {
    let debug = std::env::var_os("RULES2ACTIONS_BACKTRACE").is_some();
    if !debug {
        // The message is printed below, once, in the tool's own words.
        std::panic::set_hook(Box::new(|_| {}));
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(code) => code,
        Err(payload) => {
            errln!(
                "error: internal error in rules2actions: {}\n  help: this is a bug; please report it with the input that caused it (RULES2ACTIONS_BACKTRACE=1 shows where it happened)",
                rules2actions::panic_message(payload.as_ref())
            );
            std::process::ExitCode::from(2)
        }
    }
}
