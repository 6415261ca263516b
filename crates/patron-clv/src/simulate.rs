//! Deterministic simulation of the models' own generative processes, with the small PRNG and samplers it needs.
//!
//! For parameter-recovery tests and benches: data drawn exactly as BG/NBD and Gamma-Gamma say
//! customers behave, from an explicit seed, with no dependency on a rand crate whose stream
//! could change under us.

use crate::{BgNbd, GammaGamma, Rfm};

/// xoshiro256** (Blackman & Vigna), seeded through splitmix64 so that any u64 seed, even 0,
/// gives a well-mixed state.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        Rng {
            s: [
                splitmix64(&mut sm),
                splitmix64(&mut sm),
                splitmix64(&mut sm),
                splitmix64(&mut sm),
            ],
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform on the open interval (0, 1): the midpoint of one of 2^53 cells, so `ln` of it
    /// is always finite.
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal by the Marsaglia polar method.
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * s.ln() / s).sqrt();
            }
        }
    }

    /// Exponential with the given rate (mean 1/rate).
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -self.uniform().ln() / rate
    }

    /// Gamma(shape, rate) by Marsaglia & Tsang (2000); shape < 1 via the boost
    /// Gamma(k) = Gamma(k+1) · U^(1/k), since the squeeze needs shape ≥ 1.
    pub fn gamma(&mut self, shape: f64, rate: f64) -> f64 {
        if shape < 1.0 {
            return self.gamma(shape + 1.0, rate) * self.uniform().powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform();
            if u < 1.0 - 0.0331 * x.powi(4) || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
                return d * v / rate;
            }
        }
    }

    /// Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b).
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        loop {
            let x = self.gamma(a, 1.0);
            let y = self.gamma(b, 1.0);
            // Both can underflow to 0 for tiny shapes; 0/0 would be NaN.
            if x + y > 0.0 {
                return x / (x + y);
            }
        }
    }

    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }
}

/// One customer drawn from BG/NBD, summarised over their first `age` weeks, plus how many
/// purchases they then make in the following `holdout` weeks.
fn bgnbd_customer(params: &BgNbd, age: f64, holdout: f64, rng: &mut Rng) -> (Rfm, u32) {
    let lambda = rng.gamma(params.r, params.alpha);
    let p = rng.beta(params.a, params.b);
    let (mut x, mut t_x, mut t, mut later) = (0u32, 0.0, 0.0, 0u32);
    loop {
        t += rng.exponential(lambda);
        if t > age + holdout {
            break;
        }
        if t > age {
            later += 1;
        } else {
            x += 1;
            t_x = t;
        }
        // Dropout happens only right after a repeat purchase, never at the first one.
        if rng.bernoulli(p) {
            break;
        }
    }
    (Rfm::new(x, t_x, age), later)
}

/// `n_customers` customers all observed for `age_weeks` (T), by BG/NBD's generative process:
/// λ ~ Gamma(r, α), p ~ Beta(a, b), Poisson purchases at rate λ, dropout with probability p
/// after each repeat purchase. Returns one (x, t_x, T) row per customer, weight 1.
pub fn bgnbd(params: &BgNbd, n_customers: usize, age_weeks: f64, seed: u64) -> Vec<Rfm> {
    let mut rng = Rng::new(seed);
    (0..n_customers)
        .map(|_| bgnbd_customer(params, age_weeks, 0.0, &mut rng).0)
        .collect()
}

/// As [`bgnbd`], and each customer's purchase count in the `holdout_weeks` after `age_weeks`:
/// the calibration/holdout split the paper validates eq. 10 with.
pub fn bgnbd_with_holdout(
    params: &BgNbd,
    n_customers: usize,
    age_weeks: f64,
    holdout_weeks: f64,
    seed: u64,
) -> Vec<(Rfm, u32)> {
    let mut rng = Rng::new(seed);
    (0..n_customers)
        .map(|_| bgnbd_customer(params, age_weeks, holdout_weeks, &mut rng))
        .collect()
}

/// As [`bgnbd`], with ages uniform on [`min_age`, `max_age`] weeks: a cohort acquired over a
/// window, as CDNOW's (first purchases over 12 weeks, observed to week 39).
pub fn bgnbd_cohort(
    params: &BgNbd,
    n_customers: usize,
    min_age: f64,
    max_age: f64,
    seed: u64,
) -> Vec<Rfm> {
    let mut rng = Rng::new(seed);
    (0..n_customers)
        .map(|_| {
            let age = min_age + (max_age - min_age) * rng.uniform();
            bgnbd_customer(params, age, 0.0, &mut rng).0
        })
        .collect()
}

/// Mean spend per customer for the given repeat-transaction counts, by Gamma-Gamma's process:
/// ν ~ Gamma(q, γ) per customer, each transaction's value ~ Gamma(p, ν). Entries with x = 0
/// get NaN (no repeat transaction to average).
pub fn gamma_gamma(params: &GammaGamma, x: &[u32], seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    x.iter()
        .map(|&n| {
            let nu = rng.gamma(params.q, params.gamma);
            if n == 0 {
                return f64::NAN;
            }
            let total: f64 = (0..n).map(|_| rng.gamma(params.p, nu)).sum();
            total / n as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        (
            m,
            xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0),
        )
    }

    #[test]
    fn xoshiro_reference_stream() {
        // Reference: xoshiro256** from state {1, 2, 3, 4} starts 11520, 0, 1509978240,
        // 1215971899390074240 (Vigna's reference implementation).
        let mut rng = Rng { s: [1, 2, 3, 4] };
        let got: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
        assert_eq!(got, [11520, 0, 1509978240, 1215971899390074240]);
    }

    #[test]
    fn samplers_have_the_right_moments() {
        let mut rng = Rng::new(7);
        let n = 200_000;
        for (shape, rate) in [(0.24, 4.41), (3.74, 15.44), (6.25, 1.0)] {
            let xs: Vec<f64> = (0..n).map(|_| rng.gamma(shape, rate)).collect();
            let (m, v) = mean_var(&xs);
            let (want_m, want_v) = (shape / rate, shape / (rate * rate));
            assert!(
                (m / want_m - 1.0).abs() < 0.02,
                "gamma({shape},{rate}) mean {m} vs {want_m}"
            );
            assert!(
                (v / want_v - 1.0).abs() < 0.05,
                "gamma({shape},{rate}) var {v} vs {want_v}"
            );
        }
        let (a, b) = (0.79, 2.43);
        let xs: Vec<f64> = (0..n).map(|_| rng.beta(a, b)).collect();
        let (m, v) = mean_var(&xs);
        let want_v = a * b / ((a + b).powi(2) * (a + b + 1.0));
        assert!((m / (a / (a + b)) - 1.0).abs() < 0.01, "beta mean {m}");
        assert!((v / want_v - 1.0).abs() < 0.03, "beta var {v}");
        let xs: Vec<f64> = (0..n).map(|_| rng.exponential(2.0)).collect();
        assert!((mean_var(&xs).0 - 0.5).abs() < 0.01);
    }

    #[test]
    fn simulated_counts_match_the_model_expectation() {
        // E[X(T)] for a fixed T is the model's eq. 9; the simulation must agree with it.
        let params = BgNbd {
            r: 0.24,
            alpha: 4.41,
            a: 0.79,
            b: 2.43,
        };
        let rows = bgnbd(&params, 100_000, 39.0, 11);
        let mean_x = rows.iter().map(|r| r.x as f64).sum::<f64>() / rows.len() as f64;
        let want = params.expected_purchases_new(39.0);
        assert!((mean_x / want - 1.0).abs() < 0.03, "{mean_x} vs {want}");
        assert!(
            rows.iter()
                .all(|r| r.t_x <= r.age && (r.x > 0 || r.t_x == 0.0))
        );
        assert_eq!(bgnbd(&params, 10, 39.0, 5), bgnbd(&params, 10, 39.0, 5));
    }

    #[test]
    fn simulated_spend_matches_the_population_mean() {
        let params = GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let spends = gamma_gamma(&params, &vec![1; 100_000], 3);
        let (m, _) = mean_var(&spends);
        let want = params.population_mean().unwrap();
        assert!((m / want - 1.0).abs() < 0.02, "{m} vs {want}");
        assert!(gamma_gamma(&params, &[0], 1)[0].is_nan());
    }
}
