//! Running a target in a child process, so that no input can take the harness down with it.
//!
//! The worker (this program with `--worker`) writes each input to its standard output before
//! running it (`I`, a 4-byte length, the bytes) and a `D` after it; `E` ends a run that reached
//! its time budget. The supervisor reads that stream: an input with no `D` after it, when the
//! stream ends, crashed the worker (a panic, an abort on allocation, a stack overflow); one
//! that uses more CPU time than the bound without a `D` is a hang, and the worker is killed
//! (CPU time, not wall time, so a machine busy with other work gives no false hangs; an input
//! blocked without using CPU is a hang after twenty times the bound of wall time). Either way
//! the input is saved, run once more alone in a fresh process for its peak memory, and a new
//! worker goes on with the rest of the budget.

use crate::mutate::{Rng, mutate};
use crate::seeds;
use crate::targets::Target;
use crate::usage;
use std::collections::HashSet;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How a run is bounded.
#[derive(Debug, Clone)]
pub struct Budget {
    pub seconds: f64,
    pub seed: u64,
    pub max_len: usize,
    pub timeout: Duration,
    pub memory_mb: u64,
    pub max_findings: usize,
    pub findings_dir: PathBuf,
}

/// An input that crashed or hung a worker, saved to `file`.
#[derive(Debug)]
pub struct Finding {
    pub kind: &'static str,
    pub file: PathBuf,
    pub message: String,
    /// The most memory the input took, run alone in a fresh worker ([`peak_alone`]).
    pub peak_bytes: Option<u64>,
}

/// What one target's run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub execs: u64,
    pub seconds: f64,
    pub findings: Vec<Finding>,
}

/// Inputs that join the corpus at most (then only the seeds and these are mutated).
const MAX_CORPUS: usize = 4096;

// ---- the worker ------------------------------------------------------------------------------

/// Runs `target` on its seeds (unless `mutate_only`), then on mutants until `seconds` pass,
/// reporting each input on standard output (see the module header).
pub fn worker(target: Target, seed: u64, seconds: f64, max_len: usize, mutate_only: bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut corpus = seeds::corpus(target, root);
    let mut seen = HashSet::new();
    if !mutate_only {
        for input in &corpus {
            seen.insert(exec(&mut out, target, input));
        }
    }
    let dict = target.dictionary();
    let mut rng = Rng::new(seed);
    while Instant::now() < deadline {
        let parent = rng.below(corpus.len());
        let other = rng.below(corpus.len());
        let input = mutate(&mut rng, &corpus[parent], &corpus[other], dict, max_len);
        if seen.insert(exec(&mut out, target, &input)) && corpus.len() < MAX_CORPUS {
            corpus.push(input);
        }
    }
    let _ = out.write_all(b"E");
    let _ = out.flush();
}

fn exec(out: &mut impl Write, target: Target, input: &[u8]) -> String {
    let len = u32::try_from(input.len()).expect("inputs are far below 4 GB");
    let announced = out
        .write_all(b"I")
        .and_then(|()| out.write_all(&len.to_le_bytes()))
        .and_then(|()| out.write_all(input))
        .and_then(|()| out.flush());
    if announced.is_err() {
        // The supervisor is gone: nothing left to report to.
        std::process::exit(0);
    }
    let signature = target.run(input);
    let _ = out.write_all(b"D");
    signature
}

// ---- the supervisor --------------------------------------------------------------------------

enum Message {
    Input(Vec<u8>),
    Done,
    End,
}

/// Fuzzes `target` within `budget`, restarting the worker after each finding.
pub fn supervise(target: Target, budget: &Budget) -> Summary {
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(budget.seconds);
    let mut summary = Summary::default();
    let mut restarts = 0u64;
    loop {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        if restarts > 0 && left < 0.05 {
            break;
        }
        let seed = budget.seed ^ fnv(target.name().as_bytes()) ^ restarts.wrapping_mul(0x9e37_79b9);
        let mut child = match spawn(target, seed, left, budget, restarts > 0) {
            Ok(child) => child,
            Err(e) => {
                eprintln!("fuzz: cannot start a worker: {e}");
                std::process::exit(2);
            }
        };
        let stderr = collect_stderr(&mut child);
        let messages = read_messages(&mut child);
        let hard_deadline = deadline + 4 * budget.timeout;
        let outcome = follow(
            &messages,
            child.id(),
            budget.timeout,
            hard_deadline,
            &mut summary.execs,
        );
        let finding = match outcome {
            Outcome::Finished => None,
            Outcome::Overran => {
                let _ = child.kill();
                None
            }
            Outcome::Hung(input, why) => {
                let _ = child.kill();
                Some(("hang", input, why))
            }
            Outcome::Crashed(input) => Some(("crash", input, String::new())),
        };
        let ended = usage::wait(child.id());
        let stderr = stderr.join().unwrap_or_default();
        let Some((kind, input, mut message)) = finding else {
            break;
        };
        if kind == "crash" {
            let status = ended.map_or_else(|e| e.to_string(), |e| e.status.to_string());
            message = format!("worker ended with {status}\n{}", tail(&stderr));
        }
        let mut finding = save(target, kind, &input, message, budget);
        finding.peak_bytes = peak_alone(target, &finding.file, budget);
        note_peak(&finding);
        summary.findings.push(finding);
        restarts += 1;
        if summary.findings.len() >= budget.max_findings {
            break;
        }
    }
    summary.seconds = start.elapsed().as_secs_f64();
    summary
}

fn spawn(
    target: Target,
    seed: u64,
    seconds: f64,
    budget: &Budget,
    mutate_only: bool,
) -> std::io::Result<Child> {
    let mut args: Vec<String> = vec![
        "--worker".into(),
        target.name().into(),
        "--seed".into(),
        seed.to_string(),
        "--seconds".into(),
        format!("{seconds:.3}"),
        "--max-len".into(),
        budget.max_len.to_string(),
    ];
    if mutate_only {
        args.push("--mutate-only".into());
    }
    limited(budget)?
        .args(&args)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}

/// This program under the worker's address-space limit.
fn limited(budget: &Budget) -> std::io::Result<Command> {
    let exe = std::env::current_exe()?;
    // The address-space limit turns a runaway allocation into an abort (a finding) rather
    // than a machine that swaps; `sh` sets it (where it can), then becomes the worker.
    Ok(if Path::new("/bin/sh").exists() && budget.memory_mb > 0 {
        let mut c = Command::new("/bin/sh");
        c.arg("-c")
            .arg("ulimit -v \"$0\" 2>/dev/null; exec \"$@\"")
            .arg((budget.memory_mb * 1024).to_string())
            .arg(&exe);
        c
    } else {
        Command::new(&exe)
    })
}

/// The peak memory of `file` run alone through `target` in a fresh worker (`--replay`),
/// stopped like a hang when it goes past the time bound. `None` when it cannot be measured.
fn peak_alone(target: Target, file: &Path, budget: &Budget) -> Option<u64> {
    let mut child = limited(budget)
        .ok()?
        .arg(target.name())
        .arg("--replay")
        .arg(file)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    let mut clock = Clock::new(child.id(), budget.timeout);
    // Polled without reaping, so the child is ours to kill until it has been waited for.
    while clock.running() && !clock.over(started) {
        if usage::has_ended(child.id()) {
            break;
        }
        std::thread::sleep(clock.tick);
    }
    let _ = child.kill();
    usage::wait(child.id()).ok().map(|e| e.peak_bytes)
}

/// Writes the peak memory into the finding's `.txt` file.
fn note_peak(finding: &Finding) {
    let Some(peak) = finding.peak_bytes else {
        return;
    };
    let text = format!(
        "{}\npeak memory of this input alone: {:.1} MB\n",
        finding.message,
        usage::megabytes(peak)
    );
    let _ = std::fs::write(finding.file.with_extension("txt"), text);
}

fn collect_stderr(child: &mut Child) -> std::thread::JoinHandle<Vec<u8>> {
    let mut pipe = child.stderr.take().expect("stderr is piped");
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// The worker's messages, read on a thread so the supervisor can wait with a time bound.
fn read_messages(child: &mut Child) -> Receiver<Message> {
    let mut pipe = std::io::BufReader::new(child.stdout.take().expect("stdout is piped"));
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut tag = [0u8; 1];
        while pipe.read_exact(&mut tag).is_ok() {
            let message = match tag[0] {
                b'I' => {
                    let mut len = [0u8; 4];
                    if pipe.read_exact(&mut len).is_err() {
                        break;
                    }
                    let mut input = vec![0u8; u32::from_le_bytes(len) as usize];
                    if pipe.read_exact(&mut input).is_err() {
                        break;
                    }
                    Message::Input(input)
                }
                b'D' => Message::Done,
                _ => Message::End,
            };
            if send.send(message).is_err() {
                break;
            }
        }
    });
    receive
}

enum Outcome {
    Finished,
    /// The worker went on past its budget without running an input (a harness bug).
    Overran,
    /// The input, and how it overran.
    Hung(Vec<u8>, String),
    Crashed(Vec<u8>),
}

/// How many times the time bound of wall time an input may take while using less CPU than
/// the bound (blocked rather than busy) before it counts as a hang.
const WALL_FACTOR: u32 = 20;

/// One input's clock: the worker's CPU time since the input began, checked every tenth of
/// the bound (so an input is stopped within 1.1 times the bound of CPU).
struct Clock {
    pid: u32,
    timeout: Duration,
    tick: Duration,
    /// CPU time at the first check after the input began.
    start: Option<Duration>,
    used: Duration,
}

impl Clock {
    fn new(pid: u32, timeout: Duration) -> Clock {
        Clock {
            pid,
            timeout,
            tick: (timeout / 10).max(Duration::from_millis(5)),
            start: None,
            used: Duration::ZERO,
        }
    }

    /// Reads the CPU clock; false once the process is gone.
    fn running(&mut self) -> bool {
        let Some(now) = usage::cpu_time(self.pid) else {
            return false;
        };
        self.used = now.saturating_sub(*self.start.get_or_insert(now));
        true
    }

    /// True when the input has used the bound of CPU, or twenty times it of wall time.
    fn over(&self, started: Instant) -> bool {
        self.used >= self.timeout || started.elapsed() >= WALL_FACTOR * self.timeout
    }

    fn describe(&self, started: Instant) -> String {
        format!(
            "no result after {:.2} s of CPU time ({:.2} s of wall time; the bound is {:.2} s of CPU, or {} times that of wall time)",
            self.used.as_secs_f64(),
            started.elapsed().as_secs_f64(),
            self.timeout.as_secs_f64(),
            WALL_FACTOR
        )
    }
}

/// An input in flight: its bytes, when it began and its clock.
struct Pending {
    input: Vec<u8>,
    started: Instant,
    clock: Clock,
}

fn follow(
    messages: &Receiver<Message>,
    pid: u32,
    timeout: Duration,
    hard_deadline: Instant,
    execs: &mut u64,
) -> Outcome {
    let tick = Clock::new(pid, timeout).tick;
    let mut pending: Option<Pending> = None;
    loop {
        match messages.recv_timeout(tick) {
            Ok(Message::Input(input)) => {
                pending = Some(Pending {
                    input,
                    started: Instant::now(),
                    clock: Clock::new(pid, timeout),
                });
            }
            Ok(Message::Done) => {
                *execs += 1;
                pending = None;
            }
            Ok(Message::End) => return Outcome::Finished,
            Err(RecvTimeoutError::Timeout) => match pending.as_mut() {
                Some(p) => {
                    let alive = p.clock.running();
                    if alive && p.clock.over(p.started) {
                        let why = p.clock.describe(p.started);
                        return Outcome::Hung(std::mem::take(&mut p.input), why);
                    }
                }
                // No input in flight: the worker is building its seeds.
                None if Instant::now() > hard_deadline => return Outcome::Overran,
                None => {}
            },
            Err(RecvTimeoutError::Disconnected) => {
                return pending.map_or(Outcome::Finished, |p| Outcome::Crashed(p.input));
            }
        }
    }
}

fn save(
    target: Target,
    kind: &'static str,
    input: &[u8],
    message: String,
    budget: &Budget,
) -> Finding {
    let dir = budget.findings_dir.join(target.name());
    let file = dir.join(format!("{kind}-{:016x}", fnv(input)));
    let saved = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&file, input))
        .and_then(|()| std::fs::write(file.with_extension("txt"), &message));
    if let Err(e) = saved {
        eprintln!("fuzz: could not save the input to {}: {e}", file.display());
    }
    Finding {
        kind,
        file,
        message,
        peak_bytes: None,
    }
}

/// A worker's last words: from its panic message on (or its last lines), at most 40 lines.
fn tail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.lines().collect();
    let from = lines
        .iter()
        .rposition(|l| l.contains("panicked at"))
        .unwrap_or(lines.len().saturating_sub(12));
    lines[from..]
        .iter()
        .take(40)
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

fn fnv(bytes: &[u8]) -> u64 {
    claimsim::manifest::fnv1a64(bytes)
}
