//! Decoding a pack's delta trees: [`Forest::walk`] inflates each entry of a subtree once and
//! applies each delta once, keeping one decoded object per level of the current path.

use super::Forest;
use crate::source::git::packread::{self, Inflater, apply_delta, delta_sizes};

/// Decoded buffers a walker keeps for reuse between objects.
const POOL: usize = 8;

/// One walker's reusable state: an inflater and buffers.
#[derive(Default)]
pub struct Decoder {
    inflater: Inflater,
    raw: Vec<u8>,
    delta: Vec<u8>,
    pool: Vec<Vec<u8>>,
}

struct Frame {
    node: usize,
    bytes: Vec<u8>,
    next: usize,
}

impl Forest {
    /// Decode the subtree of `root` as far as it holds needed entries and call `visit` for each
    /// needed one: with its bytes, or `None` when it is larger than `max_size` (a needed leaf
    /// that large is not even built). Entries that fail to decode are skipped with their subtree.
    pub fn walk(
        &self,
        root: usize,
        counts: &[u32],
        needed: &[bool],
        max_size: u64,
        dec: &mut Decoder,
        visit: &mut impl FnMut(usize, Option<&[u8]>),
    ) {
        if counts[root] == 0 {
            return;
        }
        if needed[root] && counts[root] == 1 && self.size[root] > max_size {
            visit(root, None);
            return;
        }
        let mut bytes = dec.pool.pop().unwrap_or_default();
        if self.inflate(root, dec, Some(&mut bytes)).is_err() {
            dec.pool.push(bytes);
            return;
        }
        if needed[root] {
            visit(root, (bytes.len() as u64 <= max_size).then_some(&bytes[..]));
        }
        let next = self.kids_at[root] as usize;
        let mut stack = vec![Frame {
            node: root,
            bytes,
            next,
        }];
        while let Some(top) = stack.last_mut() {
            let end = self.kids_at[top.node + 1] as usize;
            let live = |from: usize| {
                (from..end)
                    .find(|&k| counts[self.kids[k] as usize] > 0)
                    .unwrap_or(end)
            };
            let at = live(top.next);
            if at == end {
                let done = stack.pop().map(|f| f.bytes);
                dec.pool.extend(done);
                continue;
            }
            let kid = self.kids[at] as usize;
            top.next = live(at + 1);
            let last = top.next == end;
            if self.inflate(kid, dec, None).is_err() {
                continue;
            }
            let only_itself = needed[kid] && counts[kid] == 1;
            if only_itself && delta_sizes(&dec.delta).is_some_and(|(_, size, _)| size > max_size) {
                visit(kid, None);
                continue;
            }
            let mut out = dec.pool.pop().unwrap_or_default();
            if apply_delta(&top.bytes, &dec.delta, &mut out).is_err() {
                dec.pool.push(out);
                continue;
            }
            if last {
                // A chain's last child replaces its parent: a chain costs one buffer, not its depth.
                let done = stack.pop().map(|f| f.bytes);
                dec.pool.extend(done);
            }
            if needed[kid] {
                visit(kid, (out.len() as u64 <= max_size).then_some(&out[..]));
            }
            if counts[kid] > u32::from(needed[kid]) {
                let next = self.kids_at[kid] as usize;
                stack.push(Frame {
                    node: kid,
                    bytes: out,
                    next,
                });
            } else {
                dec.pool.push(out);
            }
        }
        dec.pool.truncate(POOL);
    }

    /// Inflate entry `e`'s zlib stream: into `out` for a whole object, into the decoder's delta
    /// buffer for a delta (`out` is `None`).
    fn inflate(&self, e: usize, dec: &mut Decoder, out: Option<&mut Vec<u8>>) -> Result<(), ()> {
        let start = self.offsets[e] + u64::from(self.header[e]);
        let stop = self.offsets.get(e + 1).copied().unwrap_or(self.end);
        let len = usize::try_from(stop.saturating_sub(start)).map_err(drop)?;
        packread::read_at(&self.file, start, len, &mut dec.raw).map_err(drop)?;
        let target = match out {
            Some(out) => out,
            None => &mut dec.delta,
        };
        dec.inflater
            .inflate(&dec.raw, self.size[e], target)
            .map_err(drop)
    }
}
