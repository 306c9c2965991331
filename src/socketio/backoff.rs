//! Reconnection delays: exponential backoff with jitter, as socket.io-client computes them, with the
//! randomness injected.

use crate::float;
use crate::rng::Rng;

/// Backoff state: the delay before attempt `n` is `min(jitter(base * 2^n), max)`.
#[derive(Debug, Clone)]
pub struct Backoff {
    /// `reconnectionDelay`, in ms.
    pub base: f64,
    /// `reconnectionDelayMax`, in ms.
    pub max: f64,
    /// `randomizationFactor`, in `[0, 1]`.
    pub jitter: f64,
    /// Attempts made since the last reset.
    pub attempts: u32,
}

impl Backoff {
    /// The delay before the next attempt; counts the attempt.
    pub fn duration(&mut self, rng: &mut Rng) -> u64 {
        let mut ms = self.base * float::pow2(self.attempts.min(1000));
        self.attempts += 1;
        if self.jitter > 0.0 {
            let rand = rng.next_f64();
            let deviation = float::floor(rand * self.jitter * ms);
            // socket.io-client picks the sign from the same draw: even tenth digit -> minus.
            ms = if (float::floor(rand * 10.0) as u64) & 1 == 0 { ms - deviation } else { ms + deviation };
        }
        let ms = ms.min(self.max);
        // `| 0` in JS: truncation to a 32-bit integer.
        if ms.is_finite() && ms > 0.0 {
            (ms as u64).min(i32::MAX as u64)
        } else {
            0
        }
    }

    /// Forgets the attempts (after a successful connection).
    pub fn reset(&mut self) {
        self.attempts = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backoff(jitter: f64) -> Backoff {
        Backoff { base: 1000.0, max: 5000.0, jitter, attempts: 0 }
    }

    #[test]
    fn without_jitter_doubles_up_to_the_max() {
        let mut rng = Rng::new(1);
        let mut b = backoff(0.0);
        let delays: Vec<u64> = (0..6).map(|_| b.duration(&mut rng)).collect();
        assert_eq!(delays, vec![1000, 2000, 4000, 5000, 5000, 5000]);
        b.reset();
        assert_eq!(b.duration(&mut rng), 1000);
    }

    #[test]
    fn jitter_stays_within_the_factor_and_is_reproducible() {
        let run = |seed| {
            let mut rng = Rng::new(seed);
            let mut b = backoff(0.5);
            (0..5).map(|_| b.duration(&mut rng)).collect::<Vec<_>>()
        };
        let delays = run(42);
        assert_eq!(delays, run(42), "same seed, same sequence");
        for (n, delay) in delays.iter().enumerate() {
            let nominal = 1000.0 * 2f64.powi(n as i32);
            assert!(*delay as f64 >= (nominal * 0.5).min(5000.0) && *delay as f64 <= (nominal * 1.5).min(5000.0), "{n}: {delay}");
        }
    }
}
