//! Distribution strings (`uniform(0.3, 1)`, `normal(0.5, 0.1)`, `0.8`, ...) parsed into statrs
//! distributions, with their parameters checked when the file is read, not when sampled.

use rand::Rng;
use rand::RngExt;
use statrs::distribution::{Beta, LogNormal, Normal, Triangular, Uniform};
use std::fmt;

/// A parameter that is either fixed or drawn from a distribution in every sample.
#[derive(Debug, Clone)]
pub enum Dist {
    Fixed(f64),
    Uniform(Uniform),
    Normal(Normal),
    LogNormal(LogNormal),
    Beta(Beta),
    Triangular(Triangular),
}

/// The names accepted in distribution strings, for error messages.
pub const DISTRIBUTION_FORMS: &str = "a number, uniform(a, b), normal(mean, sd), lognormal(mu, sigma), beta(a, b) or \
     triangular(min, mode, max)";

/// Why a distribution string was rejected, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistError {
    pub message: String,
    pub help: String,
}

impl DistError {
    fn new(message: String, help: impl Into<String>) -> Self {
        DistError {
            message,
            help: help.into(),
        }
    }
}

impl Dist {
    /// Parses a distribution string.
    pub fn parse(text: &str) -> Result<Dist, DistError> {
        let text = text.trim();
        if let Ok(value) = text.parse::<f64>() {
            return Dist::fixed(value);
        }
        let (name, args) = split_call(text)?;
        let params = parse_args(text, args)?;
        build(&name.to_lowercase(), &params)
            .map_err(|message| DistError::new(format!("'{text}': {message}"), DISTRIBUTION_FORMS))
    }

    /// A fixed value, which must be finite.
    pub fn fixed(value: f64) -> Result<Dist, DistError> {
        if value.is_finite() {
            Ok(Dist::Fixed(value))
        } else {
            Err(DistError::new(
                format!("'{value}' is not a finite number"),
                DISTRIBUTION_FORMS,
            ))
        }
    }

    /// Draws one value.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform(d) => rng.sample(d),
            Dist::Normal(d) => rng.sample(d),
            Dist::LogNormal(d) => rng.sample(d),
            Dist::Beta(d) => rng.sample(d),
            Dist::Triangular(d) => rng.sample(d),
        }
    }

    /// The smallest and largest value the distribution can produce (infinite for unbounded ones).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::Fixed(v) => (*v, *v),
            Dist::Uniform(d) => (d.min(), d.max()),
            Dist::Normal(_) => (f64::NEG_INFINITY, f64::INFINITY),
            // Open at 0: a log-normal draw is never 0, so it is a valid positive parameter.
            Dist::LogNormal(_) => (f64::MIN_POSITIVE, f64::INFINITY),
            Dist::Beta(_) => (0.0, 1.0),
            Dist::Triangular(d) => (d.min(), d.max()),
        }
    }

    /// The value when fixed.
    pub fn as_fixed(&self) -> Option<f64> {
        match self {
            Dist::Fixed(v) => Some(*v),
            _ => None,
        }
    }

    /// For uniform distributions, the bounds: lets hot loops draw them without dispatch.
    pub fn as_uniform(&self) -> Option<(f64, f64)> {
        match self {
            Dist::Uniform(d) => Some((d.min(), d.max())),
            Dist::Fixed(v) => Some((*v, *v)),
            _ => None,
        }
    }
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use statrs::statistics::Distribution as _;
        match self {
            Dist::Fixed(v) => write!(f, "{v}"),
            Dist::Uniform(d) => write!(f, "uniform({}, {})", d.min(), d.max()),
            Dist::Normal(d) => write!(
                f,
                "normal({}, {})",
                d.mean().unwrap_or(f64::NAN),
                d.std_dev().unwrap_or(f64::NAN)
            ),
            Dist::LogNormal(d) => write!(f, "lognormal(median {})", d.median_value()),
            Dist::Beta(d) => write!(f, "beta({}, {})", d.shape_a(), d.shape_b()),
            Dist::Triangular(d) => write!(f, "triangular({}, .., {})", d.min(), d.max()),
        }
    }
}

/// Gives access to the median of a log-normal for display without pulling in more traits.
trait MedianValue {
    fn median_value(&self) -> f64;
}

impl MedianValue for LogNormal {
    fn median_value(&self) -> f64 {
        use statrs::statistics::Median as _;
        self.median()
    }
}

fn split_call(text: &str) -> Result<(&str, &str), DistError> {
    let open = text.find('(');
    let close = text.rfind(')');
    match (open, close) {
        (Some(o), Some(c)) if c == text.len() - 1 && o < c => {
            Ok((text[..o].trim(), &text[o + 1..c]))
        }
        _ => Err(DistError::new(
            format!("'{text}' is not a number or a distribution"),
            format!("write {DISTRIBUTION_FORMS}"),
        )),
    }
}

fn parse_args(text: &str, args: &str) -> Result<Vec<f64>, DistError> {
    args.split(',')
        .map(|a| {
            a.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    DistError::new(
                        format!("'{text}': parameter '{}' is not a finite number", a.trim()),
                        "give every parameter as a plain number, e.g. uniform(0.3, 1.0)",
                    )
                })
        })
        .collect()
}

fn build(name: &str, p: &[f64]) -> Result<Dist, String> {
    let expect = |k: usize, form: &str| -> Result<(), String> {
        if p.len() == k {
            Ok(())
        } else {
            Err(format!("{name} takes {k} parameters: {form}"))
        }
    };
    match name {
        "uniform" => {
            expect(2, "uniform(a, b) with a < b")?;
            Uniform::new(p[0], p[1])
                .map(Dist::Uniform)
                .map_err(|_| format!("uniform needs a < b, got a = {}, b = {}", p[0], p[1]))
        }
        "normal" => {
            expect(2, "normal(mean, sd) with sd > 0")?;
            Normal::new(p[0], p[1])
                .map(Dist::Normal)
                .map_err(|_| format!("normal needs sd > 0, got sd = {}", p[1]))
        }
        "lognormal" => {
            expect(2, "lognormal(mu, sigma) with sigma > 0")?;
            LogNormal::new(p[0], p[1])
                .map(Dist::LogNormal)
                .map_err(|_| format!("lognormal needs sigma > 0, got sigma = {}", p[1]))
        }
        "beta" => {
            expect(2, "beta(a, b) with a > 0 and b > 0")?;
            Beta::new(p[0], p[1])
                .map(Dist::Beta)
                .map_err(|_| format!("beta needs a > 0 and b > 0, got a = {}, b = {}", p[0], p[1]))
        }
        "triangular" => {
            expect(
                3,
                "triangular(min, mode, max) with min <= mode <= max and min < max",
            )?;
            Triangular::new(p[0], p[2], p[1])
                .map(Dist::Triangular)
                .map_err(|_| {
                    format!(
                        "triangular needs min <= mode <= max and min < max, got {}, {}, {}",
                        p[0], p[1], p[2]
                    )
                })
        }
        other => Err(format!("unknown distribution '{other}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    #[test]
    fn parses_every_form() {
        assert_eq!(Dist::parse("0.8").unwrap().as_fixed(), Some(0.8));
        assert_eq!(
            Dist::parse("uniform(0.3, 1)").unwrap().support(),
            (0.3, 1.0)
        );
        assert!(matches!(
            Dist::parse("normal(0.5, 0.1)").unwrap(),
            Dist::Normal(_)
        ));
        assert!(matches!(
            Dist::parse("lognormal(0, 0.5)").unwrap(),
            Dist::LogNormal(_)
        ));
        assert!(matches!(Dist::parse("Beta(2, 5)").unwrap(), Dist::Beta(_)));
        assert_eq!(
            Dist::parse("triangular(0, 0.2, 1)").unwrap().support(),
            (0.0, 1.0)
        );
    }

    #[test]
    fn rejects_bad_parameters_with_reasons() {
        let cases = [
            ("uniform(1, 0)", "a < b"),
            ("normal(0, -1)", "sd > 0"),
            ("beta(0, 1)", "a > 0"),
            ("triangular(0, 2, 1)", "min <= mode"),
            ("uniform(0)", "takes 2 parameters"),
            ("gamma(1, 2)", "unknown distribution"),
            ("uniform(a, 1)", "not a finite number"),
            ("lots", "not a number or a distribution"),
            ("inf", "not a finite number"),
        ];
        for (text, reason) in cases {
            let e = Dist::parse(text).expect_err(text);
            assert!(e.message.contains(reason), "{text}: {}", e.message);
        }
    }

    #[test]
    fn samples_stay_in_support() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let d = Dist::parse("triangular(0.2, 0.5, 0.9)").unwrap();
        for _ in 0..1000 {
            let x = d.sample(&mut rng);
            assert!((0.2..=0.9).contains(&x));
        }
    }
}
