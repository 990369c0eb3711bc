//! Logistic regression by Newton's method (iteratively reweighted least squares), with a little
//! ridge shrinkage so that a factor that separates perfectly, or a constant one, still fits.

/// Coefficients and intercept of a fitted model.
#[derive(Clone, Debug, PartialEq)]
pub struct Logistic {
    pub weights: Vec<f64>,
    pub intercept: f64,
}

impl Logistic {
    /// Fit `y` (renewed) on the rows of `x`. Rows of unequal length are a caller's bug.
    pub fn fit(x: &[Vec<f64>], y: &[bool]) -> Logistic {
        let k = x.first().map_or(0, Vec::len) + 1; // the intercept is the last column
        let mut beta = vec![0.0; k];
        let ridge = 1e-3;
        for _ in 0..25 {
            let mut gradient = vec![0.0; k];
            let mut hessian = vec![vec![0.0; k]; k];
            for (row, &renewed) in x.iter().zip(y) {
                let z: f64 = row.iter().zip(&beta).map(|(a, b)| a * b).sum::<f64>() + beta[k - 1];
                let p = 1.0 / (1.0 + (-z).exp());
                let err = f64::from(u8::from(renewed)) - p;
                let w = (p * (1.0 - p)).max(1e-9);
                for i in 0..k {
                    let xi = if i + 1 == k { 1.0 } else { row[i] };
                    gradient[i] += err * xi;
                    for j in 0..=i {
                        let xj = if j + 1 == k { 1.0 } else { row[j] };
                        hessian[i][j] += w * xi * xj;
                    }
                }
            }
            for i in 0..k {
                let (upper, lower) = hessian.split_at_mut(i);
                for (j, row) in upper.iter_mut().enumerate() {
                    row[i] = lower[0][j];
                }
                // Shrink the coefficients, not the intercept.
                if i + 1 < k {
                    hessian[i][i] += ridge * x.len() as f64;
                    gradient[i] -= ridge * x.len() as f64 * beta[i];
                }
            }
            let Some(step) = solve(hessian, gradient) else { break };
            let size: f64 = step.iter().map(|s| s.abs()).sum();
            for (b, s) in beta.iter_mut().zip(&step) {
                *b += s;
            }
            if size < 1e-8 {
                break;
            }
        }
        let intercept = beta.pop().unwrap_or(0.0);
        Logistic { weights: beta, intercept }
    }

    /// The linear predictor (log-odds of renewal): ranks like the probability.
    pub fn predict(&self, row: &[f64]) -> f64 {
        self.intercept + row.iter().zip(&self.weights).map(|(a, b)| a * b).sum::<f64>()
    }
}

/// Solve `a x = b` by Gaussian elimination with partial pivoting; None when singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (top, bottom) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (offset, row) in bottom.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (cell, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *cell -= f * p;
            }
            b[col + 1 + offset] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|c| a[row][c] * x[c]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_model() {
        // y is renewed when 2a - b + noise > 0: a must come out positive, b negative, about 2:1.
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..4000 {
            let (a, b) = (next() * 2.0 - 1.0, next() * 2.0 - 1.0);
            let p = 1.0 / (1.0 + (-(2.0 * a - b) * 3.0).exp());
            x.push(vec![a, b]);
            y.push(next() < p);
        }
        let m = Logistic::fit(&x, &y);
        assert!(m.weights[0] > 0.0 && m.weights[1] < 0.0, "{m:?}");
        let ratio = m.weights[0] / -m.weights[1];
        assert!((1.6..2.4).contains(&ratio), "{ratio}");
    }

    #[test]
    fn a_constant_or_perfect_feature_still_fits() {
        let x: Vec<Vec<f64>> = (0..50).map(|i| vec![1.0, f64::from(u8::from(i % 2 == 0))]).collect();
        let y: Vec<bool> = (0..50).map(|i| i % 2 == 0).collect();
        let m = Logistic::fit(&x, &y);
        assert!(m.weights.iter().all(|w| w.is_finite()) && m.weights[1] > 0.0, "{m:?}");
    }
}
