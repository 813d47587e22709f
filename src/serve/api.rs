//! The JSON API behind the page (docs/serve.md): list the scenarios, describe one, run a
//! what-if on one, explain an outcome. Requests name scenarios by id only; what-ifs use the
//! command line's own forms (`"press": ["miR-100=1"]`), so their mistakes read the same.

use super::http::{self, Chunks, Request, Response};
use super::shelf::{Shelf, Shelved};
use super::{Limits, Slots, page};
use crate::error::Error;
use crate::pipeline::explain::{Question, explain};
use crate::pipeline::{self, RunOptions};
use crate::plot::{ChartFormat, PlotOptions, render_charts};
use crate::report;
use crate::sample::Watch;
use crate::scenario::overrides::Overrides;
use crate::scenario::{Method, Scenario};
use serde::Deserialize;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How often a waiting request looks at its run's progress and at its client.
const WATCH_EVERY: Duration = Duration::from_millis(100);

/// Everything a request handler reads: the shelf and the server's limits, shared.
pub struct App {
    pub shelf: Shelf,
    pub limits: Limits,
    pub slots: Slots,
}

/// A what-if as the page sends it; every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    pub method: Option<String>,
    pub samples: Option<u64>,
    pub seed: Option<u64>,
    #[serde(default)]
    pub press: Vec<String>,
    #[serde(default)]
    pub knockout: Vec<String>,
    #[serde(default)]
    pub block: Vec<String>,
    #[serde(default)]
    pub weight: Vec<String>,
    pub intervention: Option<String>,
    #[serde(default)]
    pub no_evidence: bool,
    /// explain only: the N-th expectation (from 1), or a node pair.
    pub expect: Option<usize>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// chart only: which chart (`claims`, `outcomes`, `network`, ...) and `png` or `svg`.
    pub chart: Option<String>,
    pub format: Option<String>,
    /// run only: stream progress lines before the result (docs/serve.md).
    #[serde(default)]
    pub progress: bool,
}

/// The connection a request came on: a run stops when its client goes away, and a run with
/// `"progress": true` streams its answer on it.
pub struct Client<'a> {
    pub stream: &'a TcpStream,
    /// Whether the answer keeps the connection open.
    pub keep_alive: bool,
}

/// Answers one request.
pub fn respond(app: &Arc<App>, request: &Request, client: &Client) -> Response {
    let path = request.path.as_str();
    let get = request.method == "GET" || request.method == "HEAD";
    let post = request.method == "POST";
    if let Some(response) = page::asset(path).filter(|_| get) {
        return response;
    }
    let routed = if path == "/api/scenarios" && get {
        Ok(Response::json(200, to_json(&app.shelf.entries())))
    } else if let Some(id) = path.strip_prefix("/api/scenarios/").filter(|_| get) {
        with_scenario(app, id, |s| Ok(describe(s, &app.limits)))
    } else if let Some(id) = path.strip_prefix("/api/run/").filter(|_| post) {
        with_scenario(app, id, |s| run(app, s, &request.body, client))
    } else if let Some(id) = path.strip_prefix("/api/explain/").filter(|_| post) {
        with_scenario(app, id, |s| run_explain(app, s, &request.body, client))
    } else if let Some(id) = path.strip_prefix("/api/chart/").filter(|_| post) {
        with_scenario(app, id, |s| chart(app, s, &request.body, client))
    } else if let Some(id) = path.strip_prefix("/api/scenario-file/").filter(|_| post) {
        with_scenario(app, id, |s| scenario_file(s, &request.body))
    } else if path.starts_with("/api/") && (get || post) {
        Err(Response::error(
            if is_route(path) { 405 } else { 404 },
            &format!("no such address: {path}; docs/serve.md lists the API"),
        ))
    } else {
        Err(Response::error(404, &format!("no such page: {path}")))
    };
    routed.unwrap_or_else(|response| response)
}

fn is_route(path: &str) -> bool {
    [
        "/api/scenarios",
        "/api/run/",
        "/api/explain/",
        "/api/scenario-file/",
        "/api/chart/",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn with_scenario(
    app: &App,
    id: &str,
    answer: impl FnOnce(&Shelved) -> Result<Response, Response>,
) -> Result<Response, Response> {
    let shelved = app.shelf.get(id).ok_or_else(|| {
        Response::error(
            404,
            &format!("unknown scenario '{id}'; GET /api/scenarios lists the ids"),
        )
    })?;
    answer(shelved)
}

/// A scenario's network, interventions, expectations and layout.
fn describe(shelved: &Shelved, limits: &Limits) -> Response {
    match super::describe::describe(shelved, limits.max_samples) {
        Ok(value) => Response::json(200, value.to_string()),
        Err(error) => Response::error(500, &format!("could not lay out the network: {error}")),
    }
}

/// The what-if as a scenario file that checks clean: `{"file_name", "text"}`.
fn scenario_file(shelved: &Shelved, body: &[u8]) -> Result<Response, Response> {
    let what_if = parse_what_if(body)?;
    let (text, file_name) = super::download::what_if_file(shelved, &what_if)
        .map_err(|e| Response::error(400, &e.to_string()))?;
    let answer = serde_json::json!({ "file_name": file_name, "text": text });
    Ok(Response::json(200, answer.to_string()))
}

/// Reads a what-if body; an empty body is the scenario as it is.
fn parse_what_if(body: &[u8]) -> Result<WhatIf, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(WhatIf::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        Response::error(
            400,
            &format!("the what-if is not valid: {e}; docs/serve.md shows its fields"),
        )
    })
}

/// Turns a what-if into run options within the server's caps.
fn options(what_if: &WhatIf, scenario: &Scenario, limits: &Limits) -> Result<RunOptions, Response> {
    let method = match what_if.method.as_deref() {
        None => None,
        Some(text) => Some(Method::parse(text).ok_or_else(|| {
            Response::error(
                400,
                &format!("unknown method '{text}'; use press, ode, fcm or all"),
            )
        })?),
    };
    let samples = match what_if.samples {
        Some(0) => return Err(Response::error(400, "samples must be at least 1")),
        Some(n) if n > limits.max_samples => {
            return Err(Response::error(
                400,
                &format!(
                    "samples {n} is above this server's cap of {}; ask for {} or fewer",
                    limits.max_samples, limits.max_samples
                ),
            ));
        }
        Some(n) => n,
        None => scenario.simulation.samples.min(limits.max_samples),
    };
    Ok(RunOptions {
        method,
        samples: Some(samples),
        seed: what_if.seed,
        threads: None,
        overrides: Overrides {
            press: what_if.press.clone(),
            knockout: what_if.knockout.clone(),
            block: what_if.block.clone(),
            weight: what_if.weight.clone(),
            intervention: what_if.intervention.clone(),
            no_evidence: what_if.no_evidence,
        },
        max_memory_mb: None,
    })
}

/// Runs a what-if: the same JSON as `claimsim run --format json`, or with `progress`, that
/// JSON after progress lines.
fn run(
    app: &Arc<App>,
    shelved: &Shelved,
    body: &[u8],
    client: &Client,
) -> Result<Response, Response> {
    let what_if = parse_what_if(body)?;
    let options = options(&what_if, &shelved.scenario, &app.limits)?;
    let scenario = shelved.scenario.clone();
    let work = move |watch: &Watch| pipeline::run_watched(&scenario, &options, watch);
    if what_if.progress {
        return Ok(run_with_progress(app, client, work));
    }
    let reports = off_thread(app, client, &mut |_| true, work)?;
    Ok(Response::json(200, report::json::to_json(&reports)))
}

/// A run answered as lines of JSON, sent as they come: `{"progress": {...}}` every
/// [`WATCH_EVERY`] or so, then `{"result": ...}` or `{"error": ..., "status": ...}`. A client
/// that stops reading or closes the connection cancels the run.
fn run_with_progress(
    app: &Arc<App>,
    client: &Client,
    work: impl FnOnce(&Watch) -> Result<Vec<crate::analysis::RunReport>, Error> + Send + 'static,
) -> Response {
    let Ok(mut chunks) = Chunks::begin(client.stream, "application/x-ndjson", client.keep_alive)
    else {
        return Response::streamed();
    };
    let mut report = |progress: crate::sample::Snapshot| {
        let fraction = progress.fraction();
        let line = serde_json::json!({ "progress": progress, "fraction": fraction });
        chunks.send(format!("{line}\n").as_bytes()).is_ok()
    };
    let last = match off_thread(app, client, &mut report, work) {
        Ok(reports) => {
            let result: serde_json::Value =
                serde_json::from_str(&report::json::to_json(&reports)).unwrap_or_default();
            serde_json::json!({ "result": result })
        }
        Err(response) => {
            let error: serde_json::Value =
                serde_json::from_slice(&response.body).unwrap_or_default();
            serde_json::json!({ "error": error["error"], "status": response.status })
        }
    };
    if chunks.send(format!("{last}\n").as_bytes()).is_ok() {
        let _ = chunks.finish();
    }
    Response::streamed()
}

/// One chart of a what-if's run, as PNG or SVG, drawn as `claimsim run -o` draws it and
/// coloured by the intervention named in `intervention`.
fn chart(
    app: &Arc<App>,
    shelved: &Shelved,
    body: &[u8],
    client: &Client,
) -> Result<Response, Response> {
    let what_if = parse_what_if(body)?;
    let (format, content_type) = match what_if.format.as_deref() {
        None | Some("png") => (ChartFormat::Png, "image/png"),
        Some("svg") => (ChartFormat::Svg, "image/svg+xml"),
        Some(other) => {
            return Err(Response::error(
                400,
                &format!("unknown chart format '{other}'; use png or svg"),
            ));
        }
    };
    let wanted = what_if
        .chart
        .clone()
        .unwrap_or_else(|| "claims".to_string());
    let mut options = options(&what_if, &shelved.scenario, &app.limits)?;
    let intervention = options.overrides.intervention.take();
    let mut scenario = shelved.scenario.clone();
    options
        .apply(&mut scenario)
        .map_err(|e| Response::error(400, &e.to_string()))?;
    let shown = intervention.and_then(|name| scenario.intervention_index(&name));
    let charts = off_thread(app, client, &mut |_| true, move |watch| {
        let reports = pipeline::simulate_watched(&scenario, &options, None, watch)?;
        let plot_options = PlotOptions {
            format,
            intervention: shown,
            every_network: false,
            ..PlotOptions::default()
        };
        render_charts(&scenario, &reports, &plot_options)
    })?;
    let found = charts
        .into_iter()
        .find(|c| c.file_name.starts_with(&wanted));
    let Some(found) = found else {
        return Err(Response::error(
            404,
            &format!(
                "this run draws no '{wanted}' chart; try claims, outcomes, effects or network"
            ),
        ));
    };
    Ok(Response::new(200, content_type, found.bytes).with_header(
        "Content-Disposition",
        format!("attachment; filename=\"{}\"", found.file_name),
    ))
}

/// Explains an expectation (`expect`) or a node pair (`from`, `to`) under the what-if.
fn run_explain(
    app: &Arc<App>,
    shelved: &Shelved,
    body: &[u8],
    client: &Client,
) -> Result<Response, Response> {
    let what_if = parse_what_if(body)?;
    let options = options(&what_if, &shelved.scenario, &app.limits)?;
    let mut scenario = shelved.scenario.clone();
    options
        .apply(&mut scenario)
        .map_err(|e| Response::error(400, &e.to_string()))?;
    let explained = scenario.clone();
    let question = match (what_if.expect, &what_if.from, &what_if.to) {
        (Some(n), _, _) => QuestionOwned::Expectation(n),
        (None, Some(from), Some(to)) => QuestionOwned::Nodes(from.clone(), to.clone()),
        _ => {
            return Err(Response::error(
                400,
                "say what to explain: \"expect\": N, or \"from\" and \"to\" node names",
            ));
        }
    };
    let plain = RunOptions {
        overrides: Overrides::default(),
        ..options
    };
    // explain's own run is short and not watched; the client going away still frees the request.
    let text = off_thread(app, client, &mut |_| true, move |_| {
        let explanation = explain(&explained, question.borrowed(), &plain)?;
        Ok(report::explain::to_text(&explained, &explanation))
    })?;
    Ok(Response::json(
        200,
        to_json(&serde_json::json!({ "text": text })),
    ))
}

/// A [`Question`] that owns its names, to move into a worker.
enum QuestionOwned {
    Expectation(usize),
    Nodes(String, String),
}

impl QuestionOwned {
    fn borrowed(&self) -> Question<'_> {
        match self {
            QuestionOwned::Expectation(n) => Question::Expectation(*n),
            QuestionOwned::Nodes(from, to) => Question::Nodes { from, to },
        }
    }
}

/// Runs `work` in a run slot on its own thread, watched: every [`WATCH_EVERY`] its progress
/// goes to `report` (which returns false when the client can no longer be told), and the
/// client's connection is looked at. When every slot is taken the answer is 503 "busy, retry".
/// A run is cancelled when it passes the server's time cap (answered 503), or when its client
/// has gone; it then stops within a draw per thread and gives its slot back, so abandoned and
/// slow runs cannot pile up.
fn off_thread<T: Send + 'static>(
    app: &Arc<App>,
    client: &Client,
    report: &mut dyn FnMut(crate::sample::Snapshot) -> bool,
    work: impl FnOnce(&Watch) -> Result<T, Error> + Send + 'static,
) -> Result<T, Response> {
    let Some(slot) = app.slots.try_take() else {
        return Err(Response::error(
            503,
            "busy: every run slot is taken; retry in a moment",
        ));
    };
    let watch = Arc::new(Watch::default());
    let (send, receive) = mpsc::channel();
    let watched = Arc::clone(&watch);
    std::thread::spawn(move || {
        let result = work(&watched);
        drop(slot);
        let _ = send.send(result);
    });
    let deadline = Instant::now() + app.limits.time_cap;
    loop {
        let wait = WATCH_EVERY.min(deadline.saturating_duration_since(Instant::now()));
        match receive.recv_timeout(wait) {
            Ok(result) => return result.map_err(|e| failed(&e)),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Response::error(500, "the run stopped unexpectedly"));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if Instant::now() >= deadline {
            watch.cancel();
            return Err(too_slow(app));
        }
        if !report(watch.snapshot()) || http::client_gone(client.stream) {
            watch.cancel();
            return Err(Response::error(
                499,
                "the client went away; the run was cancelled",
            ));
        }
    }
}

/// Invalid input is the client's to fix (400); a run that could not complete (too few
/// accepted draws) is a valid answer the page shows (422).
fn failed(error: &Error) -> Response {
    match error {
        Error::RunFailed(_) => Response::error(422, &error.to_string()),
        _ => Response::error(400, &error.to_string()),
    }
}

fn too_slow(app: &App) -> Response {
    Response::error(
        503,
        &format!(
            "the run took longer than this server's cap of {} s and was stopped; ask for fewer samples or the press method",
            app.limits.time_cap.as_secs_f64()
        ),
    )
}
