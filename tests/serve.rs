//! `claimsim serve`: the JSON API over real HTTP, against the binary listening on an ephemeral
//! loopback port. The client is a plain HTTP/1.1 exchange over a TCP socket.

use crate::util::{claimsim, outcome, run_json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A three-node chain: pressing `drug` raises C through B, so knocking out B flips the verdict.
const CHAIN: &str = "title = \"A chain\"\nnetwork = \"\"\"\ndrug -> B\nB -> C\n\"\"\"\n\
[[intervention]]\nname = \"drug\"\npress = { drug = 1.0 }\n\
[[expect]]\nintervention = \"drug\"\nnode = \"C\"\nchange = \"up\"\n";

/// An ode chain fed by two dose schedules (one repeated), for downloads that keep the doses and
/// for runs long enough to watch and cancel.
const DOSED: &str = "title = \"Doses on a chain\"\nnetwork = \"\"\"\nX -> Y\nY -> Z\n\"\"\"\n\
[[intervention]]\nname = \"dosed\"\n\
doses = [{ node = \"X\", at = 0.5, amount = 0.3, half_life = 1.5, every = 2.0, count = 3 }, \
{ node = \"X\", at = 1, amount = 0.2, half_life = 4 }]\n\
[[expect]]\nintervention = \"dosed\"\nnode = \"Z\"\nchange = \"up\"\n\
[simulation]\nmethod = \"ode\"\nt_end = 6.0\n";

/// A server on a free loopback port, stopped when dropped.
struct Served {
    child: Child,
    address: String,
    dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves a folder holding lesson/chain.toml, with extra command-line arguments.
fn serve(extra: &[&str]) -> Served {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lesson")).unwrap();
    std::fs::write(dir.path().join("lesson/chain.toml"), CHAIN).unwrap();
    std::fs::write(dir.path().join("lesson/dosed.toml"), DOSED).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("claimsim");
    let mut child = std::process::Command::new(bin)
        .arg("serve")
        .arg(dir.path())
        .args(["--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Served {
        child,
        address,
        dir,
    }
}

impl Served {
    /// Sends one request and returns the status and body.
    fn request(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let (head, body) = self.exchange(method, path, body);
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body)
    }

    /// Sends one request and returns the response's head and body.
    fn exchange(&self, method: &str, path: &str, body: &str) -> (String, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.address,
            body.len()
        )
        .unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        // Images come back as bytes; the tests read only their heads and text.
        let response = String::from_utf8_lossy(&bytes);
        let (head, body) = response.split_once("\r\n\r\n").expect("a head");
        (head.to_string(), body.to_string())
    }

    fn json(&self, method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
        let (status, text) = self.request(method, path, body);
        (status, serde_json::from_str(&text).expect("JSON"))
    }

    fn chain_file(&self) -> PathBuf {
        self.dir.path().join("lesson/chain.toml")
    }
}

fn verdict(run: &serde_json::Value) -> &str {
    run["expectations"][0]["verdict"].as_str().unwrap()
}

#[test]
fn lists_the_scenarios_found_at_start_up_by_folder() {
    let served = serve(&[]);
    let (status, list) = served.json("GET", "/api/scenarios", "");
    assert_eq!(status, 200);
    assert_eq!(list[0]["id"], "lesson/chain");
    assert_eq!(list[0]["folder"], "lesson");
    assert_eq!(list[0]["title"], "A chain");
    let (status, one) = served.json("GET", "/api/scenarios/lesson/chain", "");
    assert_eq!(status, 200);
    assert_eq!(one["nodes"][1]["name"], "B");
    assert_eq!(one["links"][0]["text"], "drug -> B");
    assert_eq!(one["interventions"][0]["press"][0][0], "drug");
    assert_eq!(one["expectations"][0]["change"], "up");
}

#[test]
fn a_knockout_flips_a_verdict_and_answers_like_run_json() {
    let served = serve(&[]);
    let (status, plain) = served.json("POST", "/api/run/lesson/chain", r#"{"samples": 400}"#);
    assert_eq!(status, 200, "{plain}");
    assert_eq!(verdict(&plain), "supported");
    let what_if = r#"{"samples": 400, "seed": 3, "knockout": ["B"]}"#;
    let (status, knocked) = served.request("POST", "/api/run/lesson/chain", what_if);
    assert_eq!(status, 200, "{knocked}");
    let knocked_json: serde_json::Value = serde_json::from_str(&knocked).unwrap();
    assert_eq!(verdict(&knocked_json), "contradicted");
    let cli = claimsim()
        .arg("run")
        .arg(served.chain_file())
        .args([
            "-n",
            "400",
            "--seed",
            "3",
            "--knockout",
            "B",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(knocked, String::from_utf8(cli.stdout).unwrap());
}

#[test]
fn bad_what_ifs_get_a_400_that_says_what_to_fix() {
    let served = serve(&["--max-samples", "1000"]);
    let path = "/api/run/lesson/chain";
    let cases = [
        (r#"{"knockout": ["b"]}"#, "did you mean 'B'?"),
        (r#"{"samples": 1001}"#, "above this server's cap of 1000"),
        (r#"{"method": "magic"}"#, "use press, ode, fcm or all"),
        (r#"{"knockdown": ["B"]}"#, "unknown field `knockdown`"),
        ("{not json", "the what-if is not valid"),
    ];
    for (body, help) in cases {
        let (status, answer) = served.json("POST", path, body);
        assert_eq!(status, 400, "{body}: {answer}");
        let error = answer["error"].as_str().unwrap();
        assert!(error.contains(help), "{body}: {error}");
    }
    assert_eq!(served.request("GET", path, "").0, 405);
}

#[test]
fn only_scenarios_found_at_start_up_can_be_asked_for() {
    let served = serve(&[]);
    for id in [
        "nope",
        "lesson/../lesson/chain",
        "../../etc/passwd",
        "lesson/chain.toml",
    ] {
        let (status, answer) = served.json("GET", &format!("/api/scenarios/{id}"), "");
        assert_eq!(status, 404, "{id}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .contains("unknown scenario")
        );
    }
    // A file added after start-up is not served.
    std::fs::write(served.dir.path().join("lesson/late.toml"), CHAIN).unwrap();
    assert_eq!(served.request("POST", "/api/run/lesson/late", "").0, 404);
}

#[test]
fn oversized_and_slow_requests_are_refused() {
    let served = serve(&["--time-limit", "0.000001"]);
    let padding = format!(r#"{{"press": ["{}"]}}"#, "x".repeat(70_000));
    let (status, answer) = served.json("POST", "/api/run/lesson/chain", &padding);
    assert_eq!(status, 413);
    assert!(answer["error"].as_str().unwrap().contains("larger than"));
    let (status, answer) = served.json("POST", "/api/run/lesson/chain", "");
    assert_eq!(status, 503);
    assert!(answer["error"].as_str().unwrap().contains("longer than"));
}

#[test]
fn refuses_a_folder_without_scenarios() {
    let empty = tempfile::tempdir().unwrap();
    claimsim()
        .arg("serve")
        .arg(empty.path())
        .args(["--port", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no scenario files"));
}

#[test]
fn the_page_is_served_with_a_content_security_policy() {
    let served = serve(&[]);
    let (head, page) = served.exchange("GET", "/", "");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.contains("Content-Security-Policy: default-src 'none'; script-src 'self';"),
        "{head}"
    );
    assert!(page.contains("<script src=\"/app.js\" defer></script>"));
    assert!(!page.contains("<script>"), "no inline script");
    let (head, script) = served.exchange("GET", "/app.js", "");
    assert!(head.contains("text/javascript"), "{head}");
    assert!(
        !script.contains("innerHTML"),
        "names go in as text, never markup"
    );
    let (head, _) = served.exchange("HEAD", "/app.js", "");
    let length = format!("Content-Length: {}", script.len());
    assert!(
        head.contains(&length),
        "HEAD gives the GET's length: {head}"
    );
}

#[test]
fn the_layout_is_network_png_s_and_the_what_if_downloads_as_a_file_that_checks() {
    let served = serve(&[]);
    let (_, one) = served.json("GET", "/api/scenarios/lesson/chain", "");
    let layout = &one["layout"];
    assert_eq!(layout["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(layout["lines"].as_array().unwrap().len(), 2);
    // A chain lays out in layers: drug, B and C from left to right.
    let x = |v: usize| layout["nodes"][v]["centre"][0].as_f64().unwrap();
    assert!(x(0) < x(1) && x(1) < x(2), "{layout}");
    let what_if = r#"{"knockout": ["B"], "press": ["C=-1"], "intervention": "drug"}"#;
    let (status, file) = served.json("POST", "/api/scenario-file/lesson/chain", what_if);
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["file_name"], "chain-what-if.toml");
    let text = file["text"].as_str().unwrap();
    assert!(text.starts_with(CHAIN.trim_end()), "{text}");
    assert!(text.contains("name = \"drug + what-if\"\npress = { \"drug\" = 1.0, \"C\" = -1.0 }\nknockout = [\"B\"]"), "{text}");
    let saved = served.dir.path().join("saved.toml");
    std::fs::write(&saved, text).unwrap();
    claimsim().arg("check").arg(&saved).assert().success();
    // Without an intervention, the changes alone; names are written as the network spells them.
    let (status, file) = served.json(
        "POST",
        "/api/scenario-file/lesson/chain",
        r#"{"knockout": [" C "]}"#,
    );
    assert_eq!(status, 200, "{file}");
    let text = file["text"].as_str().unwrap();
    assert!(text.contains("press = {  }\nknockout = [\"C\"]"), "{text}");
    // Every mistake at once, read as a run reads them, with the nearest name.
    let bad =
        r#"{"knockout": ["Bb"], "press": ["Q=1", "C=abc", "B=1e300"], "intervention": "drug"}"#;
    let (status, answer) = served.json("POST", "/api/scenario-file/lesson/chain", bad);
    assert_eq!(status, 400, "{answer}");
    let error = answer["error"].as_str().unwrap();
    for part in [
        "--knockout \"Bb\": unknown node 'Bb'",
        "did you mean 'B'?",
        "--press \"Q=1\": unknown node 'Q'",
        "'abc' is not a number",
        "where responses overflow",
    ] {
        assert!(error.contains(part), "{part:?} missing from {error}");
    }
}

#[test]
fn why_explains_a_claim_under_the_what_if() {
    let served = serve(&[]);
    let (status, answer) = served.json(
        "POST",
        "/api/explain/lesson/chain",
        r#"{"expect": 1, "samples": 300}"#,
    );
    assert_eq!(status, 200, "{answer}");
    let text = answer["text"].as_str().unwrap();
    assert!(text.contains("raises  drug -> B -> C"), "{text}");
    let (status, answer) = served.json("POST", "/api/explain/lesson/chain", "{}");
    assert_eq!(status, 400);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("say what to explain")
    );
}

#[test]
fn charts_of_a_what_if_download_as_png_or_svg() {
    let served = serve(&[]);
    let path = "/api/chart/lesson/chain";
    let png = r#"{"chart": "network", "format": "png", "knockout": ["B"], "samples": 200}"#;
    let (head, body) = served.exchange("POST", path, png);
    assert!(head.contains("Content-Type: image/png"), "{head}");
    assert!(head.contains("filename=\"network.png\""), "{head}");
    assert!(body.len() > 1000);
    let svg = r#"{"chart": "claims", "format": "svg", "samples": 200}"#;
    let (head, body) = served.exchange("POST", path, svg);
    assert!(head.contains("image/svg+xml"), "{head}");
    assert!(
        body.contains("<svg") && body.contains("supported"),
        "{body}"
    );
    let (status, answer) = served.json("POST", path, r#"{"format": "gif"}"#);
    assert_eq!(status, 400, "{answer}");
}

#[test]
fn a_download_keeps_the_intervention_s_ode_doses() {
    let served = serve(&[]);
    let what_if = r#"{"intervention": "dosed", "knockout": ["Y"]}"#;
    let (status, file) = served.json("POST", "/api/scenario-file/lesson/dosed", what_if);
    assert_eq!(status, 200, "{file}");
    let text = file["text"].as_str().unwrap();
    let doses = "doses = [{ node = \"X\", at = 0.5, amount = 0.3, half_life = 1.5, every = 2.0, count = 3 }, \
                 { node = \"X\", at = 1.0, amount = 0.2, half_life = 4.0 }]";
    let added = text
        .split("name = \"dosed + what-if\"")
        .nth(1)
        .expect("the new intervention");
    assert!(added.contains(doses), "{added}");
    // The saved file runs the same doses: X moves as much under the copy as under the original.
    let saved = served.dir.path().join("saved.toml");
    std::fs::write(&saved, text).unwrap();
    let run = run_json(&saved, &["-n", "50"]);
    let x_change = |name: &str| outcome(&run, name, "X")["mean"].as_f64().unwrap();
    let (original, copy) = (x_change("dosed"), x_change("dosed + what-if"));
    assert!(original > 0.01, "the doses raise X");
    // Knocking out Y changes the integrator's steps, not X's course: equal to its tolerance.
    assert!((original - copy).abs() < 1e-6, "{original} vs {copy}");
}

/// The head of a response, up to the blank line.
fn read_head(reader: &mut impl BufRead) -> String {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            return head;
        }
        head.push_str(&line);
    }
}

/// One response with a Content-Length body from a kept-open connection.
fn read_response(reader: &mut impl BufRead) -> (String, String) {
    let head = read_head(reader);
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .map_or(0, |v| v.trim().parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (head, String::from_utf8(body).unwrap())
}

/// One chunk of a chunked body, as text.
fn read_chunk(reader: &mut impl BufRead) -> String {
    let mut size = String::new();
    reader.read_line(&mut size).unwrap();
    let size = usize::from_str_radix(size.trim(), 16).unwrap();
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk).unwrap();
    chunk.truncate(size);
    String::from_utf8(chunk).unwrap()
}

#[test]
fn a_connection_is_kept_open_for_more_requests_within_bounds() {
    let served = serve(&["--workers", "1"]);
    let stream = TcpStream::connect(&served.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let bound = 100; // MAX_REQUESTS_PER_CONNECTION
    for k in 1..=bound {
        write!(writer, "GET /api/scenarios HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let (head, body) = read_response(&mut reader);
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(body.contains("lesson/chain"), "{body}");
        let kept = head.contains("Connection: keep-alive\r\nKeep-Alive: timeout=5");
        assert_eq!(kept, k < bound, "request {k}: {head}");
    }
    assert_eq!(
        reader.read(&mut [0u8; 1]).unwrap(),
        0,
        "closed after the last"
    );
    // An idle kept-open connection gives way: with one worker, a second client is answered at
    // once (not after the 5 s idle timeout), and the idle connection is closed.
    let idle = TcpStream::connect(&served.address).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut idle_reader = BufReader::new(idle.try_clone().unwrap());
    write!(&idle, "GET /app.css HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (head, _) = read_response(&mut idle_reader);
    assert!(head.contains("Connection: keep-alive"), "{head}");
    let started = Instant::now();
    assert_eq!(served.request("GET", "/api/scenarios", "").0, 200);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(2),
        "waited {waited:?} behind an idle connection"
    );
    assert_eq!(
        idle_reader.read(&mut [0u8; 1]).unwrap(),
        0,
        "the idle one is closed"
    );
}

#[test]
fn an_ode_run_reports_progress_and_stops_soon_after_its_client_leaves() {
    let served = serve(&["--workers", "1", "--max-samples", "1000000"]);
    let stream = TcpStream::connect(&served.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = r#"{"samples": 1000000, "progress": true}"#;
    write!(
        &stream,
        "POST /api/run/lesson/dosed HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let head = read_head(&mut reader);
    assert!(head.contains("Transfer-Encoding: chunked"), "{head}");
    let mut fractions: Vec<f64> = Vec::new();
    // Until the share done has risen; each line comes within the 30 s read timeout or fails.
    while fractions.len() < 2 || fractions.last() == fractions.first() {
        let line = read_chunk(&mut reader);
        let event: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert!(
            event.get("progress").is_some(),
            "not a progress line: {line}"
        );
        assert_eq!(event["progress"]["samples"], 1_000_000, "{line}");
        fractions.push(event["fraction"].as_f64().unwrap());
    }
    assert!(fractions.windows(2).all(|w| w[0] <= w[1]), "{fractions:?}");
    assert!(*fractions.last().unwrap() < 0.5, "{fractions:?}");
    // Closing the connection cancels the run; the server's one run slot comes back soon.
    drop(reader);
    drop(stream);
    let left = Instant::now();
    loop {
        let (status, answer) =
            served.request("POST", "/api/run/lesson/dosed", r#"{"samples": 20}"#);
        if status == 200 {
            break;
        }
        assert_eq!(status, 503, "{answer}");
        assert!(answer.contains("every run slot is taken"), "{answer}");
        let waited = left.elapsed();
        assert!(
            waited < Duration::from_secs(1),
            "the run still holds its slot after {waited:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    eprintln!("slot back {:?} after the client left", left.elapsed());
}
