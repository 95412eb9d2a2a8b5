//! Interval look-ups for the blob walk (`scan::blob`): does a range overlap, or lie inside, one
//! of a set of ranges; which raw hits lie inside a range; which labelled span is the smallest
//! holding an offset. Each query is a binary search after one sort, so a hostile file with
//! tens of thousands of encoded values, hits and YAML scalars is not quadratic.
//!
//! Pure functions over offsets: no rules, no I/O.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

/// A set of ranges sorted by start, with the furthest end reached by each prefix.
#[derive(Debug, Default)]
pub(crate) struct Ranges {
    sorted: Vec<Range<usize>>,
    reach: Vec<usize>,
}

impl Ranges {
    /// The set of `ranges`.
    pub fn new(mut ranges: Vec<Range<usize>>) -> Ranges {
        ranges.sort_unstable_by_key(|r| r.start);
        let reach = ranges
            .iter()
            .scan(0, |m, r| {
                *m = r.end.max(*m);
                Some(*m)
            })
            .collect();
        Ranges {
            sorted: ranges,
            reach,
        }
    }

    /// The furthest end among the ranges starting before `pred` turns false.
    fn reach_while(&self, pred: impl Fn(&Range<usize>) -> bool) -> Option<usize> {
        let n = self.sorted.partition_point(pred);
        n.checked_sub(1).map(|i| self.reach[i])
    }

    /// True if some range shares an offset with `r` (`c.start < r.end && r.start < c.end`).
    pub fn overlaps(&self, r: &Range<usize>) -> bool {
        self.reach_while(|c| c.start < r.end)
            .is_some_and(|end| r.start < end)
    }

    /// True if some range holds all of `s..e` (`c.start <= s && e <= c.end`).
    pub fn covers(&self, s: usize, e: usize) -> bool {
        self.reach_while(|c| c.start <= s)
            .is_some_and(|end| e <= end)
    }
}

/// True if one of `hits` (`(start, end)`, sorted) lies inside `span`.
pub(crate) fn any_inside(hits: &[(usize, usize)], span: &Range<usize>) -> bool {
    let from = hits.partition_point(|&(s, _)| s < span.start);
    hits[from..]
        .iter()
        .take_while(|&&(s, _)| s <= span.end)
        .any(|&(_, e)| e <= span.end)
}

/// For each offset, the index of the smallest span holding it (`start <= o < end`; an empty
/// span holds its start), the first such span in `spans` on a tie; `None` where none does.
/// One sweep over offsets and spans in order, with a heap of the spans begun so far.
pub(crate) fn innermost(spans: &[Range<usize>], offsets: &[usize]) -> Vec<Option<usize>> {
    let mut out = vec![None; offsets.len()];
    if spans.is_empty() {
        return out;
    }
    let mut by_start: Vec<usize> = (0..spans.len()).collect();
    by_start.sort_unstable_by_key(|&i| spans[i].start);
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let mut begun = BinaryHeap::new();
    let mut next = 0;
    for i in order {
        let o = offsets[i];
        while let Some(&j) = by_start.get(next).filter(|&&j| spans[j].start <= o) {
            begun.push(Reverse((spans[j].len(), j)));
            next += 1;
        }
        // A span that ends at or before this offset ends before every later one too.
        while let Some(&Reverse((_, j))) = begun.peek() {
            let r = &spans[j];
            if o < r.end.max(r.start + 1) {
                out[i] = Some(j);
                break;
            }
            begun.pop();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small deterministic pseudo-random numbers (no dependency needed).
    fn rng(seed: &mut u64) -> usize {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 33) as usize
    }

    fn random_ranges(seed: &mut u64, n: usize) -> Vec<Range<usize>> {
        (0..n)
            .map(|_| {
                let s = rng(seed) % 100;
                s..s + rng(seed) % 12
            })
            .collect()
    }

    /// The answers agree with the obvious quadratic scans they replace.
    #[test]
    fn slow_quadratic_range_checks_agree_with_naive() {
        let mut seed = 7;
        for _ in 0..300 {
            let n = rng(&mut seed) % 9;
            let set = random_ranges(&mut seed, n);
            let ranges = Ranges::new(set.clone());
            let mut hits: Vec<(usize, usize)> = random_ranges(&mut seed, 6)
                .into_iter()
                .map(|r| (r.start, r.end))
                .collect();
            hits.sort_unstable();
            for q in random_ranges(&mut seed, 20) {
                let overlaps = set.iter().any(|c| c.start < q.end && q.start < c.end);
                assert_eq!(ranges.overlaps(&q), overlaps, "{set:?} {q:?}");
                let covers = set.iter().any(|c| c.start <= q.start && q.end <= c.end);
                assert_eq!(ranges.covers(q.start, q.end), covers, "{set:?} {q:?}");
                let inside = hits.iter().any(|&(s, e)| q.start <= s && e <= q.end);
                assert_eq!(any_inside(&hits, &q), inside, "{hits:?} {q:?}");
            }
            let offsets: Vec<usize> = (0..15).map(|_| rng(&mut seed) % 115).collect();
            let naive: Vec<Option<usize>> = offsets
                .iter()
                .map(|&o| {
                    set.iter()
                        .enumerate()
                        .filter(|(_, r)| r.start <= o && o < r.end.max(r.start + 1))
                        .min_by_key(|(_, r)| r.len())
                        .map(|(j, _)| j)
                })
                .collect();
            assert_eq!(innermost(&set, &offsets), naive, "{set:?} {offsets:?}");
        }
    }
}
