//! BG/NBD rows laid out for the many likelihood (and gradient) evaluations of a fit.
//!
//! A fit evaluates the likelihood tens to hundreds of times on the same rows. Each row's recency and
//! age are replaced by indices into the rows' distinct times (a store's whole-week rows have a
//! few hundred), so an evaluation takes ln(α + t) once per distinct time instead of twice per
//! row, and the per-row cost falls to one exp and one log, for the value and its gradient.
//! Rows stay in `compress` order (sorted by `x`), so each chunk of a parallel sum computes its
//! Γ and digamma terms once per run of equal `x`.

use super::BgNbd;
use crate::Rfm;
use crate::parallel::sum_chunks;
use crate::special::{digamma, ln_gamma};

#[derive(Debug, Clone, Copy)]
struct Row {
    x: u32,
    t_x: u32,
    age: u32,
    weight: f64,
}

/// Rows with their times as indices into `times`.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    times: Vec<f64>,
    rows: Vec<Row>,
}

impl Prepared {
    pub(crate) fn new(data: &[Rfm]) -> Prepared {
        let mut times: Vec<f64> = data.iter().flat_map(|r| [r.t_x, r.age]).collect();
        times.sort_unstable_by(f64::total_cmp);
        times.dedup_by(|l, r| l.to_bits() == r.to_bits());
        let index = |t: f64| {
            // Present by construction; the fallback keeps a NaN row (refused by `fit`, but
            // `log_likelihood` is public) from panicking.
            times
                .binary_search_by(|probe| probe.total_cmp(&t))
                .unwrap_or(0) as u32
        };
        let rows = data
            .iter()
            .map(|r| Row {
                x: r.x,
                t_x: index(r.t_x),
                age: index(r.age),
                weight: r.weight,
            })
            .collect();
        Prepared { times, rows }
    }
}

impl BgNbd {
    /// [`BgNbd::log_likelihood`] on prepared rows.
    pub(crate) fn log_likelihood_prepared(&self, data: &Prepared) -> f64 {
        self.evaluate(data)[0]
    }

    /// The log-likelihood and its gradient with respect to (ln r, ln α, ln a, ln b), for
    /// [`crate::optimize::bfgs`].
    pub(crate) fn log_likelihood_and_gradient(&self, data: &Prepared) -> (f64, [f64; 4]) {
        let [ll, dr, dalpha, da, db] = self.evaluate(data);
        (
            ll,
            [dr * self.r, dalpha * self.alpha, da * self.a, db * self.b],
        )
    }

    /// [LL, ∂LL/∂r, ∂LL/∂α, ∂LL/∂a, ∂LL/∂b]: one body, so the value the optimiser descends
    /// and the value the fit reports cannot drift apart.
    ///
    /// Per row, with w₁ = e^A1 / (e^A1 + e^A2) and w₂ = 1 − w₁ (w₂ = 0 for x = 0):
    /// ∂mix/∂r = −w₁ ln(α+T) − w₂ ln(α+t_x), ∂mix/∂α = −(r+x) (w₁/(α+T) + w₂/(α+t_x)),
    /// ∂mix/∂a = w₂/a, ∂mix/∂b = −w₂/(b+x−1); the Γ terms differentiate to digammas per `x`.
    fn evaluate(&self, data: &Prepared) -> [f64; 5] {
        let BgNbd { r, alpha, a, b } = *self;
        let ln_a = a.ln();
        let base = -ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) - ln_gamma(b);
        let d_base = [
            -digamma(r) + alpha.ln(),
            r / alpha,
            digamma(a + b),
            digamma(a + b) - digamma(b),
        ];
        let ln_t: Vec<f64> = data.times.iter().map(|t| (alpha + t).ln()).collect();
        let inv_t: Vec<f64> = data.times.iter().map(|t| 1.0 / (alpha + t)).collect();
        sum_chunks(&data.rows, |rows| {
            let mut cached_x = u32::MAX;
            let (mut gamma_terms, mut ln_odds, mut rx, mut inv_bx1) = (0.0, 0.0, 0.0, 0.0);
            let mut d_gamma = [0.0; 4];
            let mut sum = [0.0; 5];
            for row in rows {
                if row.x != cached_x {
                    cached_x = row.x;
                    let x = row.x as f64;
                    gamma_terms = base + ln_gamma(r + x) + ln_gamma(b + x) - ln_gamma(a + b + x);
                    ln_odds = ln_a - (b + x - 1.0).ln();
                    rx = r + x;
                    // Only repeat buyers have the dropout term; for x = 0 and b = 1 this would
                    // be 1/0, and 0·∞ a NaN gradient.
                    inv_bx1 = if row.x > 0 { 1.0 / (b + x - 1.0) } else { 0.0 };
                    let psi_abx = digamma(a + b + x);
                    d_gamma = [
                        d_base[0] + digamma(r + x),
                        d_base[1],
                        d_base[2] - psi_abx,
                        d_base[3] + digamma(b + x) - psi_abx,
                    ];
                }
                let (age, t_x) = (row.age as usize, row.t_x as usize);
                let a1 = -rx * ln_t[age];
                let (mix, w1, w2) = if row.x > 0 {
                    let a2 = ln_odds - rx * ln_t[t_x];
                    // One exp serves both the log-sum and the weights.
                    let (hi, e, hi_is_a1) = if a1 >= a2 {
                        (a1, (a2 - a1).exp(), true)
                    } else {
                        (a2, (a1 - a2).exp(), false)
                    };
                    let (w_hi, w_lo) = (1.0 / (1.0 + e), e / (1.0 + e));
                    let (w1, w2) = if hi_is_a1 { (w_hi, w_lo) } else { (w_lo, w_hi) };
                    (hi + e.ln_1p(), w1, w2)
                } else {
                    (a1, 1.0, 0.0)
                };
                let w = row.weight;
                sum[0] += w * (gamma_terms + mix);
                sum[1] += w * (d_gamma[0] - w1 * ln_t[age] - w2 * ln_t[t_x]);
                sum[2] += w * (d_gamma[1] - rx * (w1 * inv_t[age] + w2 * inv_t[t_x]));
                sum[3] += w * (d_gamma[2] + w2 / a);
                sum[4] += w * (d_gamma[3] - w2 * inv_bx1);
            }
            sum
        })
    }
}
