//! A fuzzer for claimsim's parsers that runs on stable Rust (cargo-fuzz needs a nightly
//! compiler for its `-Z` sanitizer flags, and libFuzzer a C++ build): coverage-free havoc
//! mutation of a seed corpus, each target in a child process with a time bound per input and
//! an address-space limit, so a panic, an abort, a stack overflow or a hang is caught, saved
//! and reported, and the run goes on.
//!
//! ```text
//! cargo run --release --example fuzz -- --canary --seconds 10        # what CI runs
//! cargo run --release --example fuzz -- sbml --seconds 600 --seed 7  # a longer run
//! cargo run --release --example fuzz -- sbml --replay target/fuzz/findings/sbml/crash-…
//! ```
//!
//! Targets: the scenario parser (and the exports of every scenario that parses) and each
//! importer. A target fails on a panic, on an input that takes more than `--timeout-ms` of CPU
//! time (a loaded machine slows the wall clock, not the CPU count), on
//! an allocation beyond `--memory-mb`, and, for an import that succeeds, when the scenario
//! written from it does not check clean. Findings are saved under `--findings`; the exit
//! status is 1 when there is any. See docs/fuzzing.md.

mod mutate;
mod seeds;
mod supervise;
mod targets;
mod usage;

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use supervise::{Budget, Summary};
use targets::Target;

#[derive(Debug, Parser)]
#[command(about = "Fuzz claimsim's scenario parser and importers (stable Rust, no coverage)")]
struct Args {
    /// Targets to fuzz (default: all of them, one after the other)
    #[arg(value_enum)]
    targets: Vec<Target>,
    /// Time budget for each target, in seconds
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Seed of the mutations: the same seed runs the same inputs in the same order
    #[arg(long, default_value_t = 16)]
    seed: u64,
    /// Longest mutant, in bytes (seeds may be longer)
    #[arg(long, default_value_t = 64 * 1024)]
    max_len: usize,
    /// CPU-time bound for one input: more is a hang (so is twenty times it of wall time)
    #[arg(long, default_value_t = 5000)]
    timeout_ms: u64,
    /// Address-space limit of the worker, in MB (0: none); beyond it an allocation aborts
    #[arg(long, default_value_t = 2048)]
    memory_mb: u64,
    /// Stop a target after this many findings
    #[arg(long, default_value_t = 5)]
    max_findings: usize,
    /// Where crashing and hanging inputs are saved, one folder per target
    #[arg(long, default_value = "target/fuzz/findings")]
    findings: PathBuf,
    /// First check the harness itself: a planted panic and hang must both be found
    #[arg(long)]
    canary: bool,
    /// Run the given files through the first target, in this process, and print the outcome
    #[arg(long, num_args = 1.., value_name = "FILE")]
    replay: Vec<PathBuf>,
    #[arg(long, hide = true)]
    worker: Option<Target>,
    #[arg(long, hide = true)]
    mutate_only: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(target) = args.worker {
        supervise::worker(
            target,
            args.seed,
            args.seconds,
            args.max_len,
            args.mutate_only,
        );
        return ExitCode::SUCCESS;
    }
    if !args.replay.is_empty() {
        return replay(&args);
    }
    let budget = Budget {
        seconds: args.seconds,
        seed: args.seed,
        max_len: args.max_len,
        timeout: Duration::from_millis(args.timeout_ms),
        memory_mb: args.memory_mb,
        max_findings: args.max_findings,
        findings_dir: args.findings.clone(),
    };
    if args.canary && !canary(&budget) {
        return ExitCode::from(2);
    }
    let targets = if args.targets.is_empty() {
        targets::ALL.to_vec()
    } else {
        args.targets.clone()
    };
    let mut found = 0;
    let mut idle = 0;
    for target in targets {
        let summary = supervise::supervise(target, &budget);
        report(target, &summary);
        found += summary.findings.len();
        idle += usize::from(summary.execs == 0);
    }
    if idle > 0 {
        // A worker that never ran an input tested nothing: say so rather than pass.
        eprintln!("fuzz: {idle} target(s) ran no input; run one with --replay to see why");
        return ExitCode::from(2);
    }
    if found == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("fuzz: {found} finding(s); replay one with TARGET --replay FILE");
        ExitCode::FAILURE
    }
}

fn report(target: Target, summary: &Summary) {
    println!(
        "{:<14} {:>8} execs in {:>5.1} s ({:>6.0}/s), {} finding(s)",
        target.name(),
        summary.execs,
        summary.seconds,
        summary.execs as f64 / summary.seconds.max(1e-9),
        summary.findings.len()
    );
    for finding in &summary.findings {
        let peak = finding.peak_bytes.map_or_else(
            || "peak memory not measured".to_string(),
            |bytes| format!("peak memory alone {:.1} MB", usage::megabytes(bytes)),
        );
        println!(
            "  {} {} ({peak})\n    {}",
            finding.kind,
            finding.file.display(),
            finding.message.replace('\n', "\n    ")
        );
    }
}

/// The harness finds a planted panic and a planted hang within a second or two, or the run
/// stops: a fuzzer that cannot fail would prove nothing.
fn canary(budget: &Budget) -> bool {
    let quick = Budget {
        seconds: 3.0,
        timeout: Duration::from_millis(300),
        max_findings: 6,
        findings_dir: std::env::temp_dir()
            .join(format!("claimsim-fuzz-canary-{}", std::process::id())),
        ..budget.clone()
    };
    let summary = supervise::supervise(Target::Canary, &quick);
    let _ = std::fs::remove_dir_all(&quick.findings_dir);
    let crashed = summary
        .findings
        .iter()
        .any(|f| f.kind == "crash" && f.message.contains("canary: a zero byte"));
    let hung = summary.findings.iter().any(|f| f.kind == "hang");
    println!(
        "canary: {} execs, planted panic {}, planted hang {}",
        summary.execs,
        if crashed { "found" } else { "NOT found" },
        if hung { "found" } else { "NOT found" }
    );
    crashed && hung
}

fn replay(args: &Args) -> ExitCode {
    let Some(&target) = args.targets.first() else {
        eprintln!("fuzz: --replay needs a target, e.g. sbml --replay FILE");
        return ExitCode::from(2);
    };
    for file in &args.replay {
        match std::fs::read(file) {
            Ok(bytes) => println!("{}: {}", file.display(), target.run(&bytes)),
            Err(e) => {
                eprintln!("fuzz: cannot read {}: {e}", file.display());
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
