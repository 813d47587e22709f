//! The press method against hand-computed cases and independent calculations.

use crate::util::{data, outcome, run_json};

/// Asserts a probability field of a node's outcome.
fn assert_p(json: &serde_json::Value, intervention: &str, node: &str, field: &str, expected: f64) {
    let got = outcome(json, intervention, node)[field].as_f64().unwrap();
    assert!(
        (got - expected).abs() < 1e-12,
        "{intervention}/{node}/{field}: {got} != {expected}"
    );
}

/// W = [[-a, -b], [c, -d]]: stable for all positive a..d, and -W^-1 gives
/// press A: (d, c)/det, both up; press B: (-b, a)/det, A down and B up. Every link present
/// (the hand calculation has no uncertain links), so the evidence rules are off.
#[test]
fn two_node_feedback_matches_the_hand_calculation() {
    let json = run_json(&data("predator-prey.toml"), &["--no-evidence"]);
    assert_eq!(
        json["acceptance"]["draws"], json["acceptance"]["accepted"],
        "every draw is stable"
    );
    assert_p(&json, "press A", "A", "p_up", 1.0);
    assert_p(&json, "press A", "B", "p_up", 1.0);
    assert_p(&json, "press B", "A", "p_down", 1.0);
    assert_p(&json, "press B", "B", "p_up", 1.0);
    assert_eq!(json["expectations"][0]["verdict"], "supported");
    assert_eq!(json["expectations"][0]["probability"], 1.0);
}

/// A -> B -> C -| A with self-damping a, c, g and links b, e, f. Solving W x = -s by hand:
/// press A gives x_A = 1 / (a + f b e / (c g)) > 0 and x_B, x_C > 0; press C gives x_C > 0 and
/// x_A, x_B < 0. D is unreachable from either press, so it never changes.
#[test]
fn three_node_loop_matches_the_hand_calculation() {
    let json = run_json(&data("loop3.toml"), &[]);
    for node in ["A", "B", "C"] {
        assert_p(&json, "press A", node, "p_up", 1.0);
    }
    assert_p(&json, "press C", "C", "p_up", 1.0);
    assert_p(&json, "press C", "A", "p_down", 1.0);
    assert_p(&json, "press C", "B", "p_down", 1.0);
    assert_p(&json, "press A", "D", "p_zero", 1.0);
    assert_eq!(outcome(&json, "press A", "D")["mean"], 0.0);
}

/// The loop's characteristic polynomial is (l+a)(l+c)(l+g) + f b e; Routh-Hurwitz says it is
/// stable exactly when (a+c+g)(ac+ag+cg) > acg + fbe. D only adds a stable eigenvalue -d.
/// The stable fraction estimated directly from that inequality must match the tool's.
#[test]
fn stable_fraction_matches_a_direct_calculation() {
    let json = run_json(&data("loop3.toml"), &[]);
    let draws = json["acceptance"]["draws"].as_f64().unwrap();
    let stable = json["acceptance"]["stable"].as_f64().unwrap();
    let tool = stable / draws;

    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut uniform = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let trials = 2_000_000;
    let stable_direct = (0..trials)
        .filter(|_| {
            let (a, c, g, b, e, f) = (
                uniform(),
                uniform(),
                uniform(),
                uniform(),
                uniform(),
                uniform(),
            );
            (a + c + g) * (a * c + a * g + c * g) > a * c * g + f * b * e
        })
        .count() as f64
        / trials as f64;
    // Binomial standard error of the tool's estimate; 5 sigma keeps the test from flaking.
    let sigma = (stable_direct * (1.0 - stable_direct) / draws).sqrt();
    assert!(
        stable_direct > 0.5 && stable_direct < 1.0,
        "the loop is not always stable: {stable_direct}"
    );
    assert!(
        (tool - stable_direct).abs() < 5.0 * sigma + 1e-3,
        "tool {tool} vs direct {stable_direct}"
    );
}

#[test]
fn structural_interventions_and_comparisons() {
    let json = run_json(&data("mixed.toml"), &[]);
    // Knocking out the target removes its effect: the clamped node itself goes down.
    assert_p(&json, "drug, target knocked out", "target", "p_down", 1.0);
    // With survival -> growth blocked, growth hears the drug only through the gate's negated
    // input (target -| growth): the drug raises the target, so growth goes down in every draw.
    assert_p(&json, "drug, link blocked", "growth", "p_down", 1.0);
    // Exosomes lower the drug, so survival is higher than under the drug alone.
    let e = &json["expectations"][0];
    assert_eq!(e["versus"], "drug");
    assert!(e["probability"].as_f64().unwrap() > 0.5, "{e}");
}

/// A network with nothing random: every weight fixed (`[simulation] weight = 1`, links 2), every
/// link present. With damping -1, the A-B loop is [[-1, 2], [2, -1]], eigenvalues 1 and -3:
/// unstable. The run must stop at once (not after a million identical draws) and name the loop;
/// the same network with weights 0.5 is stable and runs. Fails when fixed networks are sampled
/// (the old error was about acceptance and named no loop).
#[test]
fn a_fixed_unstable_network_fails_at_once_naming_its_loop() {
    let scenario = |weight: f64| {
        format!(
            "title = \"fixed\"\nnetwork = '''\nA -> B\nB -> A\nB -> C\n'''\n\n[simulation]\nweight = 1.0\nsamples = 1000000\nmax_draws = 100000000\n\n[[link]]\nlink = \"A -> B\"\nweight = {weight}\n\n[[link]]\nlink = \"B -> A\"\nweight = {weight}\n\n[[intervention]]\nname = \"press A\"\npress = {{ \"A\" = 1.0 }}\n"
        )
    };
    let (_dir, unstable) = crate::util::scenario_file(&scenario(2.0));
    let started = std::time::Instant::now();
    let output = crate::util::claimsim()
        .arg("run")
        .arg(&unstable)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("unstable with its fixed weights"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the feedback loop to blame: A, B"),
        "{stderr}"
    );
    assert!(stderr.contains("real part 1.0000"), "{stderr}");
    // A cap on a failing test, not a speed measurement: sampling 10^8 draws takes minutes.
    assert!(started.elapsed().as_secs() < 60);
    let (_dir2, stable) = crate::util::scenario_file(&scenario(0.5).replace("1000000", "100"));
    let json = run_json(&stable, &[]);
    assert_eq!(json["acceptance"]["accepted"], 100);
}
