//! The `[simulation]` table: method, sample counts, solver settings and their ranges.

use super::*;

impl Checker<'_> {
    // ---- simulation ----------------------------------------------------------------------

    pub(super) fn simulation(&mut self, raw: Option<&RawSimulation>) -> Simulation {
        let mut sim = Simulation::default();
        let Some(raw) = raw else { return sim };
        if let Some(m) = &raw.method {
            match Method::parse(m.get_ref()) {
                Some(method) => sim.method = method,
                None => self.error(
                    m.span(),
                    format!("unknown method \"{}\"", m.get_ref()),
                    "use method = \"press\", \"ode\", \"fcm\" or \"all\"",
                ),
            }
        }
        sim.samples = self
            .positive_count(raw.samples.as_ref(), "samples", MAX_SAMPLES)
            .unwrap_or(sim.samples);
        sim.max_draws = self
            .positive_count(raw.max_draws.as_ref(), "max_draws", MAX_DRAWS)
            .unwrap_or_else(|| default_max_draws(sim.samples));
        if let Some(seed) = &raw.seed {
            match u64::try_from(*seed.get_ref()) {
                Ok(s) => sim.seed = s,
                Err(_) => self.error(
                    seed.span(),
                    "seed must be a whole number >= 0",
                    "use e.g. seed = 1",
                ),
            }
        }
        if let Some(d) = raw
            .max_draws
            .as_ref()
            .filter(|_| sim.max_draws < sim.samples)
        {
            self.error(d.span(), format!("max_draws ({}) is below samples ({})", sim.max_draws, sim.samples), "max_draws caps the draws made to reach `samples` accepted ones: set it at least as large");
        }
        self.simulation_choices(raw, &mut sim);
        self.simulation_numbers(raw, &mut sim);
        sim
    }

    pub(super) fn simulation_choices(&mut self, raw: &RawSimulation, sim: &mut Simulation) {
        if let Some(s) = &raw.self_limitation {
            match s.get_ref().as_str() {
                "all" => sim.self_limitation = SelfLimitation::All,
                "explicit" => sim.self_limitation = SelfLimitation::Explicit,
                other => self.error(
                    s.span(),
                    format!("unknown self_limitation \"{other}\""),
                    "use \"all\" (every node self-damped) or \"explicit\" (only self-links)",
                ),
            }
        }
        if let Some(r) = &raw.fcm_rule {
            match r.get_ref().as_str() {
                "kosko" => sim.fcm_rule = FcmRule::Kosko,
                "modified-kosko" => sim.fcm_rule = FcmRule::ModifiedKosko,
                "rescaled" => sim.fcm_rule = FcmRule::Rescaled,
                other => self.error(
                    r.span(),
                    format!("unknown fcm_rule \"{other}\""),
                    "use \"kosko\", \"modified-kosko\" or \"rescaled\"",
                ),
            }
        }
        if let Some(t) = &raw.fcm_transfer {
            match t.get_ref().as_str() {
                "sigmoid" => sim.fcm_transfer = FcmTransfer::Sigmoid,
                "tanh" => sim.fcm_transfer = FcmTransfer::Tanh,
                other => self.error(
                    t.span(),
                    format!("unknown fcm_transfer \"{other}\""),
                    "use \"sigmoid\" or \"tanh\"",
                ),
            }
        }
        if let Some(unit) = &raw.time_unit {
            sim.time_unit = unit.clone();
        }
    }

    pub(super) fn simulation_numbers(&mut self, raw: &RawSimulation, sim: &mut Simulation) {
        if let Some(s) = &raw.support {
            let v = *s.get_ref();
            if v > 0.5 && v <= 1.0 {
                sim.support = v;
            } else {
                self.error(
                    s.span(),
                    format!("support = {v} must be above 0.5 and at most 1"),
                    "support is the probability a direction needs to count as supported, e.g. 0.8",
                );
            }
        }
        if let Some(w) = &raw.weight {
            sim.weight = self.dist(w, "weight", (0.0, f64::INFINITY));
        }
        if let Some(t) = &raw.t_end {
            let v = *t.get_ref();
            if v.is_finite() && v > 0.0 {
                sim.t_end = v;
            } else {
                self.error(
                    t.span(),
                    format!("t_end = {v} must be a positive time"),
                    "use e.g. t_end = 30.0",
                );
            }
        }
        if let Some(l) = &raw.fcm_lambda {
            let v = *l.get_ref();
            if v.is_finite() && v > 0.0 {
                sim.fcm_lambda = v;
            } else {
                self.error(
                    l.span(),
                    format!("fcm_lambda = {v} must be positive"),
                    "use e.g. fcm_lambda = 1.0",
                );
            }
        }
    }

    pub(super) fn positive_count(
        &mut self,
        value: Option<&Spanned<i64>>,
        key: &str,
        max: u64,
    ) -> Option<u64> {
        let value = value?;
        match u64::try_from(*value.get_ref()) {
            Ok(v) if v > max => {
                self.error(
                    value.span(),
                    format!("{key} = {v} is more than the {max} a run may ask for"),
                    format!("use {key} = {max} or less, and split bigger jobs into several runs"),
                );
                None
            }
            Ok(v) if v > 0 => Some(v),
            _ => {
                self.error(
                    value.span(),
                    format!("{key} must be a whole number above 0"),
                    format!("use e.g. {key} = 10000"),
                );
                None
            }
        }
    }
}
