//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, as fitted by `lifetimes`): likelihood, fit, expected spend.
//!
//! "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", JMR 42(4). Each
//! transaction's value is Gamma(shape p, rate ν), and ν ~ Gamma(shape q, rate γ) across
//! customers, so a customer's mean spend shrinks towards the population mean γp/(q−1) the fewer
//! transactions they have. Repeat buyers only (x ≥ 1), mean spend net of refunds and positive.
//! The model assumes spend is independent of purchase frequency; check that correlation on the
//! data before trusting a combined CLV.

use crate::optimize::fit_log_params;
use crate::special::ln_gamma;
use crate::{FitError, FitResult, MIN_CUSTOMERS};

/// Gamma-Gamma parameters, all positive; `q > 1` for a finite mean spend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

/// One spend row: `x` repeat transactions (≥ 1) with mean value `m_x` (major units, net of
/// refunds, > 0), standing for `weight` identical customers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spend {
    pub x: u32,
    pub m_x: f64,
    pub weight: f64,
}

impl Spend {
    pub fn new(x: u32, m_x: f64) -> Self {
        Spend {
            x,
            m_x,
            weight: 1.0,
        }
    }
}

impl GammaGamma {
    /// Weighted log-likelihood of the mean spends, as lifetimes' GammaGammaFitter:
    /// LL_i = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m_x + px ln x − (px+q) ln(x m_x + γ).
    /// (The density of the mean m_x, hence the px ln x Jacobian term.)
    pub fn log_likelihood(&self, data: &[Spend]) -> f64 {
        let GammaGamma { p, q, gamma } = *self;
        let base = -ln_gamma(q) + q * gamma.ln();
        let mut cached_x = u32::MAX;
        let mut per_x = 0.0;
        let mut total = 0.0;
        for row in data {
            let px = p * row.x as f64;
            if row.x != cached_x {
                cached_x = row.x;
                per_x = base + ln_gamma(px + q) - ln_gamma(px) + px * (row.x as f64).ln();
            }
            let ll = per_x + (px - 1.0) * row.m_x.ln()
                - (px + q) * (row.x as f64 * row.m_x + gamma).ln();
            total += row.weight * ll;
        }
        total
    }

    /// Maximum-likelihood fit by Nelder-Mead on (ln p, ln q, ln γ), with the same optimiser
    /// settings as [`crate::BgNbd::fit`] (step 0.5, tolerances 1e-11 / 1e-7, 5,000 iterations
    /// per run, one restart). Start: p = 1, q = 2, γ = mean(m_x), whose population mean
    /// γp/(q−1) is the observed mean spend.
    ///
    /// Refuses fewer than [`MIN_CUSTOMERS`] = 50 customers (total weight; all are repeat
    /// buyers here, so the BG/NBD repeat-buyer floor is implied), invalid rows (x = 0, m_x ≤ 0
    /// or non-finite), a non-finite likelihood, and an optimum with q ≤ 1
    /// ([`FitError::InfiniteMeanSpend`]), which could value nobody.
    pub fn fit(data: &[Spend]) -> Result<FitResult<GammaGamma>, FitError> {
        let mut customers = 0.0;
        let mut sum_m = 0.0;
        for (index, row) in data.iter().enumerate() {
            let invalid = |reason| Err(FitError::InvalidRow { index, reason });
            if !(row.weight.is_finite() && row.weight > 0.0) {
                return invalid("weight must be positive and finite");
            }
            if row.x == 0 {
                return invalid("Gamma-Gamma takes repeat buyers only (x >= 1)");
            }
            if !(row.m_x.is_finite() && row.m_x > 0.0) {
                return invalid("mean spend m_x must be positive and finite (net of refunds)");
            }
            customers += row.weight;
            sum_m += row.weight * row.m_x;
        }
        if customers < MIN_CUSTOMERS {
            return Err(FitError::TooFewCustomers {
                have: customers,
                need: MIN_CUSTOMERS,
            });
        }
        let x0 = [0.0, 2f64.ln(), (sum_m / customers).ln()];
        let fit = fit_log_params(&x0, customers, GammaGamma::from_log, |p| {
            p.log_likelihood(data)
        })?;
        let params = fit.params;
        if params.q <= 1.0 {
            return Err(FitError::InfiniteMeanSpend { q: params.q });
        }
        Ok(FitResult { params, ..fit })
    }

    fn from_log(theta: &[f64]) -> GammaGamma {
        GammaGamma {
            p: theta[0].exp(),
            q: theta[1].exp(),
            gamma: theta[2].exp(),
        }
    }

    /// Population mean spend per transaction, γp/(q−1); `None` when q ≤ 1 (infinite).
    pub fn population_mean(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.gamma * self.p / (self.q - 1.0))
    }

    /// E[M | x, m_x], the expected spend per future transaction:
    /// ((q−1)/(px+q−1)) · γp/(q−1) + (px/(px+q−1)) · m_x, a credibility-weighted mix of the
    /// population mean and the customer's own mean (= (γ + x m_x) p / (px + q − 1)).
    /// For x = 0 (no repeat purchase, so no spend evidence here) it is the population mean and
    /// `m_x` is ignored. `None` when q ≤ 1.
    pub fn expected_spend(&self, x: u32, m_x: f64) -> Option<f64> {
        let population = self.population_mean()?;
        if x == 0 {
            return Some(population);
        }
        let px = self.p * x as f64;
        let denom = px + self.q - 1.0;
        Some((self.q - 1.0) / denom * population + px / denom * m_x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_spend_hand_computed() {
        // p=2, q=3, γ=10: population mean 10·2/2 = 10. x=2, m=40: px = 4, px+q−1 = 6,
        // E = (2/6)·10 + (4/6)·40 = 10/3 + 80/3 = 30 = (10 + 80)·2/6.
        let g = GammaGamma {
            p: 2.0,
            q: 3.0,
            gamma: 10.0,
        };
        assert!((g.expected_spend(2, 40.0).unwrap() - 30.0).abs() < 1e-12);
        assert_eq!(g.expected_spend(0, 999.0), Some(10.0));
        assert_eq!(GammaGamma { q: 1.0, ..g }.expected_spend(2, 40.0), None);
    }

    #[test]
    fn log_likelihood_hand_computed() {
        // p=1, q=2, γ=1, x=1, m=1: ln Γ(3) − ln Γ(1) − ln Γ(2) + 0 + 0 + 0 − 3 ln 2 = ln(2/8).
        let g = GammaGamma {
            p: 1.0,
            q: 2.0,
            gamma: 1.0,
        };
        let ll = g.log_likelihood(&[Spend::new(1, 1.0)]);
        assert!((ll - 0.25f64.ln()).abs() < 1e-14, "{ll}");
        // And it is a density in m: for x=1 it is q γ^q / (m+γ)^(q+1) at p=1, which
        // integrates to 1; check by a crude sum over a fine grid.
        let h = 1e-3;
        let mass: f64 = (0..200_000)
            .map(|i| {
                h * g
                    .log_likelihood(&[Spend::new(1, (i as f64 + 0.5) * h)])
                    .exp()
            })
            .sum();
        assert!((mass - 1.0).abs() < 2e-4, "{mass}");
    }

    #[test]
    fn fit_refuses_bad_input() {
        let few: Vec<Spend> = (0..49).map(|i| Spend::new(1, 10.0 + i as f64)).collect();
        assert!(matches!(
            GammaGamma::fit(&few),
            Err(FitError::TooFewCustomers { .. })
        ));
        let zero = [Spend::new(0, 10.0)];
        assert!(matches!(
            GammaGamma::fit(&zero),
            Err(FitError::InvalidRow { index: 0, .. })
        ));
        let refunded = [Spend::new(2, -5.0)];
        let err = GammaGamma::fit(&refunded).unwrap_err();
        assert!(err.to_string().contains("net of refunds"), "{err}");
    }
}
