//! The scenario file as written: TOML deserialised into plain structs that keep the position of
//! every value, so validation can point at the exact place of a problem.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A number or a distribution string (`0.8` or `"uniform(0.3, 1)"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum NumberOrText {
    Number(f64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub title: Option<String>,
    pub description: Option<String>,
    pub cancer: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub network: Option<Spanned<String>>,
    #[serde(default)]
    pub link: Vec<RawLink>,
    #[serde(default)]
    pub nodes: BTreeMap<Spanned<String>, RawNode>,
    #[serde(default)]
    pub intervention: Vec<RawIntervention>,
    #[serde(default)]
    pub expect: Vec<RawExpect>,
    pub simulation: Option<RawSimulation>,
    /// Evidence rules by model system (`in-vitro`, `animal`, `clinical`, `review`).
    #[serde(default)]
    pub evidence: BTreeMap<Spanned<String>, RawEvidenceRule>,
    /// Claims embedded in the file (a self-contained copy), in the catalogue's fields.
    #[serde(default)]
    pub claim: Vec<super::catalogue::RawClaim>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvidenceRule {
    pub weight: Option<Spanned<NumberOrText>>,
    pub present: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub link: Spanned<String>,
    pub weight: Option<Spanned<NumberOrText>>,
    pub present: Option<Spanned<f64>>,
    pub group: Option<Spanned<String>>,
    pub n: Option<Spanned<NumberOrText>>,
    pub ec50: Option<Spanned<NumberOrText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub label: Option<String>,
    pub self_limited: Option<bool>,
    pub input: Option<Spanned<f64>>,
    pub tau: Option<Spanned<NumberOrText>>,
    pub ymax: Option<Spanned<NumberOrText>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntervention {
    pub name: Spanned<String>,
    #[serde(default)]
    pub press: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    pub knockout: Vec<Spanned<String>>,
    #[serde(default)]
    pub block: Vec<Spanned<String>>,
    #[serde(default)]
    pub doses: Vec<Spanned<RawDose>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDose {
    pub node: Spanned<String>,
    #[serde(default)]
    pub at: f64,
    pub amount: f64,
    pub half_life: f64,
    pub every: Option<f64>,
    pub count: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    pub intervention: Spanned<String>,
    pub versus: Option<Spanned<String>>,
    pub node: Spanned<String>,
    pub change: Spanned<String>,
    #[serde(default)]
    pub claims: Vec<Spanned<String>>,
    #[serde(default)]
    pub condition: bool,
    /// Not stated by the seeds (a combination, an unreported knockout, an extrapolation).
    #[serde(default)]
    pub what_if: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub method: Option<Spanned<String>>,
    pub samples: Option<Spanned<i64>>,
    pub seed: Option<Spanned<i64>>,
    pub self_limitation: Option<Spanned<String>>,
    pub max_draws: Option<Spanned<i64>>,
    pub support: Option<Spanned<f64>>,
    pub weight: Option<Spanned<NumberOrText>>,
    pub t_end: Option<Spanned<f64>>,
    pub time_unit: Option<String>,
    pub fcm_rule: Option<Spanned<String>>,
    pub fcm_transfer: Option<Spanned<String>>,
    pub fcm_lambda: Option<Spanned<f64>>,
}
