//! A hit on its way up the decode chain ([`Pending`]): its position (an offset still to map, or
//! a finished line and column), the decode steps and contexts gathered on the way, and the
//! finished [`Hit`] at the top.

use std::ops::Range;

use crate::detect::{identity, position, verify};
use crate::hit::Hit;
use crate::rules::Rule;
use crate::secret::Secret;
use crate::source::Location;

use super::super::ranges;

/// A hit on its way up the decode chain.
#[derive(Debug)]
pub(crate) struct Pending {
    /// Rule index.
    pub rule: usize,
    /// The secret's bytes (decoded).
    pub secret: Vec<u8>,
    /// Where it is, in the coordinates of the level that holds it.
    pub pos: Pos,
    /// Decode steps, innermost first (reversed when the hit is finished).
    pub decoded: Vec<String>,
    /// Contexts, innermost first.
    pub context: Vec<String>,
    /// Found on a comment line.
    pub comment: bool,
    /// The match's other named groups (`id`, `user`, `host`) with their bytes, for identity.
    pub groups: Vec<(String, Vec<u8>)>,
    /// `Some("id")` when this place holds only the id part of the credential.
    pub part: Option<&'static str>,
}

/// A position: a byte offset still to be mapped, or a finished line and column (inside an
/// archive member, which has coordinates of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pos {
    /// Byte offset in the current level, with the secret's end (for replacement checks).
    Offset(usize, usize),
    /// 1-based line and column.
    Fixed(u32, u32),
}

/// Give each hit the context of the smallest span containing its start.
pub(super) fn label(spans: &[(Range<usize>, String)], hits: &mut [Pending]) {
    let ranges: Vec<Range<usize>> = spans.iter().map(|(r, _)| r.clone()).collect();
    // A finished position is in no span of this level (no span reaches usize::MAX).
    let offsets: Vec<usize> = hits
        .iter()
        .map(|h| match h.pos {
            Pos::Offset(s, _) => s,
            Pos::Fixed(..) => usize::MAX,
        })
        .collect();
    for (h, span) in hits.iter_mut().zip(ranges::innermost(&ranges, &offsets)) {
        if let Some(j) = span {
            h.context.push(spans[j].1.clone());
        }
    }
}

/// Turn every offset into a line and column within `data` (one pass, see `detect::position`).
pub(super) fn fix_positions(data: &[u8], hits: &mut [Pending]) {
    let (idx, offsets): (Vec<usize>, Vec<usize>) = hits
        .iter()
        .enumerate()
        .filter_map(|(i, h)| match h.pos {
            Pos::Offset(o, _) => Some((i, o)),
            Pos::Fixed(..) => None,
        })
        .unzip();
    for (i, (line, column)) in idx.into_iter().zip(position::positions(data, &offsets)) {
        hits[i].pos = Pos::Fixed(line, column);
    }
}

impl Pending {
    /// The finished hit: `origin` plus line, column, decode chain and context.
    pub fn into_hit(self, origin: &Location, rules: &[Rule]) -> Hit {
        let mut location = origin.clone();
        if let Pos::Fixed(line, column) = self.pos {
            location.line = line;
            location.column = column;
        }
        location.decoded.extend(self.decoded.into_iter().rev());
        let mut contexts: Vec<String> = origin.context.iter().cloned().collect();
        contexts.extend(self.context.into_iter().rev());
        if !contexts.is_empty() {
            location.context = Some(contexts.join(" > "));
        }
        location.part = self.part.map(str::to_string);
        let rule = &rules[self.rule];
        Hit {
            rule: self.rule,
            lifetime: verify::lifetime(rule, &self.secret),
            strength: verify::strength(rule, &self.secret),
            identity: identity::identity(
                rule,
                &self.secret,
                &self.groups,
                location.context.as_deref(),
            ),
            comment: self.comment,
            secret: Secret::new(self.secret),
            location,
        }
    }
}

/// The named groups of a match other than the secret (`id`, `user`, `host`), with their bytes.
pub(super) fn groups(data: &[u8], m: &crate::detect::Match) -> Vec<(String, Vec<u8>)> {
    m.context
        .iter()
        .map(|(name, r)| (name.clone(), data[r.clone()].to_vec()))
        .collect()
}
