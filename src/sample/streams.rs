//! One independent random stream per draw: the ChaCha8 key comes from the seed and the stream
//! number is the draw's index, so a draw's numbers do not depend on which thread runs it or on
//! what ran before it.

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

/// Hands out the random stream of any draw index for one seed.
#[derive(Clone)]
pub struct Streams {
    key: [u8; 32],
}

impl Streams {
    pub fn new(seed: u64) -> Self {
        Streams {
            key: ChaCha8Rng::seed_from_u64(seed).get_seed(),
        }
    }

    /// The generator for draw `index`, positioned at the start of its stream.
    pub fn for_draw(&self, index: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(index);
        rng
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn a_draw_gets_the_same_numbers_whatever_ran_before() {
        let streams = Streams::new(42);
        let first: f64 = streams.for_draw(7).random();
        let mut other = streams.for_draw(3);
        let _: f64 = other.random();
        assert_eq!(streams.for_draw(7).random::<f64>(), first);
        assert_ne!(streams.for_draw(8).random::<f64>(), first);
        assert_ne!(Streams::new(43).for_draw(7).random::<f64>(), first);
    }
}
