//! The pipeline: a validated scenario and [`RunOptions`] in, finished [`RunReport`]s out.
//!
//! Every command that simulates goes through here, so its options mean the same everywhere:
//! the method, the accepted samples (at least 1, raising `max_draws` to the default for that
//! many samples when the file's is lower), the seed, the what-if overrides (which check
//! themselves against the method chosen) and the worker threads (results do not depend on them).
//! [`batch`] runs folders of scenarios, [`sweep`] knocks out nodes and blocks links one at a
//! time to see which verdicts flip, and [`explain`] turns a question into an explanation.

pub mod atlas;
pub mod batch;
pub mod draws;
pub mod explain;
pub mod fit;
pub mod sweep;

use crate::analysis::held_out::HeldOutPlan;
use crate::analysis::{self, MethodSummary, PlainVerdict, RunReport};
use crate::error::Error;
use crate::sample::{Progress, Quiet, Rejection, SampleSink, TooFewAccepted};
use crate::scenario::overrides::Overrides;
use crate::scenario::validate::default_max_draws;
use crate::scenario::{MAX_SAMPLES, Method, Scenario};
use crate::solve::{fcm, ode, press};
use draws::Sampling;

/// How to run a scenario; `None` keeps the file's `[simulation]` setting.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub method: Option<Method>,
    /// Accepted samples (at least 1).
    pub samples: Option<u64>,
    pub seed: Option<u64>,
    /// Worker threads; `None` uses the current rayon pool (all cores unless set otherwise).
    pub threads: Option<usize>,
    /// What-if changes on top of the file.
    pub overrides: Overrides,
    /// Memory the press method's dense matrices may take, in MB (`--max-memory`);
    /// `None` is [`DEFAULT_MAX_MEMORY_MB`].
    pub max_memory_mb: Option<u64>,
}

/// The memory press's matrices may take unless told otherwise: a few thousand nodes in one
/// feedback loop, well past what a draw solves in reasonable time.
pub const DEFAULT_MAX_MEMORY_MB: u64 = 4096;

impl RunOptions {
    /// Checks what does not depend on a scenario: at least one sample and one thread.
    pub fn check(&self) -> Result<(), Error> {
        if self.samples == Some(0) {
            return Err(Error::usage(
                "--samples must be at least 1",
                "pass -n 1 or more",
            ));
        }
        if let Some(samples) = self.samples.filter(|&n| n > MAX_SAMPLES) {
            return Err(Error::usage(
                format!("--samples {samples} is more than the {MAX_SAMPLES} a run may ask for"),
                format!(
                    "pass -n {MAX_SAMPLES} or less (already about half an hour of CPU), and split bigger jobs"
                ),
            ));
        }
        if self.threads == Some(0) {
            return Err(Error::usage(
                "-j/--threads must be at least 1",
                "pass -j 1 or more, or leave it out to use every core",
            ));
        }
        let cap = max_threads();
        if let Some(threads) = self.threads.filter(|&j| j > cap) {
            return Err(Error::usage(
                format!("-j {threads} is more threads than this machine can use"),
                format!("pass -j {cap} or less (4 per core), or leave it out to use every core"),
            ));
        }
        Ok(())
    }

    /// Applies the options to a scenario: its `[simulation]` settings, then the overrides.
    pub fn apply(&self, scenario: &mut Scenario) -> Result<(), Error> {
        self.check()?;
        let sim = &mut scenario.simulation;
        if let Some(method) = self.method {
            sim.method = method;
        }
        if let Some(samples) = self.samples {
            sim.max_draws = sim.max_draws.max(default_max_draws(samples));
            sim.samples = samples;
        }
        if let Some(seed) = self.seed {
            sim.seed = seed;
        }
        self.overrides.apply(scenario)
    }
}

/// Runs a scenario as `options` say: one report per method (three for `Method::All`, in the
/// order press, ode, fcm).
pub fn run(scenario: &Scenario, options: &RunOptions) -> Result<Vec<RunReport>, Error> {
    run_watched(scenario, options, &Quiet)
}

/// Like [`run`], telling `progress` how far it has got, and stopping when it cancels.
pub fn run_watched(
    scenario: &Scenario,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<Vec<RunReport>, Error> {
    let mut scenario = scenario.clone();
    options.apply(&mut scenario)?;
    simulate_watched(&scenario, options, None, progress)
}

/// Runs a scenario to which `options` have been applied ([`RunOptions::apply`]); raw press
/// samples go to `sink` when given.
pub fn simulate(
    scenario: &Scenario,
    options: &RunOptions,
    sink: Option<&mut (dyn SampleSink + Send)>,
) -> Result<Vec<RunReport>, Error> {
    simulate_watched(scenario, options, sink, &Quiet)
}

/// [`simulate`], telling `progress` of every sampling pass and its draws as they are made
/// (the method's own run, then its held-out and without-evidence passes), and stopping when it
/// cancels.
pub fn simulate_watched(
    scenario: &Scenario,
    options: &RunOptions,
    sink: Option<&mut (dyn SampleSink + Send)>,
    progress: &dyn Progress,
) -> Result<Vec<RunReport>, Error> {
    simulate_with(scenario, options, sink, &mut Sampling::Target, progress)
}

/// [`simulate_watched`], drawing as `sampling` says (a draw budget, a shard of one, or a merge).
pub fn simulate_with(
    scenario: &Scenario,
    options: &RunOptions,
    sink: Option<&mut (dyn SampleSink + Send)>,
    sampling: &mut Sampling,
    progress: &dyn Progress,
) -> Result<Vec<RunReport>, Error> {
    let overrides = options.overrides.describe();
    let context = Context {
        overrides: &overrides,
        progress,
        max_memory_mb: options.max_memory_mb.unwrap_or(DEFAULT_MAX_MEMORY_MB),
    };
    let reports = with_threads(options.threads, || {
        run_methods(scenario, sink, sampling, &context)
    })??;
    // A pass that tolerates failure (held-out variants) may have been the one cancelled.
    if progress.cancelled() {
        return Err(cancelled());
    }
    Ok(reports)
}

/// What every pass of one run shares: the overrides it reports, the progress watcher and
/// the memory limit.
struct Context<'a> {
    overrides: &'a [String],
    progress: &'a dyn Progress,
    max_memory_mb: u64,
}

fn cancelled() -> Error {
    Error::run_failed(
        "the run was cancelled",
        "start it again when you want its results",
    )
}

/// The methods a run under `method` reports, in order (press, ode, fcm for `all`).
pub fn methods(method: Method) -> Vec<Method> {
    match method {
        Method::All => vec![Method::Press, Method::Ode, Method::Fcm],
        one => vec![one],
    }
}

fn run_methods(
    scenario: &Scenario,
    sink: Option<&mut (dyn SampleSink + Send)>,
    sampling: &mut Sampling,
    context: &Context,
) -> Result<Vec<RunReport>, Error> {
    scenario.check_press_levels(scenario.simulation.method)?;
    let methods = match scenario.simulation.method {
        Method::Ode | Method::Fcm if sink.is_some() => {
            return Err(Error::usage(
                "--samples-out writes press samples only",
                "run with --method press or --method all",
            ));
        }
        Method::All => vec![Method::Press, Method::Ode, Method::Fcm],
        method => vec![method],
    };
    for &method in &methods {
        context
            .progress
            .plan_passes(passes(scenario, method, sink.is_some()));
    }
    let mut sink = sink;
    methods
        .into_iter()
        .map(|method| run_assessed(scenario, method, sink.take(), sampling, context))
        .collect()
}

/// The sampling passes [`run_assessed`] makes: the run, a separate one for the held-out
/// variants unless press carries them along, and one without the evidence rules when they matter.
fn passes(scenario: &Scenario, method: Method, sink: bool) -> u64 {
    let plan = HeldOutPlan::new(scenario, method != Method::Press);
    let separate_variants = plan.augmented().is_some() && (method != Method::Press || sink);
    1 + u64::from(separate_variants) + u64::from(scenario.has_evidence_presence())
}

/// One method's report, with every expectation's held-out verdict and support class
/// ([`HeldOutPlan`]) and its verdict without the evidence rules.
fn run_assessed(
    scenario: &Scenario,
    method: Method,
    sink: Option<&mut (dyn SampleSink + Send)>,
    sampling: &mut Sampling,
    context: &Context,
) -> Result<RunReport, Error> {
    let plan = HeldOutPlan::new(scenario, method != Method::Press);
    let pass = |what: &'static str| Pass { context, what };
    let mut report = match plan.augmented() {
        // A structural variant never rejects a press draw, so one run gives both, and the
        // scenario's own results are those of a run without the variants.
        Some(augmented) if method == Method::Press && sink.is_none() => {
            let mut report = run_method(
                augmented,
                method,
                None,
                sampling,
                &pass("with claims held out"),
            )?;
            let variants = plan.variant_counts(&report);
            plan.strip(&mut report);
            plan.attach(scenario, &mut report, Some(&variants));
            report
        }
        augmented => {
            let mut report = run_method(scenario, method, sink, sampling, &pass(""))?;
            // Variants that never settle leave the held-out verdicts undecided, not the run failed.
            let variants = augmented
                .and_then(|a| {
                    run_method(a, method, None, sampling, &pass("with claims held out")).ok()
                })
                .map(|r| plan.variant_counts(&r));
            plan.attach(scenario, &mut report, variants.as_deref());
            report
        }
    };
    attach_without_evidence(
        scenario,
        method,
        &mut report,
        sampling,
        &pass("without evidence rules"),
    );
    Ok(report)
}

/// One sampling pass of a run: its shared context and what the pass is, for the watcher.
struct Pass<'a> {
    context: &'a Context<'a>,
    /// Empty for the method's own pass, else which variant ("with claims held out", ...).
    what: &'static str,
}

impl Pass<'_> {
    /// Tells the watcher that this pass of `method` begins, aiming at `samples`.
    fn begin(&self, method: Method, samples: u64) -> &dyn Progress {
        let name = method.as_str();
        let what = match self.what {
            "" => name.to_string(),
            pass => format!("{name}, {pass}"),
        };
        self.context.progress.begin(&what, samples);
        self.context.progress
    }

    fn overrides(&self) -> Vec<String> {
        self.context.overrides.to_vec()
    }
}

/// One method on one scenario, as it is.
fn run_method(
    scenario: &Scenario,
    method: Method,
    sink: Option<&mut (dyn SampleSink + Send)>,
    sampling: &mut Sampling,
    pass: &Pass,
) -> Result<RunReport, Error> {
    match method {
        Method::Ode => run_ode(scenario, sampling, pass),
        Method::Fcm => run_fcm(scenario, sampling, pass),
        _ => run_press(scenario, sink, sampling, pass),
    }
}

/// Sets every expectation's verdict with the evidence rules switched off: the same streams
/// with every link present (the verdict itself when no link's presence came from the rules;
/// none when that run fails).
fn attach_without_evidence(
    scenario: &Scenario,
    method: Method,
    report: &mut RunReport,
    sampling: &mut Sampling,
    pass: &Pass,
) {
    let evidence_matters = scenario.has_evidence_presence();
    let plain = evidence_matters
        .then(|| run_method(&scenario.without_evidence(), method, None, sampling, pass).ok())
        .flatten();
    for (k, e) in report.expectations.iter_mut().enumerate() {
        let source = match &plain {
            Some(p) => p.expectations.get(k),
            None if evidence_matters => None,
            None => Some(&*e),
        };
        e.without_evidence = source.map(|x| PlainVerdict {
            probability: x.probability,
            verdict: x.verdict,
        });
    }
}

/// The most worker threads a run may ask for: four per core (more only adds switching).
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    4 * cores.max(2)
}

/// Runs `work` on a pool of `threads` workers, or on the current pool when not given.
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, Error> {
    let Some(n) = threads else {
        return Ok(work());
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| {
            Error::run_failed(
                format!("could not start worker threads: {e}"),
                "run with -j 1, or free some memory",
            )
        })?;
    Ok(pool.install(work))
}

/// The press method on a scenario.
fn run_press(
    scenario: &Scenario,
    sink: Option<&mut (dyn SampleSink + Send)>,
    sampling: &mut Sampling,
    pass: &Pass,
) -> Result<RunReport, Error> {
    let model = press::PressModel::new(scenario);
    check_memory(scenario, &model, pass.context.max_memory_mb)?;
    if let Some(entries) = model.fixed_entries() {
        let n = scenario.nodes.len();
        if let Some(unstable) = crate::solve::fixed::instability(n, &entries) {
            return Err(unstable_with_fixed_weights(scenario, &unstable));
        }
    }
    let progress = pass.begin(Method::Press, scenario.simulation.samples);
    let (summary, acceptance) = match sink {
        None => sampling.draw(&model, "press", scenario, progress, &mut |_| {})?,
        Some(sink) => {
            sink.columns("press", &sample_columns(scenario));
            let model = model.keep_samples();
            let mut observe = |block: &press::PressSummary| sink.rows(&block.samples);
            sampling.draw(&model, "press", scenario, progress, &mut observe)?
        }
    };
    let summary = MethodSummary::Press(&summary);
    Ok(analysis::report(
        scenario,
        summary,
        &acceptance,
        pass.overrides(),
    ))
}

/// Refuses a press run whose dense matrices would take more than `limit_mb` on this run's
/// worker threads, before any is allocated (a 10,000-node feedback loop asks for about 5 GB
/// per thread, and an allocation that fails aborts the process).
fn check_memory(
    scenario: &Scenario,
    model: &press::PressModel,
    limit_mb: u64,
) -> Result<(), Error> {
    let workers = rayon::current_num_threads().max(1) as u64;
    let per_worker = model.workspace_bytes();
    let needed = per_worker.saturating_mul(workers);
    if needed <= limit_mb.saturating_mul(MB) {
        return Ok(());
    }
    let m = model.largest_block();
    let (needed_mb, per_worker_mb) = (needed.div_ceil(MB), per_worker.div_ceil(MB));
    let threads = if workers == 1 { "thread" } else { "threads" };
    let fewer_threads = match workers {
        1 => String::new(),
        _ => format!(", run with -j 1 ({per_worker_mb} MB)"),
    };
    Err(Error::run_failed(
        format!(
            "'{}' is too big for press: its {} nodes need about {needed_mb} MB for their matrices ({per_worker_mb} MB per worker thread × {workers} {threads}; its largest feedback block has {m} nodes and takes six dense {m} × {m} arrays), more than the limit of {limit_mb} MB",
            scenario.path.display(),
            scenario.nodes.len(),
        ),
        format!(
            "pass --max-memory {needed_mb} if the machine has that much free (each draw then solves a {m} × {m} system){fewer_threads}, or run --method ode or fcm, whose memory grows with the links rather than the square of the nodes"
        ),
    ))
}

/// Bytes in a megabyte, as `--max-memory` counts them.
const MB: u64 = 1 << 20;

/// Names of the raw-sample columns: every intervention's nodes, `intervention::node`.
fn sample_columns(scenario: &Scenario) -> Vec<String> {
    scenario
        .interventions
        .iter()
        .flat_map(|i| {
            scenario
                .nodes
                .iter()
                .map(move |n| format!("{}::{}", i.name, n.name))
        })
        .collect()
}

/// The ode method on a scenario: changes, final levels, baseline and time courses.
fn run_ode(scenario: &Scenario, sampling: &mut Sampling, pass: &Pass) -> Result<RunReport, Error> {
    let model = ode::OdeModel::new(scenario)?;
    let progress = pass.begin(Method::Ode, scenario.simulation.samples);
    let (summary, acceptance) = sampling.draw(&model, "ode", scenario, progress, &mut |_| {})?;
    let summary = MethodSummary::Ode {
        levels: &summary.levels,
        courses: model.time_courses(&summary.courses),
    };
    Ok(analysis::report(
        scenario,
        summary,
        &acceptance,
        pass.overrides(),
    ))
}

/// The fcm method on a scenario: changes, equilibrium levels and baseline.
fn run_fcm(scenario: &Scenario, sampling: &mut Sampling, pass: &Pass) -> Result<RunReport, Error> {
    let model = fcm::FcmModel::new(scenario);
    let progress = pass.begin(Method::Fcm, scenario.simulation.samples);
    let (levels, acceptance) = sampling.draw(&model, "fcm", scenario, progress, &mut |_| {})?;
    let summary = MethodSummary::Fcm(&levels);
    Ok(analysis::report(
        scenario,
        summary,
        &acceptance,
        pass.overrides(),
    ))
}

/// A network with nothing random that is unstable: one draw decides, so the run stops at once.
fn unstable_with_fixed_weights(
    scenario: &Scenario,
    unstable: &crate::solve::fixed::Instability,
) -> Error {
    let names: Vec<&str> = unstable
        .nodes
        .iter()
        .map(|&i| scenario.nodes[i].name.as_str())
        .collect();
    Error::run_failed(
        format!(
            "'{}' is unstable with its fixed weights: every magnitude is fixed and every link present, so every press draw is the same matrix and none can be accepted\n  the feedback loop to blame: {} (its largest eigenvalue has real part {:.4}, not below 0)",
            scenario.path.display(),
            names.join(", "),
            unstable.growth
        ),
        "damp these nodes (self_limited = true, or [simulation] self_limitation = \"all\"), weaken the positive feedback among them, or give their link weights ranges",
    )
}

fn too_few_accepted(scenario: &Scenario, e: &TooFewAccepted) -> Error {
    if e.cancelled {
        return cancelled();
    }
    let a = &e.acceptance;
    let rate = 100.0 * a.accepted as f64 / a.draws.max(1) as f64;
    let reason = match a.main_rejection() {
        Some((Rejection::Condition(i), n)) => {
            let x = &scenario.expectations[i];
            format!(
                "{n} draws violated the condition that '{}' goes {} under \"{}\" (line {})",
                scenario.nodes[x.node].name,
                x.change.as_str(),
                scenario.interventions[x.intervention].name,
                x.line
            )
        }
        Some((Rejection::Unstable, n)) => format!("{n} draws gave an unstable network"),
        Some((Rejection::Singular, n)) => format!("{n} draws gave a singular network"),
        Some((Rejection::Undecided, n)) => format!(
            "{n} draws could not be decided numerically (on the stability boundary, or responses too large for floating point)"
        ),
        Some((Rejection::NotConverged, n)) => format!(
            "{n} draws did not settle (fcm: no fixed point within {} steps, an oscillating map; ode: the integrator could not reach t_end)",
            fcm::MAX_ITERATIONS
        ),
        None => "no draw was rejected".to_string(),
    };
    let help = match a.main_rejection() {
        Some((Rejection::NotConverged, _)) => {
            "the runs oscillate or move too fast to follow: for ode, a shorter t_end or larger tau; for fcm, a smaller fcm_lambda or another fcm_rule"
        }
        Some((Rejection::Undecided, _)) => {
            "keep weights and press levels within a few orders of magnitude of 1 (signs and verdicts do not depend on the scale), or add self-limitation"
        }
        _ => {
            "check that the network's signs and the `condition = true` expectations can hold together, add self-limitation, or raise [simulation] max_draws"
        }
    };
    let max_draws = scenario.simulation.max_draws;
    let early = if a.draws < max_draws {
        format!(
            "\n  stopped early: even the 99.9 % upper bound on this acceptance cannot give {} samples within max_draws = {max_draws}",
            e.wanted
        )
    } else {
        String::new()
    };
    Error::run_failed(
        format!(
            "only {} of {} samples accepted after {} draws (acceptance {rate:.4} %) in '{}'\n  most rejections: {reason}{early}",
            a.accepted,
            e.wanted,
            a.draws,
            scenario.path.display()
        ),
        help,
    )
}
