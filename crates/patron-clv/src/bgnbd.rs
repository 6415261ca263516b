//! The BG/NBD purchase-count model (Fader, Hardie & Lee 2005): likelihood, fit, P(alive) and expected purchases.
//!
//! "Counting Your Customers the Easy Way: An Alternative to the Pareto/NBD Model", Marketing
//! Science 24(2). While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α)
//! (shape r, rate α); after each *repeat* purchase they drop out for good with probability
//! p ~ Beta(a, b). Input rows are [`Rfm`]: `x` repeat purchases, `t_x` recency and `T` = age,
//! all in weeks; see the crate docs for what the caller merges and excludes.

mod prepared;

use crate::optimize::fit_log_params_with_gradient;
use crate::special::{hyp2f1, log_add_exp};
use crate::{FitError, FitResult, MIN_CUSTOMERS, MIN_REPEAT_BUYERS, Rfm};
use prepared::Prepared;

/// BG/NBD parameters: purchase rate λ ~ Gamma(shape `r`, rate `alpha`) and dropout
/// probability p ~ Beta(`a`, `b`). All positive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl BgNbd {
    /// Weighted log-likelihood of the rows, the paper's eq. 6 per customer:
    /// LL_i = ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
    ///        + ln(e^A1 + δ(x>0) e^A2),
    /// A1 = −(r+x) ln(α+T), A2 = ln a − ln(b+x−1) − (r+x) ln(α+t_x).
    ///
    /// The Γ terms depend on `x` only, so they are computed once per run of equal `x`
    /// ([`crate::compress`] sorts by `x`), and ln(α + t) once per distinct time ([`prepared`]);
    /// the per-row cost is one log-add-exp, summed on every core.
    pub fn log_likelihood(&self, data: &[Rfm]) -> f64 {
        self.log_likelihood_prepared(&Prepared::new(data))
    }

    /// Maximum-likelihood fit.
    ///
    /// Optimiser: BFGS with the analytic gradient ([`crate::optimize::bfgs`], default
    /// [`crate::optimize::BfgsOptions`]: every gradient component of the mean negative
    /// log-likelihood per customer at most 1e-9, at most 200 iterations) on (ln r, ln α, ln a,
    /// ln b), which keeps every parameter positive without constraints and makes a step mean
    /// the same relative change at any scale. Should BFGS not converge, Nelder-Mead continues
    /// from where it stopped (default [`crate::optimize::Options`]: initial step 0.5, tolerances
    /// 1e-11 on the objective and 1e-7 on every log-parameter, one restart).
    ///
    /// Start point: r = 1, a = 1, b = 1 and α = mean(T) / max(mean(x), 0.1), so that the prior
    /// mean rate r/α matches the observed purchase rate before any dropout is accounted for.
    ///
    /// Refuses ([`FitError`]) fewer than [`MIN_CUSTOMERS`] = 50 customers or fewer than
    /// [`MIN_REPEAT_BUYERS`] = 10 repeat buyers (total weights), rows outside the model's
    /// input contract, and a likelihood that is not finite at the start or the optimum.
    pub fn fit(data: &[Rfm]) -> Result<FitResult<BgNbd>, FitError> {
        let mut customers = 0.0;
        let mut repeat = 0.0;
        let mut sum_age = 0.0;
        let mut sum_x = 0.0;
        for (index, row) in data.iter().enumerate() {
            let invalid = |reason| Err(FitError::InvalidRow { index, reason });
            if !(row.weight.is_finite() && row.weight > 0.0) {
                return invalid("weight must be positive and finite");
            }
            if !(row.age.is_finite() && row.age > 0.0) {
                return invalid("age T must be positive and finite");
            }
            if !(row.t_x.is_finite() && row.t_x >= 0.0 && row.t_x <= row.age) {
                return invalid("recency t_x must lie in [0, T]");
            }
            customers += row.weight;
            sum_age += row.weight * row.age;
            sum_x += row.weight * row.x as f64;
            if row.x > 0 {
                repeat += row.weight;
            }
        }
        if customers < MIN_CUSTOMERS {
            return Err(FitError::TooFewCustomers {
                have: customers,
                need: MIN_CUSTOMERS,
            });
        }
        if repeat < MIN_REPEAT_BUYERS {
            return Err(FitError::TooFewRepeatBuyers {
                have: repeat,
                need: MIN_REPEAT_BUYERS,
            });
        }
        let alpha0 = (sum_age / customers) / (sum_x / customers).max(0.1);
        let x0 = [0.0, alpha0.ln(), 0.0, 0.0];
        let prepared = Prepared::new(data);
        fit_log_params_with_gradient(&x0, customers, BgNbd::from_log, |p| {
            p.log_likelihood_and_gradient(&prepared)
        })
    }

    fn from_log(theta: &[f64]) -> BgNbd {
        BgNbd {
            r: theta[0].exp(),
            alpha: theta[1].exp(),
            a: theta[2].exp(),
            b: theta[3].exp(),
        }
    }

    /// ln of the "dead" odds term δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x), or −∞ for x = 0.
    fn ln_dead_odds(&self, x: u32, t_x: f64, age: f64) -> f64 {
        if x == 0 {
            return f64::NEG_INFINITY;
        }
        let xf = x as f64;
        self.a.ln() - (self.b + xf - 1.0).ln()
            + (self.r + xf) * ((self.alpha + age).ln() - (self.alpha + t_x).ln())
    }

    /// P(alive at T | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
    ///
    /// For x = 0 this is exactly 1, whatever T: in BG/NBD a customer can only drop out right
    /// after a repeat purchase, so one who never came back is still "alive" (a known property
    /// of the model, and a reason to read its P(alive) together with recency for one-order
    /// customers).
    pub fn p_alive(&self, x: u32, t_x: f64, age: f64) -> f64 {
        // 1/(1+e^L) = e^(−ln(1+e^L)), which stays accurate when the odds are huge.
        (-log_add_exp(0.0, self.ln_dead_odds(x, t_x, age))).exp()
    }

    /// E[Y(t) | x, t_x, T]: expected purchases in the next `t` weeks (the paper's eq. 10):
    ///
    /// [(a+b+x−1)/(a−1)] · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)]
    ///   / [1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)],   z = t/(α+T+t).
    ///
    /// ((α+T)/(α+T+t)) = 1−z, and Euler's transformation turns (1−z)^(r+x) 2F1(r+x, b+x; c; z)
    /// into (1−z)^(a−1) 2F1(a+b−1−r, a−1; c; z): no 2F1 that grows like (1−z)^(−(r+x)) for
    /// heavy buyers, and a series that converges for any z < 1. Undefined at a = 1 exactly
    /// (the paper's formula divides by a−1); near it the result loses precision.
    pub fn expected_purchases(&self, t: f64, x: u32, t_x: f64, age: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let xf = x as f64;
        let c = a + b + xf - 1.0;
        let z = t / (alpha + age + t);
        let decay = (1.0 - z).powf(a - 1.0) * hyp2f1(a + b - 1.0 - r, a - 1.0, c, z);
        let alive_given = c / (a - 1.0) * (1.0 - decay);
        alive_given * self.p_alive(x, t_x, age)
    }

    /// E[X(t)]: expected purchases of a newly acquired customer in their first `t` weeks (eq. 9):
    /// [(a+b−1)/(a−1)] · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))].
    pub fn expected_purchases_new(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let z = t / (alpha + t);
        (a + b - 1.0) / (a - 1.0) * (1.0 - (1.0 - z).powf(r) * hyp2f1(r, b, a + b - 1.0, z))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compress;
    use crate::special::ln_gamma;

    fn close(got: f64, want: f64, tol: f64) {
        assert!((got - want).abs() <= tol, "got {got}, want {want}");
    }

    #[test]
    fn p_alive_hand_computed() {
        // r=1, α=1, a=1, b=2; x=1, t_x=1, T=3:
        // a/(b+x−1) = 1/2; ((α+T)/(α+t_x))^(r+x) = (4/2)^2 = 4; P = 1/(1 + 2) = 1/3.
        let m = BgNbd {
            r: 1.0,
            alpha: 1.0,
            a: 1.0,
            b: 2.0,
        };
        close(m.p_alive(1, 1.0, 3.0), 1.0 / 3.0, 1e-15);
        // Bought at the very end (t_x = T): odds a/(b+x−1) = 1/2 → 2/3.
        close(m.p_alive(1, 3.0, 3.0), 2.0 / 3.0, 1e-15);
        // x = 0 is alive by construction, however old.
        assert_eq!(m.p_alive(0, 0.0, 1e6), 1.0);
        // Huge odds stay tiny rather than NaN: ln odds = ln(1/31) + 31 ln 101 ≈ 139.6.
        let p = m.p_alive(30, 0.0, 100.0);
        assert!((p.ln() + 139.6).abs() < 0.1, "{p}");
        assert_eq!(m.p_alive(200, 0.0, 1e4), 0.0);
    }

    #[test]
    fn expected_purchases_hand_computed() {
        // r=2, α=1, a=2, b=1 makes c = a+b+x−1 = x+2 = r+x, so
        // 2F1(r+x, b+x; r+x; z) = (1−z)^(−(b+x)) and the bracket is
        // 1 − (1−z)^(r+x) (1−z)^(−(b+x)) = 1 − (1−z)^(r−b) = z.
        // T=3, t=4: z = 4/(1+3+4) = 1/2.
        // x=1, t_x=1: (a+b+x−1)/(a−1) = 3; denominator 1 + (2/1)·(4/2)^3 = 17; E = 3·(1/2)/17.
        let m = BgNbd {
            r: 2.0,
            alpha: 1.0,
            a: 2.0,
            b: 1.0,
        };
        close(m.expected_purchases(4.0, 1, 1.0, 3.0), 1.5 / 17.0, 1e-13);
        // x=0: factor (a+b−1)/(a−1) = 2, denominator 1: E = 2·(1/2) = 1.
        close(m.expected_purchases(4.0, 0, 0.0, 3.0), 1.0, 1e-13);
        // Unconditional: 2F1(r,b;r;z) = (1−z)^(−b) → E[X(t)] = 2z, z = t/(α+t) = 4/5.
        close(m.expected_purchases_new(4.0), 1.6, 1e-13);
    }

    #[test]
    fn a_newcomer_is_a_zero_order_customer_of_age_zero() {
        let m = BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        for t in [1.0, 39.0, 520.0] {
            close(
                m.expected_purchases(t, 0, 0.0, 0.0),
                m.expected_purchases_new(t),
                1e-12,
            );
        }
        assert_eq!(m.expected_purchases(0.0, 3, 1.0, 5.0), 0.0);
    }

    /// E[Y(t) | x, t_x, T] by direct integration over the posterior, with no 2F1: integrating λ
    /// out in closed form leaves one integral over p,
    /// E·D = Γ(r+x)/Γ(r)·α^r/B(a,b) ∫ p^(a−2) (1−p)^(b+x−1) [(α+T)^−k − (α+T+pt)^−k] dp, k = r+x,
    /// D  = Γ(r+x)/Γ(r)·α^r/B(a,b) [(α+T)^−k B(a,b+x) + δ (α+t_x)^−k B(a+1,b+x−1)],
    /// where the common constant cancels. p = s^(1/a) removes the p^(a−1) singularity.
    fn expected_by_integration(m: &BgNbd, t: f64, x: u32, t_x: f64, age: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *m;
        let xf = x as f64;
        let k = r + xf;
        let head = (alpha + age).powf(-k);
        let f = |s: f64| {
            let p = s.powf(1.0 / a);
            // [(α+T)^−k − (α+T+pt)^−k]/p, kept accurate as p → 0.
            let bracket_over_p = if p == 0.0 {
                head * k * t / (alpha + age)
            } else {
                head * -(-k * (p * t / (alpha + age)).ln_1p()).exp_m1() / p
            };
            bracket_over_p * (1.0 - p).powf(b + xf - 1.0) / a
        };
        let n = 400_000;
        let h = 1.0 / n as f64;
        let mut acc = f(0.0) + f(1.0);
        for i in 1..n {
            acc += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        let numer = acc * h / 3.0;
        let beta = |p: f64, q: f64| (ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q)).exp();
        let mut denom = head * beta(a, b + xf);
        if x > 0 {
            denom += (alpha + t_x).powf(-k) * beta(a + 1.0, b + xf - 1.0);
        }
        numer / denom
    }

    #[test]
    fn cdnow_worked_example() {
        // The paper's published CDNOW parameters and its worked example: x = 2, t_x = 30.43,
        // T = 38.86 expects about 1.226 purchases in the next 39 weeks. Checked here against
        // the independent integral above before the published number is trusted.
        let m = BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        let closed = m.expected_purchases(39.0, 2, 30.43, 38.86);
        let integral = expected_by_integration(&m, 39.0, 2, 30.43, 38.86);
        close(closed, integral, 1e-6);
        close(closed, 1.226, 5e-4);
    }

    #[test]
    fn closed_form_matches_integration_elsewhere() {
        let m = BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        for (t, x, t_x, age) in [
            (4.0, 0, 0.0, 20.0),
            (52.0, 7, 35.0, 38.0),
            (520.0, 1, 2.0, 30.0),
        ] {
            let closed = m.expected_purchases(t, x, t_x, age);
            let integral = expected_by_integration(&m, t, x, t_x, age);
            close(closed, integral, 1e-6 * integral.max(1.0));
        }
        // a > 1 exercises the other sign of (a−1).
        let m = BgNbd {
            r: 1.5,
            alpha: 10.0,
            a: 2.5,
            b: 4.0,
        };
        let closed = m.expected_purchases(26.0, 3, 10.0, 30.0);
        close(
            closed,
            expected_by_integration(&m, 26.0, 3, 10.0, 30.0),
            1e-6,
        );
    }

    #[test]
    fn log_likelihood_hand_computed_and_weighted() {
        // r=1, α=1, a=1, b=2, one x=0 row with T=3:
        // ln Γ(1) − ln Γ(1) + 0 + ln Γ(3) + ln Γ(2) − ln Γ(2) − ln Γ(3) − 1·ln 4 = −ln 4.
        let m = BgNbd {
            r: 1.0,
            alpha: 1.0,
            a: 1.0,
            b: 2.0,
        };
        close(
            m.log_likelihood(&[Rfm::new(0, 0.0, 3.0)]),
            -(4f64.ln()),
            1e-14,
        );
        // x=1, t_x=1, T=3: ln Γ(2) + ln Γ(3) + ln Γ(3) − ln Γ(2) − ln Γ(4) = ln(2·2/6) = ln(2/3);
        // A1 = −2 ln 4, A2 = ln 1 − ln 2 − 2 ln 2 → e^A1 + e^A2 = 1/16 + 1/8 = 3/16.
        let row = Rfm::new(1, 1.0, 3.0);
        close(
            m.log_likelihood(&[row]),
            (2.0 / 3.0 * 3.0 / 16.0_f64).ln(),
            1e-14,
        );
        let three = m.log_likelihood(&[Rfm { weight: 3.0, ..row }]);
        close(three, 3.0 * m.log_likelihood(&[row]), 1e-13);
    }

    /// The paper's eq. 6 for one row, written out with no caching or tables.
    fn row_by_formula(m: &BgNbd, row: &Rfm) -> f64 {
        let BgNbd { r, alpha, a, b } = *m;
        let x = row.x as f64;
        let head =
            ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) + ln_gamma(b + x)
                - ln_gamma(b)
                - ln_gamma(a + b + x);
        let a1 = -(r + x) * (alpha + row.age).ln();
        let mix = if row.x > 0 {
            let a2 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + row.t_x).ln();
            (a1.exp() + a2.exp()).ln()
        } else {
            a1
        };
        row.weight * (head + mix)
    }

    #[test]
    fn log_likelihood_equals_the_formula_row_by_row_at_scale() {
        // Enough rows to be summed on several threads, with fractional and repeated times and
        // x runs interleaved as compress leaves them (sorted by x).
        let m = BgNbd {
            r: 0.24,
            alpha: 4.41,
            a: 0.79,
            b: 2.43,
        };
        let mut rows: Vec<Rfm> = (0..40_000u32)
            .map(|i| {
                let x = i % 7;
                let age = 1.0 + f64::from(i % 97) + f64::from(i % 3) / 7.0;
                let t_x = if x == 0 {
                    0.0
                } else {
                    age * f64::from(i % 11) / 10.0
                };
                Rfm {
                    weight: 1.0 + f64::from(i % 5),
                    ..Rfm::new(x, t_x, age)
                }
            })
            .collect();
        rows.sort_by_key(|r| r.x);
        let by_formula: f64 = rows.iter().map(|r| row_by_formula(&m, r)).sum();
        let got = m.log_likelihood(&rows);
        assert!(
            ((got - by_formula) / by_formula).abs() < 1e-12,
            "{got} vs {by_formula}"
        );
    }

    #[test]
    fn gradient_matches_central_differences() {
        let rows: Vec<Rfm> = compress((0..5_000u32).map(|i| {
            let x = i % 9;
            let age = 2.0 + f64::from(i % 61);
            let t_x = if x == 0 {
                0.0
            } else {
                (age * f64::from(i % 13) / 12.0).round()
            };
            Rfm::new(x, t_x, age)
        }));
        let prepared = Prepared::new(&rows);
        for m in [
            BgNbd {
                r: 0.24,
                alpha: 4.41,
                a: 0.79,
                b: 2.43,
            },
            BgNbd {
                r: 1.7,
                alpha: 0.3,
                a: 0.05,
                b: 12.0,
            },
        ] {
            let (ll, grad) = m.log_likelihood_and_gradient(&prepared);
            assert_eq!(ll.to_bits(), m.log_likelihood(&rows).to_bits());
            let theta = [m.r.ln(), m.alpha.ln(), m.a.ln(), m.b.ln()];
            for k in 0..4 {
                let h = 1e-5;
                let at = |d: f64| {
                    let mut t = theta;
                    t[k] += d;
                    BgNbd::from_log(&t).log_likelihood(&rows)
                };
                let numeric = (at(h) - at(-h)) / (2.0 * h);
                assert!(
                    (grad[k] - numeric).abs() <= 1e-6 * numeric.abs().max(1.0),
                    "{m:?} d/dθ{k}: analytic {} numeric {numeric}",
                    grad[k]
                );
            }
        }
    }

    #[test]
    fn bfgs_reaches_the_nelder_mead_optimum_in_few_evaluations() {
        let truth = BgNbd {
            r: 0.24,
            alpha: 4.41,
            a: 0.79,
            b: 2.43,
        };
        let rows = compress(
            crate::simulate::bgnbd_cohort(&truth, 20_000, 27.0, 39.0, 7)
                .into_iter()
                .map(Rfm::rounded_to_days),
        );
        let fast = BgNbd::fit(&rows).unwrap();
        // Few evaluations: BFGS converged on its own, without the Nelder-Mead fallback.
        assert!(fast.converged && fast.evaluations < 100, "{fast:?}");
        let customers: f64 = rows.iter().map(|r| r.weight).sum();
        let x0 = [0.0, 0.0, 0.0, 0.0];
        let simplex = crate::optimize::fit_log_params(&x0, customers, BgNbd::from_log, |p| {
            p.log_likelihood(&rows)
        })
        .unwrap();
        let (f, s) = (fast.params, simplex.params);
        for (name, got, want) in [
            ("r", f.r, s.r),
            ("alpha", f.alpha, s.alpha),
            ("a", f.a, s.a),
            ("b", f.b, s.b),
        ] {
            assert!(
                ((got - want) / want).abs() < 1e-4,
                "{name}: BFGS {got}, Nelder-Mead {want}"
            );
        }
        assert!(fast.log_likelihood >= simplex.log_likelihood - 1e-6 * customers.sqrt());
    }

    #[test]
    fn fit_refuses_data_that_cannot_identify_the_model() {
        let few: Vec<Rfm> = (0..49).map(|_| Rfm::new(1, 1.0, 2.0)).collect();
        assert!(matches!(
            BgNbd::fit(&few),
            Err(FitError::TooFewCustomers { .. })
        ));
        let mut no_repeat: Vec<Rfm> = (0..500).map(|_| Rfm::new(0, 0.0, 10.0)).collect();
        no_repeat.extend((0..9).map(|_| Rfm::new(1, 1.0, 10.0)));
        let err = BgNbd::fit(&no_repeat).unwrap_err();
        assert_eq!(
            err,
            FitError::TooFewRepeatBuyers {
                have: 9.0,
                need: 10.0
            }
        );
        let bad = [Rfm::new(1, 5.0, 2.0)];
        assert!(matches!(
            BgNbd::fit(&bad),
            Err(FitError::InvalidRow { index: 0, .. })
        ));
    }
}
