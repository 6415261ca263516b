//! Special functions the models need: log-gamma, digamma, log-add-exp and the Gauss hypergeometric 2F1.

/// ln Γ(x) for x > 0. libm's lgamma is accurate to a few ulps over the positive axis, which is
/// all the likelihoods ever ask for (their arguments are sums of positive parameters).
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// ψ(x) = d/dx ln Γ(x) for x > 0 (NaN elsewhere), for the BG/NBD gradient.
///
/// The recurrence ψ(x) = ψ(x+1) − 1/x moves x to at least 10, where the asymptotic series
/// ψ(x) ≈ ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) to the x⁻¹² term leaves less than 1/(12 x¹⁴) < 1e-15
/// (Abramowitz & Stegun 6.3.18).
pub fn digamma(x: f64) -> f64 {
    if !(x > 0.0 && x.is_finite()) {
        return f64::NAN;
    }
    let mut x = x;
    let mut shift = 0.0;
    while x < 10.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let inv2 = 1.0 / (x * x);
    // B2/2, B4/4, …, B12/12 as coefficients of x^-2k.
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * 691.0 / 32760.0)))));
    shift + x.ln() - 0.5 / x - series
}

/// ln(e^a + e^b) without overflow or the underflow that turns a tiny A1 into ln(0).
pub fn log_add_exp(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// Most series terms [`hyp2f1`] sums before giving up (NaN). With the transformations below
/// the series decay at least like `z^n`, so this is reached only for z within ~1e-5 of 1.
pub const HYP2F1_MAX_TERMS: usize = 1_000_000;

/// Relative size of the remaining tail at which the series stops.
const SERIES_TOL: f64 = 1e-16;

/// Gauss hypergeometric 2F1(a, b; c; z) for real z < 1, NaN where it is undefined (z >= 1,
/// c a non-positive integer) or the series did not converge within [`HYP2F1_MAX_TERMS`].
///
/// Strategy, so that the summed series always has ratio |w| < 1 and few cancellations:
/// - z < 0: Pfaff, 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)), mapping z to (0, 1).
/// - 0.5 < z < 1 with c−a−b < 0: the plain series' terms grow like n^(a+b−c−1) before z^n wins,
///   and the sum blows up like (1−z)^(c−a−b); Euler, 2F1(a,b;c;z) = (1−z)^(c−a−b)
///   2F1(c−a, c−b; c; z), takes that factor out in closed form and leaves a series whose terms
///   decay like n^(c−a−b−1) z^n, summable even at z = 1.
/// - otherwise the plain series.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z.is_finite()) || z >= 1.0 {
        return f64::NAN;
    }
    if c <= 0.0 && c.fract() == 0.0 {
        return f64::NAN;
    }
    if z < 0.0 {
        let w = z / (z - 1.0);
        return (1.0 - z).powf(-a) * hyp2f1_unit(a, c - b, c, w);
    }
    hyp2f1_unit(a, b, c, z)
}

/// 2F1 for 0 <= z < 1.
fn hyp2f1_unit(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if z > 0.5 && c - a - b < 0.0 {
        return (1.0 - z).powf(c - a - b) * series(c - a, c - b, c, z);
    }
    series(a, b, c, z)
}

/// The defining series Σ (a)_n (b)_n / ((c)_n n!) z^n, stopped when a geometric bound on the
/// tail falls below [`SERIES_TOL`] of the sum.
fn series(a: f64, b: f64, c: f64, z: f64) -> f64 {
    // The term ratio is only monotone once every Pochhammer factor is positive; before that a
    // small term says nothing about the tail.
    let settle = [0.0, -a, -b, -c].into_iter().fold(0.0_f64, f64::max) + 2.0;
    let ratio = |n: f64| (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    for n in 0..HYP2F1_MAX_TERMS {
        let nf = n as f64;
        term *= ratio(nf);
        sum += term;
        if term == 0.0 {
            // a or b a non-positive integer: a polynomial, now complete.
            return sum;
        }
        if nf > settle {
            // Later ratios stay below max(next ratio, z): the ratio tends to z monotonically.
            let q = ratio(nf + 1.0).abs().max(z.abs());
            if q < 1.0 && term.abs() * q / (1.0 - q) <= SERIES_TOL * sum.abs() {
                return sum;
            }
        }
        if !sum.is_finite() {
            return f64::NAN;
        }
    }
    f64::NAN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) {
        assert!(
            (got - want).abs() <= rel * want.abs().max(1e-300),
            "got {got:e}, want {want:e} (rel err {:e})",
            ((got - want) / want).abs()
        );
    }

    #[test]
    fn log_add_exp_handles_extremes() {
        close(log_add_exp(0.0, 0.0), 2f64.ln(), 1e-15);
        close(
            log_add_exp(-1000.0, -1001.0),
            -1000.0 + (-1f64).exp().ln_1p(),
            1e-15,
        );
        assert_eq!(log_add_exp(f64::NEG_INFINITY, -3.0), -3.0);
        assert_eq!(log_add_exp(800.0, 0.0), 800.0);
    }

    #[test]
    fn log_gamma_known_values() {
        close(ln_gamma(1.0).exp(), 1.0, 1e-15);
        close(ln_gamma(5.0).exp(), 24.0, 1e-14);
        close(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-14);
    }

    #[test]
    fn hyp2f1_log_identity_across_the_unit_interval() {
        // 2F1(1,1;2;z) = −ln(1−z)/z. c−a−b = 0, so the plain series is used throughout; at
        // z = 0.999 it needs tens of thousands of terms and must still land.
        for z in [1e-6, 0.1, 0.3, 0.5, 0.75, 0.9, 0.99, 0.999] {
            close(hyp2f1(1.0, 1.0, 2.0, z), -(-z).ln_1p() / z, 1e-12);
        }
        // Negative z goes through Pfaff; z = −20 maps to w = 20/21.
        for z in [-0.5, -3.0, -20.0] {
            close(hyp2f1(1.0, 1.0, 2.0, z), -(-z).ln_1p() / z, 1e-12);
        }
    }

    #[test]
    fn digamma_known_values_and_recurrence() {
        const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;
        // The recurrence's sum of reciprocals rounds at a few ulps.
        close(digamma(1.0), -EULER_GAMMA, 1e-14);
        close(digamma(0.5), -EULER_GAMMA - 2.0 * 2f64.ln(), 1e-14);
        // ψ(n) = H(n−1) − γ.
        let h9: f64 = (1..=9).map(|k| 1.0 / k as f64).sum();
        close(digamma(10.0), h9 - EULER_GAMMA, 1e-14);
        // ψ(1/4) = −γ − π/2 − 3 ln 2 (Gauss's digamma theorem).
        close(
            digamma(0.25),
            -EULER_GAMMA - std::f64::consts::FRAC_PI_2 - 3.0 * 2f64.ln(),
            1e-14,
        );
        for x in [0.013, 0.7, 3.3, 57.0, 1234.5] {
            close(digamma(x + 1.0), digamma(x) + 1.0 / x, 1e-13);
            // The derivative of ln Γ, by a central difference.
            let h = 1e-5 * x;
            let numeric = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            close(digamma(x), numeric, 1e-7);
        }
        assert!(digamma(0.0).is_nan() && digamma(-1.0).is_nan());
    }

    #[test]
    fn hyp2f1_b_equals_c_is_a_power() {
        // 2F1(a,b;b;z) = (1−z)^(−a). With a = 3.7 and c−a−b = −3.7 < 0, z > 0.5 exercises Euler.
        for z in [0.2, 0.6, 0.9, 0.99, -0.7, -5.0] {
            close(hyp2f1(3.7, 1.3, 1.3, z), (1.0 - z).powf(-3.7), 1e-12);
        }
    }

    #[test]
    fn hyp2f1_arctan_and_arcsin() {
        // 2F1(1/2,1;3/2;−x²) = atan(x)/x; 2F1(1/2,1/2;3/2;x²) = asin(x)/x.
        for x in [0.3_f64, 1.0, 2.0, 7.0] {
            close(hyp2f1(0.5, 1.0, 1.5, -x * x), x.atan() / x, 1e-12);
        }
        for x in [0.3_f64, 0.8, 0.95] {
            close(hyp2f1(0.5, 0.5, 1.5, x * x), x.asin() / x, 1e-12);
        }
    }

    #[test]
    fn hyp2f1_published_algebraic_values() {
        // Classical special values (Vidunas, "Dihedral Gauss hypergeometric functions"; also
        // listed on MathWorld): 2F1(1/3,2/3;5/6;27/32) = 8/5 and 2F1(1/4,1/2;3/4;80/81) = 9/5.
        close(
            hyp2f1(1.0 / 3.0, 2.0 / 3.0, 5.0 / 6.0, 27.0 / 32.0),
            1.6,
            1e-12,
        );
        close(hyp2f1(0.25, 0.5, 0.75, 80.0 / 81.0), 1.8, 1e-12);
    }

    /// Independent check by the Euler integral, for c > b > 0:
    /// 2F1(a,b;c;z) = Γ(c)/(Γ(b)Γ(c−b)) ∫₀¹ t^(b−1) (1−t)^(c−b−1) (1−zt)^(−a) dt,
    /// with t = s^(1/b) to remove the t^(b−1) singularity, and Simpson's rule on s.
    fn euler_integral(a: f64, b: f64, c: f64, z: f64) -> f64 {
        let n = 200_000;
        let h = 1.0 / n as f64;
        let f = |s: f64| {
            let t = s.powf(1.0 / b);
            (1.0 - t).powf(c - b - 1.0) * (1.0 - z * t).powf(-a) / b
        };
        let mut acc = f(0.0) + f(1.0);
        for i in 1..n {
            acc += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        let integral = acc * h / 3.0;
        integral * (ln_gamma(c) - ln_gamma(b) - ln_gamma(c - b)).exp()
    }

    #[test]
    fn hyp2f1_matches_euler_integral_at_bgnbd_arguments() {
        // The BG/NBD call 2F1(r+x, b+x; a+b+x−1; z) at the CDNOW parameters (r = 0.243,
        // a = 0.793, b = 2.426), symmetric in its first two arguments, so the integral uses
        // r+x as its "b" (c − (r+x) = a+b−1−r = 1.976 > 0; (1−t)^0.976 is smooth enough).
        let (r, a, b) = (0.243, 0.793, 2.426);
        for (x, z) in [(2.0, 39.0 / (4.414 + 38.86 + 39.0)), (0.0, 0.3), (5.0, 0.8)] {
            let (aa, bb, cc) = (b + x, r + x, a + b + x - 1.0);
            close(hyp2f1(aa, bb, cc, z), euler_integral(aa, bb, cc, z), 1e-8);
        }
    }

    #[test]
    fn hyp2f1_refuses_outside_its_domain() {
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
        assert!(hyp2f1(1.0, 1.0, -2.0, 0.5).is_nan());
        assert!(hyp2f1(f64::NAN, 1.0, 2.0, 0.5).is_nan());
        // A terminating series: 2F1(−2,b;c;z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
        let (b, c, z) = (1.5, 2.5, 0.4);
        close(
            hyp2f1(-2.0, b, c, z),
            1.0 - 2.0 * b * z / c + b * (b + 1.0) * z * z / (c * (c + 1.0)),
            1e-14,
        );
    }
}
