//! The optimisers behind every fit: Nelder-Mead simplex minimisation here, BFGS in [`bfgs`].
//!
//! Nelder-Mead is derivative-free and reliable once restarted on these low-dimensional fits
//! (3-4 log-parameters); Gamma-Gamma uses it alone. BG/NBD, whose likelihood over a million
//! customers is the costly one, gives its gradient and is fitted by BFGS, with Nelder-Mead as
//! the fallback. Nelder-Mead's coefficients are the standard ones (Lagarias et al. 1998):
//! reflection 1, expansion 2, contraction 1/2, shrink 1/2.

mod bfgs;

pub use bfgs::{BfgsOptions, bfgs};

/// Maximum likelihood over log-parameters, as every model here fits: minimise the mean negative
/// log-likelihood per customer from `x0` (coordinates beyond ±40 are out of bounds), and refuse
/// a likelihood that is not finite at the start or at the optimum.
pub(crate) fn fit_log_params<P>(
    x0: &[f64],
    customers: f64,
    from_log: impl Fn(&[f64]) -> P,
    log_likelihood: impl Fn(&P) -> f64,
) -> Result<crate::FitResult<P>, crate::FitError> {
    let objective = |theta: &[f64]| {
        if out_of_bounds(theta) {
            return f64::INFINITY;
        }
        -log_likelihood(&from_log(theta)) / customers
    };
    if !objective(x0).is_finite() {
        return Err(crate::FitError::NonFiniteLikelihood);
    }
    let m = minimize(objective, x0, &Options::default());
    result(m, &from_log, &log_likelihood)
}

/// As [`fit_log_params`] for a model that also gives its gradient with respect to the
/// log-parameters: [`bfgs`] from `x0`, and Nelder-Mead from wherever BFGS stopped if it did not
/// converge (a line search that found no decrease, the iteration cap), so the gradient makes a
/// fit faster but never less robust. The evaluations of both are counted.
pub(crate) fn fit_log_params_with_gradient<P, const N: usize>(
    x0: &[f64; N],
    customers: f64,
    from_log: impl Fn(&[f64]) -> P,
    value_and_gradient: impl Fn(&P) -> (f64, [f64; N]),
) -> Result<crate::FitResult<P>, crate::FitError> {
    let log_likelihood = |p: &P| value_and_gradient(p).0;
    let objective = |theta: &[f64; N]| {
        if out_of_bounds(theta) {
            return (f64::INFINITY, [0.0; N]);
        }
        let (ll, grad) = value_and_gradient(&from_log(theta));
        (-ll / customers, grad.map(|g| -g / customers))
    };
    if !objective(x0).0.is_finite() {
        return Err(crate::FitError::NonFiniteLikelihood);
    }
    let quasi_newton = bfgs(objective, x0, &BfgsOptions::default());
    if quasi_newton.converged {
        return result(quasi_newton, &from_log, &log_likelihood);
    }
    let mut m = minimize(
        |theta: &[f64]| match <&[f64; N]>::try_from(theta) {
            Ok(theta) => objective(theta).0,
            Err(_) => f64::INFINITY,
        },
        &quasi_newton.x,
        &Options::default(),
    );
    m.iterations += quasi_newton.iterations;
    m.evaluations += quasi_newton.evaluations;
    result(m, &from_log, &log_likelihood)
}

fn out_of_bounds(theta: &[f64]) -> bool {
    theta.iter().any(|t| t.abs() > 40.0)
}

fn result<P>(
    m: Minimum,
    from_log: &impl Fn(&[f64]) -> P,
    log_likelihood: &impl Fn(&P) -> f64,
) -> Result<crate::FitResult<P>, crate::FitError> {
    let params = from_log(&m.x);
    let ll = log_likelihood(&params);
    if !ll.is_finite() {
        return Err(crate::FitError::NonFiniteLikelihood);
    }
    Ok(crate::FitResult {
        params,
        log_likelihood: ll,
        iterations: m.iterations,
        evaluations: m.evaluations,
        converged: m.converged,
    })
}

/// Tuning of [`minimize`]. The defaults are what the model fits use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Offset of each extra simplex vertex from the start point, per coordinate. The fits work
    /// on log-parameters, so 0.5 means a factor of e^0.5 ≈ 1.65 either way.
    pub initial_step: f64,
    /// Converged when the simplex's objective values differ by at most this much. The fits
    /// minimise the *mean* negative log-likelihood per customer, so this is per customer.
    pub f_tol: f64,
    /// ...and every vertex is within this of the best one in every coordinate.
    pub x_tol: f64,
    /// Iteration cap per run.
    pub max_iterations: usize,
    /// Fresh-simplex restarts from the best point: a collapsed simplex can stall on a ridge
    /// (McKinnon 1998), and one restart is the cheap usual remedy.
    pub restarts: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            initial_step: 0.5,
            f_tol: 1e-11,
            x_tol: 1e-7,
            max_iterations: 5_000,
            restarts: 1,
        }
    }
}

/// The best point found.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    pub evaluations: usize,
    /// Whether the last run met both tolerances before its iteration cap.
    pub converged: bool,
}

/// Minimises `f` from `x0`. Non-finite objective values count as +∞, so the simplex walks away
/// from regions where a likelihood overflows instead of being poisoned by NaN comparisons.
pub fn minimize(mut f: impl FnMut(&[f64]) -> f64, x0: &[f64], opts: &Options) -> Minimum {
    let mut best = run(&mut f, x0, opts);
    for _ in 0..opts.restarts {
        let again = run(&mut f, &best.x, opts);
        let iterations = best.iterations + again.iterations;
        let evaluations = best.evaluations + again.evaluations;
        if again.value <= best.value {
            best = again;
        } else {
            best.converged = again.converged;
        }
        best.iterations = iterations;
        best.evaluations = evaluations;
    }
    best
}

fn run(f: &mut impl FnMut(&[f64]) -> f64, x0: &[f64], opts: &Options) -> Minimum {
    let n = x0.len();
    let mut evaluations = 0usize;
    let mut eval = |x: &[f64]| {
        evaluations += 1;
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };

    let mut simplex: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    simplex.push(x0.to_vec());
    for i in 0..n {
        let mut v = x0.to_vec();
        v[i] += opts.initial_step;
        simplex.push(v);
    }
    let mut values: Vec<f64> = simplex.iter().map(|x| eval(x)).collect();

    let mut iterations = 0;
    let mut converged = false;
    loop {
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
        simplex = order.iter().map(|&i| simplex[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();

        let f_spread = values[n] - values[0];
        let x_spread = simplex[1..]
            .iter()
            .flat_map(|v| v.iter().zip(&simplex[0]).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if f_spread <= opts.f_tol && x_spread <= opts.x_tol {
            converged = true;
            break;
        }
        if iterations >= opts.max_iterations {
            break;
        }
        iterations += 1;

        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|v| v[j]).sum::<f64>() / n as f64)
            .collect();
        let towards = |t: f64| -> Vec<f64> {
            // centroid + t·(centroid − worst)
            centroid
                .iter()
                .zip(&simplex[n])
                .map(|(c, w)| c + t * (c - w))
                .collect()
        };

        let xr = towards(1.0);
        let fr = eval(&xr);
        if fr < values[0] {
            let xe = towards(2.0);
            let fe = eval(&xe);
            if fe < fr {
                simplex[n] = xe;
                values[n] = fe;
            } else {
                simplex[n] = xr;
                values[n] = fr;
            }
            continue;
        }
        if fr < values[n - 1] {
            simplex[n] = xr;
            values[n] = fr;
            continue;
        }
        let (xc, fc, accept) = if fr < values[n] {
            let xc = towards(0.5);
            let fc = eval(&xc);
            (xc, fc, fc <= fr)
        } else {
            let xc = towards(-0.5);
            let fc = eval(&xc);
            (xc, fc, fc < values[n])
        };
        if accept {
            simplex[n] = xc;
            values[n] = fc;
            continue;
        }
        for i in 1..=n {
            let shrunk: Vec<f64> = simplex[i]
                .iter()
                .zip(&simplex[0])
                .map(|(v, b)| b + 0.5 * (v - b))
                .collect();
            values[i] = eval(&shrunk);
            simplex[i] = shrunk;
        }
    }
    Minimum {
        x: simplex.swap_remove(0),
        value: values[0],
        iterations,
        evaluations,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let rosen = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = minimize(rosen, &[-1.2, 1.0], &Options::default());
        assert!(m.converged);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-5 && (m.x[1] - 1.0).abs() < 1e-5,
            "{:?}",
            m.x
        );
    }

    #[test]
    fn walks_away_from_non_finite_values() {
        // NaN left of 0.5: a comparison-based simplex that saw NaN would stall there.
        let f = |x: &[f64]| {
            if x[0] < 0.5 {
                f64::NAN
            } else {
                (x[0] - 3.0).powi(2) + x[1] * x[1]
            }
        };
        let m = minimize(f, &[1.0, 1.0], &Options::default());
        assert!(
            (m.x[0] - 3.0).abs() < 1e-5 && m.x[1].abs() < 1e-5,
            "{:?}",
            m.x
        );
    }

    #[test]
    fn reports_the_iteration_cap() {
        let opts = Options {
            max_iterations: 3,
            restarts: 0,
            ..Options::default()
        };
        let m = minimize(
            |x: &[f64]| x.iter().map(|v| v * v).sum(),
            &[5.0, 5.0, 5.0],
            &opts,
        );
        assert!(!m.converged);
        assert_eq!(m.iterations, 3);
    }
}
