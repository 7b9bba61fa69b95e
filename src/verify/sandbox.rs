//! The Node processes `verify` runs code in. Each side (the Rule, the Action) gets one, started
//! with Node's permission model (no file writes, no child processes, no workers, reads only
//! inside the packages' `node_modules`), an empty environment, a memory cap, and, on Linux, the
//! instruction to die with rules2actions. The worker script (`worker.js`) stops sockets, UDP and
//! name lookups. No file is written for any of this: the script is handed to `node -e` and the
//! code under test arrives on stdin.
//!
//! Answers come back on stdout, each with a nonce the code under test cannot know, so a line it
//! prints itself is ignored. A scenario that does not finish in time kills its worker, which is
//! started again for the next scenario.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};

use super::VerifyError;

const WORKER: &str = include_str!("worker.js");
/// The heap of one worker, in MB: a rule that allocates without end fails, the machine does not.
const MEMORY_MB: u32 = 256;

/// `node` on the user's PATH. Workers run with an empty environment, so the program is found
/// here, by path, and never by the child's default search path.
fn node() -> Option<&'static Path> {
    static NODE: OnceLock<Option<PathBuf>> = OnceLock::new();
    NODE.get_or_init(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join("node"))
            .find(|candidate| candidate.is_file())
    })
    .as_deref()
}

/// The Node.js on the PATH: its permission-model flag, or why it cannot run code contained.
fn permission_flag() -> Result<&'static str, VerifyError> {
    static FLAG: OnceLock<Result<&'static str, String>> = OnceLock::new();
    let found = FLAG.get_or_init(|| {
        let node = node().ok_or_else(String::new)?;
        let output = Command::new(node)
            .arg("--version")
            .env_clear()
            .output()
            .map_err(|_| String::new())?;
        let version = String::from_utf8_lossy(&output.stdout);
        let numbers: Vec<u32> = version
            .trim()
            .trim_start_matches('v')
            .split('.')
            .filter_map(|n| n.parse().ok())
            .collect();
        match numbers.as_slice() {
            [major, minor, ..] if *major >= 23 || (*major == 22 && *minor >= 13) => {
                Ok("--permission")
            }
            [major, ..] if *major >= 20 => Ok("--experimental-permission"),
            _ => Err(version.trim().to_string()),
        }
    });
    match found {
        Ok(flag) => Ok(flag),
        Err(version) if version.is_empty() => Err(VerifyError::NodeMissing),
        Err(version) => Err(VerifyError::NodeTooOld(version.clone())),
    }
}

/// A nonce no code under test can guess: fresh random state from the standard library.
fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let random = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(salt);
        hasher.finish()
    };
    format!("{:016x}{:016x}", random(1), random(2))
}

/// What a worker needs to start: its side, the code, and the tables of the comparison.
pub struct WorkerConfig {
    pub side: &'static str,
    pub code: String,
    pub settings: Value,
    /// The folder whose `node_modules` holds the packages the code requires.
    pub modules: PathBuf,
}

/// Why a scenario gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoAnswer {
    TimedOut,
    /// The worker died (out of memory, or it ended itself).
    Crashed,
}

pub struct Worker {
    config: WorkerConfig,
    nonce: String,
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<Value>,
    /// npm packages the code needs that are not installed.
    pub missing: Vec<String>,
    /// A scenario of this code ran past even the longer second wait: its later timeouts are
    /// taken as they come.
    never_ends: bool,
}

/// How much longer the second wait for a scenario that timed out is: a loaded machine (a CI
/// runner building and testing at once) can hold code that ends past the first.
const SECOND_WAIT: u32 = 4;

impl Worker {
    pub fn start(config: WorkerConfig) -> Result<Worker, VerifyError> {
        let nonce = nonce();
        let (child, stdin, answers) = spawn(&config.modules)?;
        let mut worker = Worker {
            config,
            nonce,
            child,
            stdin,
            answers,
            missing: Vec::new(),
            never_ends: false,
        };
        worker.load()?;
        Ok(worker)
    }

    /// Sends the code, and waits until the worker has compiled it.
    fn load(&mut self) -> Result<(), VerifyError> {
        let mut message = self.config.settings.clone();
        message["nonce"] = json!(self.nonce);
        message["side"] = json!(self.config.side);
        message["code"] = json!(self.config.code);
        message["modules"] = json!(self.config.modules);
        self.send(&message).map_err(|e| {
            VerifyError::Harness(format!(
                "the {} worker did not start: {e}",
                self.config.side
            ))
        })?;
        let ready = self.receive(Duration::from_secs(30)).map_err(|e| {
            VerifyError::Harness(format!(
                "the {} worker did not start ({e:?})",
                self.config.side
            ))
        })?;
        if ready["ready"] != json!(true) {
            return Err(VerifyError::Harness(format!(
                "the {} does not load: {}",
                self.config.side,
                ready["error"].as_str().unwrap_or("unknown error")
            )));
        }
        self.missing = ready["missing"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect();
        Ok(())
    }

    /// Runs one scenario: the worker's answer, or why there was none (after which the worker
    /// has been started again). A scenario that times out is run once more with a longer
    /// wait, in a fresh process, until one of this code's scenarios times out in both: a slow
    /// machine must not make a Rule look different from its Action.
    pub fn run(&mut self, id: usize, scenario: &Value, limit: Duration) -> Result<Value, NoAnswer> {
        match self.run_once(id, scenario, limit) {
            Err(NoAnswer::TimedOut) if !self.never_ends => {
                let again = self.run_once(id, scenario, limit * SECOND_WAIT);
                self.never_ends = again == Err(NoAnswer::TimedOut);
                again
            }
            answer => answer,
        }
    }

    fn run_once(
        &mut self,
        id: usize,
        scenario: &Value,
        limit: Duration,
    ) -> Result<Value, NoAnswer> {
        let sent = self.send(&json!({ "id": id, "scenario": scenario }));
        let answer = match sent {
            Ok(()) => self.receive(limit),
            Err(_) => Err(NoAnswer::Crashed),
        };
        match answer {
            Ok(answer) if answer["id"] == json!(id) => Ok(answer),
            Ok(_) => {
                self.restart();
                Err(NoAnswer::Crashed)
            }
            Err(reason) => {
                self.restart();
                Err(reason)
            }
        }
    }

    fn send(&mut self, message: &Value) -> std::io::Result<()> {
        let mut line = serde_json::to_string(message).expect("JSON serialises");
        line.push('\n');
        self.stdin.write_all(line.as_bytes())?;
        self.stdin.flush()
    }

    fn receive(&mut self, limit: Duration) -> Result<Value, NoAnswer> {
        loop {
            match self.answers.recv_timeout(limit) {
                Ok(answer) if answer["nonce"] == json!(self.nonce) => return Ok(answer),
                // A line the code under test printed itself.
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => return Err(NoAnswer::TimedOut),
                Err(RecvTimeoutError::Disconnected) => return Err(NoAnswer::Crashed),
            }
        }
    }

    /// A fresh process with the same code, after a scenario that never ended or ended it.
    fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Ok((child, stdin, answers)) = spawn(&self.config.modules) {
            self.child = child;
            self.stdin = stdin;
            self.answers = answers;
            self.nonce = nonce();
            let _ = self.load();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(modules: &Path) -> Result<(Child, ChildStdin, Receiver<Value>), VerifyError> {
    let flag = permission_flag()?;
    let mut command = Command::new(node().ok_or(VerifyError::NodeMissing)?);
    command
        .arg(flag)
        .arg(format!(
            "--allow-fs-read={}",
            modules.join("node_modules").display()
        ))
        .arg(format!("--max-old-space-size={MEMORY_MB}"))
        .arg("--no-warnings")
        .arg("-e")
        .arg(WORKER)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    die_with_parent(&mut command);
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => VerifyError::NodeMissing,
        _ => VerifyError::Harness(e.to_string()),
    })?;
    let stdin = child.stdin.take().expect("piped stdin");
    let stdout = child.stdout.take().expect("piped stdout");
    let (send, answers) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Ok(answer) = serde_json::from_str::<Value>(&line) {
                if send.send(answer).is_err() {
                    break;
                }
            }
        }
    });
    Ok((child, stdin, answers))
}

/// On Linux the worker is killed when rules2actions dies, even by `kill -9`.
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: `prctl` is async-signal-safe and touches no memory of the parent.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_: &mut Command) {}
