//! RFM quintile scoring (1..5 per dimension) and the 11 named segments, with the rule table as data.

use std::fmt;

/// Quintile scores (R, F, M), each 1..=5, for `(recency_days, frequency, monetary)` rows.
///
/// Rank-based with ties sharing the score of their first position: a value's score is
/// 1 + ⌊5 · (number of customers strictly worse) / n⌋, where "worse" is *more* recency days,
/// *lower* frequency and *lower* monetary. So equal values always score equally, the worst
/// value always scores 1, and heavy ties leave gaps: if 70% of customers
/// have frequency 1 they all score F = 1, and the next value up scores 1 + ⌊5 · 0.7⌋ = 4
/// (no one scores 2 or 3). That is the honest reading of a lumpy distribution; forcing equal
/// bins would give identical customers different scores.
///
/// `monetary` is net of refunds (the caller's job). A NaN monetary value ranks as the worst.
pub fn rfm_scores(values: &[(u32, u32, f64)]) -> Vec<(u8, u8, u8)> {
    // Keys where larger is better, so one scorer serves all three dimensions.
    let recency: Vec<f64> = values.iter().map(|v| -(v.0 as f64)).collect();
    let frequency: Vec<f64> = values.iter().map(|v| v.1 as f64).collect();
    let monetary: Vec<f64> = values
        .iter()
        .map(|v| if v.2.is_nan() { f64::NEG_INFINITY } else { v.2 })
        .collect();
    let (r, f, m) = (
        quintiles(&recency),
        quintiles(&frequency),
        quintiles(&monetary),
    );
    (0..values.len()).map(|i| (r[i], f[i], m[i])).collect()
}

/// 1 + ⌊5 · #{j : key_j < key_i} / n⌋ for each i (larger key = better).
fn quintiles(keys: &[f64]) -> Vec<u8> {
    let n = keys.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| keys[i].total_cmp(&keys[j]));
    let mut scores = vec![0u8; n];
    let mut start = 0;
    while start < n {
        let mut end = start;
        while end < n && keys[order[end]] == keys[order[start]] {
            end += 1;
        }
        // `start` customers are strictly worse than this tie group; start < n keeps it ≤ 5.
        let score = 1 + (5 * start / n) as u8;
        for &i in &order[start..end] {
            scores[i] = score;
        }
        start = end;
    }
    scores
}

/// The 11 customer segments commonly published for RFM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Segment {
    Champions,
    Loyal,
    PotentialLoyalist,
    New,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CantLoseThem,
    Hibernating,
    Lost,
}

impl Segment {
    pub fn name(self) -> &'static str {
        match self {
            Segment::Champions => "Champions",
            Segment::Loyal => "Loyal",
            Segment::PotentialLoyalist => "Potential loyalist",
            Segment::New => "New",
            Segment::Promising => "Promising",
            Segment::NeedAttention => "Need attention",
            Segment::AboutToSleep => "About to sleep",
            Segment::AtRisk => "At risk",
            Segment::CantLoseThem => "Can't lose them",
            Segment::Hibernating => "Hibernating",
            Segment::Lost => "Lost",
        }
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One rectangle of the segment table: R in `r`, FM in `fm` (inclusive ranges), where
/// FM = ⌈(F + M) / 2⌉ so that spend counts as much as frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentRule {
    pub segment: Segment,
    pub r: (u8, u8),
    pub fm: (u8, u8),
}

const fn rule(segment: Segment, r: (u8, u8), fm: (u8, u8)) -> SegmentRule {
    SegmentRule { segment, r, fm }
}

/// The segment table on (R, FM): the widely published R×F grid (Champions 5/4-5, Loyal 3-4/4-5,
/// Potential loyalist 4-5/2-3, New 5/1, Promising 4/1, Need attention 3/3, About to sleep
/// 3/1-2, At risk 1-2/3-4, Can't lose them 1-2/5), with its bottom-left "hibernating" corner
/// split by recency into Hibernating (R 2) and Lost (R 1). The rectangles tile the 5×5 grid
/// with no overlap (tested), so every (r, f, m) has exactly one segment.
pub const SEGMENT_RULES: [SegmentRule; 11] = [
    rule(Segment::Champions, (5, 5), (4, 5)),
    rule(Segment::Loyal, (3, 4), (4, 5)),
    rule(Segment::PotentialLoyalist, (4, 5), (2, 3)),
    rule(Segment::New, (5, 5), (1, 1)),
    rule(Segment::Promising, (4, 4), (1, 1)),
    rule(Segment::NeedAttention, (3, 3), (3, 3)),
    rule(Segment::AboutToSleep, (3, 3), (1, 2)),
    rule(Segment::AtRisk, (1, 2), (3, 4)),
    rule(Segment::CantLoseThem, (1, 2), (5, 5)),
    rule(Segment::Hibernating, (2, 2), (1, 2)),
    rule(Segment::Lost, (1, 1), (1, 2)),
];

/// The segment of scores (r, f, m), each 1..=5 (values outside are clamped into range).
pub fn segment(r: u8, f: u8, m: u8) -> Segment {
    let r = r.clamp(1, 5);
    let fm = (f.clamp(1, 5) + m.clamp(1, 5)).div_ceil(2);
    SEGMENT_RULES
        .iter()
        .find(|rule| (rule.r.0..=rule.r.1).contains(&r) && (rule.fm.0..=rule.fm.1).contains(&fm))
        .map(|rule| rule.segment)
        .expect("SEGMENT_RULES tiles the 5x5 grid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_score_triple_has_exactly_one_segment() {
        let mut seen = std::collections::HashSet::new();
        for r in 1..=5u8 {
            for f in 1..=5u8 {
                for m in 1..=5u8 {
                    let fm = (f + m).div_ceil(2);
                    let matching = SEGMENT_RULES
                        .iter()
                        .filter(|rule| {
                            (rule.r.0..=rule.r.1).contains(&r)
                                && (rule.fm.0..=rule.fm.1).contains(&fm)
                        })
                        .count();
                    assert_eq!(matching, 1, "({r},{f},{m}) matches {matching} rules");
                    seen.insert(segment(r, f, m));
                }
            }
        }
        assert_eq!(seen.len(), 11, "every segment is reachable");
    }

    #[test]
    fn segments_read_as_their_names_say() {
        assert_eq!(segment(5, 5, 5), Segment::Champions);
        assert_eq!(segment(1, 1, 1), Segment::Lost);
        assert_eq!(segment(5, 1, 1), Segment::New);
        assert_eq!(segment(1, 5, 5), Segment::CantLoseThem);
        assert_eq!(segment(2, 1, 2), Segment::Hibernating);
        assert_eq!(Segment::CantLoseThem.to_string(), "Can't lose them");
    }

    #[test]
    fn distinct_values_fill_the_quintiles_evenly() {
        let values: Vec<(u32, u32, f64)> = (0..10).map(|i| (i, i, i as f64)).collect();
        let s = rfm_scores(&values);
        let f: Vec<u8> = s.iter().map(|t| t.1).collect();
        assert_eq!(f, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        // Recency is reversed: 0 days ago is the best.
        let r: Vec<u8> = s.iter().map(|t| t.0).collect();
        assert_eq!(r, [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
        assert_eq!(s.iter().map(|t| t.2).collect::<Vec<_>>(), f);
    }

    #[test]
    fn heavy_ties_share_a_score_and_leave_gaps() {
        // 70 of 100 customers bought once; the rest 2..=31 times, all distinct.
        let values: Vec<(u32, u32, f64)> = (0..100u32)
            .map(|i| (10, if i < 70 { 1 } else { i - 68 }, 5.0))
            .collect();
        let s = rfm_scores(&values);
        assert!(s[..70].iter().all(|t| t.1 == 1));
        // The first value above the tie has 70 worse customers: 1 + ⌊350/100⌋ = 4.
        assert_eq!(s[70].1, 4);
        assert_eq!(s[99].1, 5);
        assert!(!s.iter().any(|t| t.1 == 2 || t.1 == 3));
        // Everyone equal: all score 1 (nobody is strictly worse than anybody).
        assert!(s.iter().all(|t| t.0 == 1 && t.2 == 1));
    }

    #[test]
    fn edge_populations() {
        assert!(rfm_scores(&[]).is_empty());
        assert_eq!(rfm_scores(&[(3, 2, 9.0)]), [(1, 1, 1)]);
        let s = rfm_scores(&[(1, 1, f64::NAN), (1, 1, 0.0)]);
        assert_eq!((s[0].2, s[1].2), (1, 3));
    }
}
