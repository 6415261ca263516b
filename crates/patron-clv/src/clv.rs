//! Customer lifetime value: BG/NBD purchase counts times Gamma-Gamma spend, discounted monthly (lifetimes-style).

use crate::{BgNbd, GammaGamma};

/// Weeks per month, as lifetimes uses for its monthly steps (52.14 / 12).
pub const WEEKS_PER_MONTH: f64 = 4.345;

/// What CLV needs to know about one customer: the BG/NBD summary and their mean spend per
/// repeat transaction (major units, net of refunds; ignored when `x = 0`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customer {
    pub x: u32,
    pub t_x: f64,
    /// T, weeks since the first purchase.
    pub age: f64,
    pub mean_spend: f64,
}

/// Discounted expected value over the next `horizon_weeks`, as lifetimes'
/// `customer_lifetime_value`: the horizon is cut into months of [`WEEKS_PER_MONTH`] (the last
/// one clipped to the horizon); month i (1-based) contributes
/// (E[purchases by its end] − E[purchases by its start]) · E[spend] / (1+d)^i.
/// Discounting by the month's end is lifetimes' convention, slightly conservative.
///
/// `None` when the spend model has no finite mean (q ≤ 1) or the inputs are out of range
/// (negative or non-finite horizon, discount rate ≤ −1).
pub fn clv(
    bgnbd: &BgNbd,
    gg: &GammaGamma,
    customer: &Customer,
    horizon_weeks: f64,
    monthly_discount_rate: f64,
) -> Option<f64> {
    if !(horizon_weeks.is_finite() && horizon_weeks >= 0.0) {
        return None;
    }
    if !(monthly_discount_rate.is_finite() && monthly_discount_rate > -1.0) {
        return None;
    }
    let spend = gg.expected_spend(customer.x, customer.mean_spend)?;
    let months = (horizon_weeks / WEEKS_PER_MONTH).ceil() as usize;
    let by = |t: f64| bgnbd.expected_purchases(t, customer.x, customer.t_x, customer.age);
    let mut before = 0.0;
    let mut total = 0.0;
    for month in 1..=months {
        let end = (month as f64 * WEEKS_PER_MONTH).min(horizon_weeks);
        let cumulative = by(end);
        total += (cumulative - before) * spend / (1.0 + monthly_discount_rate).powi(month as i32);
        before = cumulative;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CDNOW: BgNbd = BgNbd {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };
    const SPEND: GammaGamma = GammaGamma {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };

    #[test]
    fn zero_discount_is_purchases_times_spend() {
        for (c, horizon) in [
            (
                Customer {
                    x: 2,
                    t_x: 30.43,
                    age: 38.86,
                    mean_spend: 35.0,
                },
                52.0,
            ),
            (
                Customer {
                    x: 0,
                    t_x: 0.0,
                    age: 20.0,
                    mean_spend: 0.0,
                },
                104.3,
            ),
            (
                Customer {
                    x: 9,
                    t_x: 38.0,
                    age: 39.0,
                    mean_spend: 12.5,
                },
                3.0,
            ),
        ] {
            let got = clv(&CDNOW, &SPEND, &c, horizon, 0.0).unwrap();
            let want = CDNOW.expected_purchases(horizon, c.x, c.t_x, c.age)
                * SPEND.expected_spend(c.x, c.mean_spend).unwrap();
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
    }

    #[test]
    fn discounting_lowers_value_and_longer_horizons_raise_it() {
        let c = Customer {
            x: 4,
            t_x: 30.0,
            age: 39.0,
            mean_spend: 40.0,
        };
        let flat = clv(&CDNOW, &SPEND, &c, 52.14, 0.0).unwrap();
        let discounted = clv(&CDNOW, &SPEND, &c, 52.14, 0.01).unwrap();
        let longer = clv(&CDNOW, &SPEND, &c, 104.28, 0.01).unwrap();
        assert!(
            discounted < flat && discounted > 0.85 * flat,
            "{discounted} vs {flat}"
        );
        assert!(longer > discounted);
        // One month exactly: a single step discounted once.
        let one = clv(&CDNOW, &SPEND, &c, WEEKS_PER_MONTH, 0.1).unwrap();
        let want = CDNOW.expected_purchases(WEEKS_PER_MONTH, 4, 30.0, 39.0)
            * SPEND.expected_spend(4, 40.0).unwrap()
            / 1.1;
        assert!((one - want).abs() < 1e-12);
    }

    #[test]
    fn refuses_what_it_cannot_value() {
        let c = Customer {
            x: 1,
            t_x: 1.0,
            age: 2.0,
            mean_spend: 10.0,
        };
        assert_eq!(
            clv(&CDNOW, &GammaGamma { q: 0.9, ..SPEND }, &c, 52.0, 0.0),
            None
        );
        assert_eq!(clv(&CDNOW, &SPEND, &c, -1.0, 0.0), None);
        assert_eq!(clv(&CDNOW, &SPEND, &c, 52.0, -1.0), None);
        assert_eq!(clv(&CDNOW, &SPEND, &c, 0.0, 0.0), Some(0.0));
    }
}
