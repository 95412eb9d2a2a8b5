//! Raw git objects: tree entries and commit headers parsed straight from the object bytes, and
//! author dates as RFC 3339.
//!
//! Parsing the raw bytes (rather than going through `git2::Tree`/`git2::Commit`) lets the history
//! walks read each object once through the object database without filling libgit2's parsed
//! object cache. Pure: no I/O; malformed bytes end the iteration, they never panic.

use git2::Oid;

/// Length of a SHA-1 object id. SHA-256 repositories are refused when opened by libgit2.
const OID_LEN: usize = 20;

/// What a tree entry points at, from its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A subtree (`040000`).
    Tree,
    /// A file or symbolic link (`100644`, `100755`, `120000`).
    Blob,
    /// A submodule commit (`160000`), never followed.
    Gitlink,
}

/// One entry of a tree object.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// What it points at.
    pub kind: EntryKind,
    /// The file name, raw bytes (git does not require UTF-8).
    pub name: &'a [u8],
    /// The object id.
    pub oid: Oid,
}

/// Iterate the entries of a raw tree object. Stops at the first malformed entry; the caller
/// checks [`Entries::malformed`] afterwards.
pub struct Entries<'a> {
    rest: &'a [u8],
    /// True once a malformed entry was met.
    pub malformed: bool,
}

/// The entries of the raw tree `data`.
pub fn entries(data: &[u8]) -> Entries<'_> {
    Entries {
        rest: data,
        malformed: false,
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        loop {
            if self.rest.is_empty() || self.malformed {
                return None;
            }
            let parsed = parse_entry(self.rest);
            let Some((mode, name, oid, used)) = parsed else {
                self.malformed = true;
                return None;
            };
            self.rest = &self.rest[used..];
            let kind = match mode {
                0o040000 => EntryKind::Tree,
                0o160000 => EntryKind::Gitlink,
                m if m & 0o170000 == 0o100000 || m == 0o120000 => EntryKind::Blob,
                _ => continue,
            };
            return Some(Entry { kind, name, oid });
        }
    }
}

/// `<octal mode> SP <name> NUL <20-byte id>` -> (mode, name, id, bytes used).
fn parse_entry(data: &[u8]) -> Option<(u32, &[u8], Oid, usize)> {
    let sp = memchr::memchr(b' ', data)?;
    let mut mode = 0u32;
    for &c in &data[..sp] {
        if !(b'0'..=b'7').contains(&c) || mode > 0o7777777 {
            return None;
        }
        mode = mode * 8 + u32::from(c - b'0');
    }
    let nul = sp + 1 + memchr::memchr(0, &data[sp + 1..])?;
    let end = nul + 1 + OID_LEN;
    let raw = data.get(nul + 1..end)?;
    let oid = Oid::from_bytes(raw).ok()?;
    Some((mode, &data[sp + 1..nul], oid, end))
}

/// The headers of a raw commit the history walks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitHeader {
    /// The root tree.
    pub tree: Oid,
    /// Parent commits, in order.
    pub parents: Vec<Oid>,
    /// Committer time, seconds since the epoch (0 when the line is missing or malformed).
    pub time: i64,
}

/// Parse the `tree`, `parent` and `committer` header lines of a raw commit. `None` if there is
/// no valid tree.
pub fn commit_header(data: &[u8]) -> Option<CommitHeader> {
    let mut tree = None;
    let mut parents = Vec::new();
    let mut time = 0;
    for line in data.split(|&b| b == b'\n') {
        if line.is_empty() {
            break; // end of headers
        }
        if let Some(hex) = line.strip_prefix(b"tree ") {
            tree = Some(parse_hex_oid(hex)?);
        } else if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(parse_hex_oid(hex)?);
        } else if let Some(who) = line.strip_prefix(b"committer ") {
            time = signature_time(who).unwrap_or(0);
            break; // nothing later is needed
        }
    }
    Some(CommitHeader {
        tree: tree?,
        parents,
        time,
    })
}

/// The seconds of a signature `Name <email> 1700000000 +0100`: the next-to-last field after
/// the last `>`.
fn signature_time(who: &[u8]) -> Option<i64> {
    let after = &who[who.iter().rposition(|&b| b == b'>')? + 1..];
    let mut fields = after.split(|&b| b == b' ').filter(|f| !f.is_empty());
    std::str::from_utf8(fields.next()?).ok()?.parse().ok()
}

fn parse_hex_oid(hex: &[u8]) -> Option<Oid> {
    if hex.len() != OID_LEN * 2 {
        return None;
    }
    Oid::from_str(std::str::from_utf8(hex).ok()?).ok()
}

pub use crate::codec::rfc3339;

#[cfg(test)]
mod tests {
    use super::*;

    fn raw_tree(entries: &[(&str, &[u8], [u8; 20])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, oid) in entries {
            out.extend_from_slice(mode.as_bytes());
            out.push(b' ');
            out.extend_from_slice(name);
            out.push(0);
            out.extend_from_slice(oid);
        }
        out
    }

    #[test]
    fn tree_entries_by_kind() {
        let data = raw_tree(&[
            ("100644", b"a.txt", [1; 20]),
            ("40000", b"dir", [2; 20]),
            ("160000", b"sub", [3; 20]),
            ("120000", b"link", [4; 20]),
            ("100755", b"caf\xe9.sh", [5; 20]),
        ]);
        let got: Vec<(EntryKind, Vec<u8>, u8)> = entries(&data)
            .map(|e| (e.kind, e.name.to_vec(), e.oid.as_bytes()[0]))
            .collect();
        assert_eq!(
            got,
            vec![
                (EntryKind::Blob, b"a.txt".to_vec(), 1),
                (EntryKind::Tree, b"dir".to_vec(), 2),
                (EntryKind::Gitlink, b"sub".to_vec(), 3),
                (EntryKind::Blob, b"link".to_vec(), 4),
                (EntryKind::Blob, b"caf\xe9.sh".to_vec(), 5),
            ]
        );
    }

    #[test]
    fn truncated_tree_is_malformed() {
        let mut data = raw_tree(&[("100644", b"a", [1; 20]), ("100644", b"b", [2; 20])]);
        data.truncate(data.len() - 3);
        let mut it = entries(&data);
        assert_eq!(it.by_ref().count(), 1);
        assert!(it.malformed);
    }

    #[test]
    fn commit_headers() {
        let raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
parent 1111111111111111111111111111111111111111\n\
parent 2222222222222222222222222222222222222222\n\
author A <a@x> 0 +0000\ncommitter C <c> d <c@x> 1700000000 +0100\n\ncommit message\n\
tree 3333333333333333333333333333333333333333\n";
        let h = commit_header(raw).unwrap();
        assert_eq!(
            h.tree.to_string(),
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        );
        assert_eq!(h.parents.len(), 2);
        assert_eq!(h.time, 1_700_000_000);
        let no_time = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ncommitter C <c@x>\n";
        assert_eq!(commit_header(no_time).unwrap().time, 0);
        assert!(commit_header(b"author A <a@x> 0 +0000\n").is_none());
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00+00:00");
        assert_eq!(rfc3339(1_700_000_000, 60), "2023-11-14T23:13:20+01:00");
        assert_eq!(rfc3339(951_782_400, -330), "2000-02-28T18:30:00-05:30");
        assert_eq!(rfc3339(-86_400, 0), "1969-12-31T00:00:00+00:00");
    }
}
