//! One blob to hits, recursing into everything it decodes to: archive members, config-store
//! fields, base64 and percent-encoded values.
//!
//! Each level runs the detector over its bytes, asks `source::decode` what it derives, scans
//! each derived blob one level down, and maps the hits found there back into its own
//! coordinates through the derived blob's anchor. Archive members and decompressed streams keep
//! their own coordinates: a hit inside one reports the line and column within the member, and
//! the member in the `decoded` chain. Limits come from `decode::Limits`; hitting one is a
//! problem report, never a failure.

use crate::detect::{Detector, Match, Scratch, Windows, inline_allow, position, verify};
use crate::error::IssueKind;
use crate::source::decode::archive::{self, Budget};
use crate::source::decode::{self, Anchor, Derived, Limits, encoded};
use crate::source::fs::{self, Content};

use super::ranges::{self, Ranges};

mod pending;

pub(crate) use pending::{Pending, Pos};
use pending::{fix_positions, groups, label};

#[derive(Debug, Clone, Copy, Default)]
struct Depth {
    decode: usize,
    archive: usize,
}

/// The state of one top-level blob's unfolding: the detector runs at every level, and each
/// level's decoded children are unfolded in turn.
pub(crate) struct Unfold<'a> {
    pub detector: &'a Detector,
    pub limits: Limits,
    pub scratch: &'a mut Scratch,
    /// Problems, each with the decode chain where it happened.
    pub problems: Vec<(IssueKind, String)>,
    chain: Vec<String>,
    /// How the top level's detection notes or replays its regex runs (deeper levels always
    /// detect in full); after [`Unfold::run`], what it noted.
    pub top: Windows<'a>,
    /// The next level is the top one.
    at_top: bool,
}

impl<'a> Unfold<'a> {
    pub fn new(detector: &'a Detector, limits: Limits, scratch: &'a mut Scratch) -> Unfold<'a> {
        Unfold {
            detector,
            limits,
            scratch,
            problems: Vec::new(),
            chain: Vec::new(),
            top: Windows::Off,
            at_top: false,
        }
    }

    /// Every hit in `data` (named `name`), positions finished as lines and columns.
    pub fn run(&mut self, data: &[u8], name: &str) -> Vec<Pending> {
        let budget = Budget::new(self.limits.max_decompressed);
        self.at_top = true;
        let mut hits = self.level(data, name, Depth::default(), &budget, false);
        fix_positions(data, &mut hits);
        hits
    }

    fn problem(&mut self, kind: IssueKind, reason: impl Into<String>) {
        let reason = reason.into();
        let text = if self.chain.is_empty() {
            reason
        } else {
            format!("{}: {reason}", self.chain.join(" > "))
        };
        self.problems.push((kind, text));
    }

    fn level(
        &mut self,
        data: &[u8],
        name: &str,
        depth: Depth,
        budget: &Budget,
        no_base64: bool,
    ) -> Vec<Pending> {
        let top = std::mem::take(&mut self.at_top);
        if let Some(kind) = archive::sniff(data) {
            return self.archive(kind, data, name, depth, budget);
        }
        if fs::classify(data) == Content::Binary && !decode::reads_binary(name, data) {
            return Vec::new();
        }
        let matches = if top {
            self.detector
                .detect_windows(data, self.scratch, &mut self.top)
        } else {
            self.detector.detect(data, self.scratch)
        };
        // A multi-part credential (an AWS key id with its secret key, a client id with its
        // secret) is one credential: a hit that is only the `id` part of another rule's match
        // becomes a location of that match's credential, marked as its `id` part, instead of a
        // finding of its own. Sorted, so a blob with many hits is not checked all-pairs.
        let mut parts: Vec<((usize, usize), usize)> = matches
            .iter()
            .enumerate()
            .flat_map(|(i, m)| {
                m.context
                    .iter()
                    .filter(|(name, _)| name == "id")
                    .map(move |(_, r)| ((r.start, r.end), i))
            })
            .collect();
        parts.sort_unstable();
        parts.dedup_by_key(|p| p.0);
        let owner = |m: &Match| {
            parts
                .binary_search_by_key(&(m.secret.start, m.secret.end), |p| p.0)
                .ok()
                .map(|i| &matches[parts[i].1])
        };
        let mut raw: Vec<Pending> = matches
            .iter()
            .map(|m| {
                let (of, part) = match owner(m) {
                    Some(o) if !std::ptr::eq(o, m) => (o, Some("id")),
                    _ => (m, None),
                };
                Pending {
                    rule: of.rule,
                    secret: data[of.secret.clone()].to_vec(),
                    pos: Pos::Offset(m.secret.start, m.secret.end),
                    decoded: Vec::new(),
                    context: Vec::new(),
                    comment: m.comment,
                    groups: groups(data, of),
                    part,
                }
            })
            .collect();
        let mut found = match decode::format_of(name, data) {
            Some(format) => decode::decode(format, data, !raw.is_empty()),
            None => decode::Decoded::default(),
        };
        for p in std::mem::take(&mut found.problems) {
            self.problem(IssueKind::Malformed, p);
        }
        let claimed = Ranges::new(
            found
                .derived
                .iter()
                .filter_map(|d| d.replaces.clone())
                .collect(),
        );
        for e in encoded::find(data) {
            // Base64 is decoded once: not again inside what a base64 run decoded to.
            if claimed.overlaps(&e.span) || (no_base64 && e.kind == "base64") {
                continue;
            }
            let mut d = Derived::new(e.bytes, Anchor::At(e.span.start))
                .step(e.kind)
                .replaces(e.span);
            d.no_base64 = e.kind == "base64";
            found.derived.push(d);
        }

        let mut out = Vec::new();
        let mut replaced = Vec::new();
        if !found.derived.is_empty() && depth.decode >= self.limits.max_depth {
            self.problem(
                IssueKind::Truncated,
                format!(
                    "decode depth cap ({}) reached; encoded values inside not decoded",
                    self.limits.max_depth
                ),
            );
        } else {
            let rules = self.detector.rules();
            let mut vendor: Vec<(usize, usize)> = raw
                .iter()
                .filter(|p| !rules[p.rule].generic)
                .filter_map(|p| match p.pos {
                    Pos::Offset(s, e) => Some((s, e)),
                    Pos::Fixed(..) => None,
                })
                .collect();
            vendor.sort_unstable();
            for d in &found.derived {
                let hits = self.derived(d, depth, budget);
                // The decoded form stands for the encoded text only when it holds a credential,
                // and a vendor rule's raw hit beats generic ones in the decoded bytes: a token
                // that is base64 or percent-encoded by design (a Basic auth header, a legacy
                // Grafana key, a Twitter bearer token) keeps its raw hit.
                if hits.is_empty() {
                    continue;
                }
                if let Some(span) = &d.replaces
                    && ranges::any_inside(&vendor, span)
                    && hits.iter().all(|h| rules[h.rule].generic)
                {
                    continue;
                }
                replaced.extend(d.replaces.clone());
                // An inline allow marker on the line the decoded value came from holds for it too.
                out.extend(hits.into_iter().filter(|h| match h.pos {
                    Pos::Offset(s, _) => !inline_allow::allowed_at(data, s),
                    Pos::Fixed(..) => true,
                }));
            }
        }
        let replaced = Ranges::new(replaced);
        raw.retain(|p| match p.pos {
            Pos::Offset(s, e) => !replaced.covers(s, e),
            Pos::Fixed(..) => true,
        });
        raw.retain_mut(|p| self.short_base64(p));
        label(&found.spans, &mut raw);
        // A settings entry (`key: value`) is scanned again by the text rules; what one of them
        // already found at the same place in the file itself is the same hit, not a second one.
        let mut seen: Vec<(usize, usize)> = raw
            .iter()
            .filter_map(|p| match p.pos {
                Pos::Offset(s, _) => Some((p.rule, s)),
                Pos::Fixed(..) => None,
            })
            .collect();
        seen.sort_unstable();
        out.retain(|h| match h.pos {
            Pos::Offset(s, _) => seen.binary_search(&(h.rule, s)).is_err(),
            Pos::Fixed(..) => true,
        });
        raw.extend(out);
        raw
    }

    /// A generic rule's value that is itself base64 of text (`password: cGFzc3dvcmQ=`, too
    /// short for the encoded-run finder) stands for its decoded form: the hit keeps its place,
    /// gains the `base64` step and is checked again decoded, so the fingerprint is of the real
    /// value and an encoded placeholder is dropped. Returns whether to keep the hit.
    fn short_base64(&self, p: &mut Pending) -> bool {
        let rule = &self.detector.rules()[p.rule];
        let shaped = p.secret.len() >= 8
            && p.secret.len().is_multiple_of(4)
            && p.secret
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        if !rule.generic || !shaped {
            return true;
        }
        let Some(decoded) = decode::base64_decode(&p.secret) else {
            return true;
        };
        if decoded.len() < 4
            || !decode::is_text(&decoded)
            || decoded.iter().any(u8::is_ascii_whitespace)
        {
            return true;
        }
        if verify::check(rule, &decoded).is_err() {
            return false;
        }
        p.secret = decoded;
        p.decoded.push("base64".into());
        true
    }

    /// Scan one derived blob and map its hits into the parent.
    fn derived(&mut self, d: &Derived, depth: Depth, budget: &Budget) -> Vec<Pending> {
        let mut hits: Vec<Pending> = match d.field {
            Some(field) => self
                .detector
                .detect_field(field, &d.data)
                .into_iter()
                .map(|m| Pending {
                    rule: m.rule,
                    secret: d.data[m.secret.clone()].to_vec(),
                    pos: Pos::Offset(m.secret.start, m.secret.end),
                    decoded: Vec::new(),
                    context: Vec::new(),
                    comment: false,
                    groups: groups(&d.data, &m),
                    part: None,
                })
                .collect(),
            None => Vec::new(),
        };
        if let Some(step) = &d.step {
            self.chain.push(step.clone());
        }
        let next = Depth {
            decode: depth.decode + 1,
            ..depth
        };
        hits.extend(self.level(&d.data, &d.name, next, budget, d.no_base64));
        if d.step.is_some() {
            self.chain.pop();
        }
        // Lines within this blob, for contexts that name one (notebook cells), in one pass.
        let lines: Vec<u32> = if d.line_context && d.context.is_some() {
            let offsets: Vec<usize> = hits
                .iter()
                .map(|h| match h.pos {
                    Pos::Offset(o, _) => o,
                    Pos::Fixed(..) => 0,
                })
                .collect();
            position::positions(&d.data, &offsets)
                .into_iter()
                .map(|(l, _)| l)
                .collect()
        } else {
            Vec::new()
        };
        for (i, h) in hits.iter_mut().enumerate() {
            if let Some(ctx) = &d.context {
                match (d.line_context, h.pos) {
                    (true, Pos::Offset(..)) => {
                        h.context.push(format!("{ctx}, line {}", lines[i]));
                    }
                    _ => h.context.push(ctx.clone()),
                }
            }
            if let Some(step) = &d.step {
                h.decoded.push(step.clone());
            }
            if let Pos::Offset(o, _) = h.pos
                && let Some(p) = d.anchor.map(o)
            {
                // A mapped hit has no end in the parent: it can never be "replaced" there.
                h.pos = Pos::Offset(p, p);
            }
        }
        if d.anchor == Anchor::Own {
            fix_positions(&d.data, &mut hits);
        }
        hits
    }

    fn archive(
        &mut self,
        kind: archive::Kind,
        data: &[u8],
        name: &str,
        depth: Depth,
        budget: &Budget,
    ) -> Vec<Pending> {
        if depth.archive >= self.limits.max_archive_depth || depth.decode >= self.limits.max_depth {
            self.problem(
                IssueKind::Truncated,
                format!(
                    "archive nesting cap ({}) reached; not opened",
                    self.limits.max_archive_depth
                ),
            );
            return Vec::new();
        }
        let next = Depth {
            decode: depth.decode + 1,
            archive: depth.archive + 1,
        };
        let mut hits = Vec::new();
        let mut members = Vec::new();
        let problems = archive::expand(
            kind,
            data,
            name,
            self.limits.max_members,
            budget,
            &mut |m| {
                members.push(m);
            },
        );
        for (kind, reason) in problems.into_iter().map(|p| (p.kind, p.reason)) {
            self.problem(kind, reason);
        }
        for m in members {
            // A compressed tar (`.tar.gz`, `.tar.xz`) is one archive, not two.
            let depth = if kind.is_stream() && archive::sniff(&m.data) == Some(archive::Kind::Tar) {
                Depth {
                    archive: depth.archive,
                    ..next
                }
            } else {
                next
            };
            self.chain.push(m.step.clone());
            let mut inner = self.level(&m.data, &m.name, depth, budget, false);
            self.chain.pop();
            label(&m.spans, &mut inner);
            fix_positions(&m.data, &mut inner);
            for h in &mut inner {
                h.context.extend(m.context.clone());
                h.decoded.push(m.step.clone());
            }
            hits.extend(inner);
        }
        hits
    }
}
