//! Sums over many rows split across the machine's cores: the one place the crate uses threads.
//!
//! The split is into a fixed number of contiguous chunks whatever the core count, and the
//! chunks' partial sums are added in chunk order, so a result is the same bit for bit on a
//! laptop and on a 64-core server (a fit must not depend on where it ran).

use std::num::NonZeroUsize;
use std::thread;

/// Chunks per sum. More than any machine here has cores, few enough that each chunk keeps
/// its per-`x` caches warm over thousands of rows.
const CHUNKS: usize = 8;

/// Below this many rows a sum runs on the caller's thread: spawning costs more than it saves.
const PARALLEL_FROM: usize = 16_384;

/// `f` applied to contiguous chunks of `rows`, its `N` sums added component-wise in chunk
/// order.
pub(crate) fn sum_chunks<T: Sync, const N: usize>(
    rows: &[T],
    f: impl Fn(&[T]) -> [f64; N] + Sync,
) -> [f64; N] {
    let chunk = rows.len().div_ceil(CHUNKS).max(1);
    let chunks: Vec<&[T]> = rows.chunks(chunk).collect();
    let workers = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(chunks.len());
    let partial: Vec<[f64; N]> = if rows.len() < PARALLEL_FROM || workers <= 1 {
        chunks.iter().map(|c| f(c)).collect()
    } else {
        let mut partial = vec![[0.0; N]; chunks.len()];
        thread::scope(|s| {
            // Worker k takes chunks k, k + workers, …; the caller's thread is worker 0.
            let mut slots: Vec<Vec<(usize, &mut [f64; N])>> =
                (0..workers).map(|_| Vec::new()).collect();
            for (i, slot) in partial.iter_mut().enumerate() {
                slots[i % workers].push((i, slot));
            }
            let mut slots = slots.into_iter();
            let own = slots.next().unwrap_or_default();
            for mine in slots {
                let (f, chunks) = (&f, &chunks);
                s.spawn(move || {
                    for (i, slot) in mine {
                        *slot = f(chunks[i]);
                    }
                });
            }
            for (i, slot) in own {
                *slot = f(chunks[i]);
            }
        });
        partial
    };
    let mut total = [0.0; N];
    for part in &partial {
        for (t, p) in total.iter_mut().zip(part) {
            *t += p;
        }
    }
    total
}

/// `f` applied to contiguous chunks of `rows` on the machine's cores, results concatenated in
/// row order.
pub(crate) fn map_chunks<T: Sync, R: Send>(
    rows: &[T],
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let workers = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    if rows.len() < PARALLEL_FROM || workers <= 1 {
        return f(rows);
    }
    let chunk = rows.len().div_ceil(workers);
    thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .skip(1)
            .map(|c| {
                let f = &f;
                s.spawn(move || f(c))
            })
            .collect();
        let first = f(&rows[..chunk.min(rows.len())]);
        let mut parts = vec![first];
        for h in handles {
            // A panicking chunk is a bug in `f`; carry it to the caller as the same panic.
            match h.join() {
                Ok(part) => parts.push(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        // One allocation of the final size: growing the first part instead reallocated and
        // copied a million scores.
        let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for part in parts {
            out.extend(part);
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_is_the_same_in_parallel_and_in_sequence() {
        // Values whose sum depends on the order of addition in the last bits.
        let rows: Vec<f64> = (0..100_000)
            .map(|i| 1.0 / (1.0 + i as f64).powf(1.3))
            .collect();
        let per_chunk = |c: &[f64]| [c.iter().sum::<f64>(), c.len() as f64];
        let in_order = |rows: &[f64]| {
            let chunk = rows.len().div_ceil(CHUNKS);
            rows.chunks(chunk)
                .map(|c| per_chunk(c)[0])
                .fold(0.0, |t, p| t + p)
        };
        let got = sum_chunks(&rows, per_chunk);
        assert_eq!(got[0].to_bits(), in_order(&rows).to_bits());
        assert_eq!(got[1], rows.len() as f64);
        let small = &rows[..100];
        assert_eq!(
            sum_chunks(small, per_chunk)[0].to_bits(),
            in_order(small).to_bits()
        );
        assert_eq!(sum_chunks::<f64, 2>(&[], per_chunk), [0.0, 0.0]);
    }

    #[test]
    fn map_keeps_row_order() {
        let rows: Vec<u32> = (0..50_000).collect();
        let doubled = map_chunks(&rows, |c| c.iter().map(|v| v * 2).collect());
        assert_eq!(doubled, rows.iter().map(|v| v * 2).collect::<Vec<_>>());
        assert!(map_chunks::<u32, u32>(&[], |c| c.to_vec()).is_empty());
    }
}
