//! A small seeded random generator (xorshift64*): the core has no randomness of its own. The shell seeds
//! it from `Math.random()`, tests with a constant.

use crate::prelude::*;

/// The generator state.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Eight base-36 characters, for the `t=` cache-busting query parameter.
    pub fn token(&mut self) -> String {
        const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut bits = self.next_u64();
        (0..8)
            .map(|_| {
                let digit = DIGITS[(bits % 36) as usize];
                bits /= 36;
                char::from(digit)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_interval_and_tokens() {
        let mut rng = Rng::new(7);
        for _ in 0..10_000 {
            assert!((0.0..1.0).contains(&rng.next_f64()));
        }
        let token = rng.token();
        assert_eq!(token.len(), 8);
        assert!(token.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
        assert_ne!(token, rng.token());
        assert_eq!(Rng::new(3).token(), Rng::new(3).token(), "same seed, same token");
    }
}
