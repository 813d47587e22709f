//! Probabilities as people read them: three decimals, but never a rounded 1.000 or 0.000 for a
//! value that is not exactly 1 or 0 (a Wilson bound of 0.9996 is not certainty).

/// A probability with three decimals; a value that would round to 1.000 or 0.000 without being
/// exactly 1 or 0 is written "> 0.999" or "< 0.001".
pub fn probability(p: f64) -> String {
    if !p.is_finite() {
        return "n/a".to_string();
    }
    if p > 0.9995 && p < 1.0 {
        "> 0.999".to_string()
    } else if p < 0.0005 && p > 0.0 {
        "< 0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// An interval `[lo, hi]`: each bound with three decimals, or with as many more (up to six) as
/// it takes not to round a bound that is not exactly 0 or 1 onto 0 or 1.
pub fn interval([lo, hi]: [f64; 2]) -> String {
    format!("[{}, {}]", bound(lo), bound(hi))
}

fn bound(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    for decimals in 3..=6 {
        let text = format!("{x:.decimals$}");
        let rounded: f64 = text.parse().unwrap_or(x);
        let collapsed = (rounded == 1.0 && x < 1.0) || (rounded == 0.0 && x > 0.0);
        if !collapsed {
            return text;
        }
    }
    if x < 0.5 {
        "< 0.000001".to_string()
    } else {
        "> 0.999999".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_near_one_keep_their_digits() {
        assert_eq!(interval([0.99962, 1.0]), "[0.9996, 1.000]");
        assert_eq!(interval([0.0, 0.00038]), "[0.000, 0.0004]");
        assert_eq!(interval([0.25, 0.5]), "[0.250, 0.500]");
    }

    #[test]
    fn probabilities_near_certainty_say_so() {
        assert_eq!(probability(1.0), "1.000");
        assert_eq!(probability(0.9997), "> 0.999");
        assert_eq!(probability(0.0002), "< 0.001");
        assert_eq!(probability(0.5), "0.500");
    }
}
