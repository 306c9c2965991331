//! The f64 rounding functions `core` lacks without std (they come from libm there), exact for every
//! finite input: a float of magnitude 2^52 or more is already an integer.

/// Magnitude from which every f64 is an integer.
const INTEGRAL: f64 = 4_503_599_627_370_496.0; // 2^52

/// Rounds toward zero.
pub fn trunc(x: f64) -> f64 {
    if x.is_nan() || x >= INTEGRAL || x <= -INTEGRAL {
        x
    } else {
        x as i64 as f64
    }
}

/// Rounds toward negative infinity.
pub fn floor(x: f64) -> f64 {
    let t = trunc(x);
    if t > x {
        t - 1.0
    } else {
        t
    }
}

/// 2 to the power `n`, for `n` from 0 to 1023.
pub fn pow2(n: u32) -> f64 {
    f64::from_bits((1023 + u64::from(n.min(1023))) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_matches_std() {
        for x in [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.7, -2.7, 1e15 + 0.5, -1e15 - 0.5, 9e15, -9e15, 1e300, f64::INFINITY, f64::NEG_INFINITY]
        {
            assert_eq!(trunc(x), x.trunc(), "trunc({x})");
            assert_eq!(floor(x), x.floor(), "floor({x})");
        }
        assert!(trunc(f64::NAN).is_nan() && floor(f64::NAN).is_nan());
        for n in [0, 1, 10, 52, 1000, 1023] {
            assert_eq!(pow2(n), 2f64.powi(n as i32));
        }
    }
}
