//! Hash maps and sets keyed by git object ids, hashed by the id's first eight bytes.
//!
//! An object id is already a uniform hash of the object, so hashing it again (the standard
//! library's SipHash over 20 bytes plus a length) only costs time: a rescan of curl's mirror
//! looks up its 87,000 commits several times over while it orders them. Ids are not chosen by
//! whoever hashes them here, and a collision on the first 64 bits of SHA-1 only slows one lookup
//! (equality still compares the whole id), so flooding is no concern.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use git2::Oid;

/// A map keyed by object ids.
pub type IdMap<V> = HashMap<Oid, V, BuildHasherDefault<IdHasher>>;
/// A set of object ids.
pub type IdSet = HashSet<Oid, BuildHasherDefault<IdHasher>>;

/// Hashes an id by its first eight bytes (anything else written is folded in, so it stays a
/// correct hasher for any key).
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(29) ^ u64::from_le_bytes(word);
            if bytes.len() >= 8 {
                // An id: its first eight bytes are hash enough.
                break;
            }
        }
    }

    fn write_usize(&mut self, _len: usize) {
        // The length prefix of a slice: the same for every id.
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// An empty map sized for `n` ids.
pub fn map_with_capacity<V>(n: usize) -> IdMap<V> {
    IdMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differing_only_after_the_eighth_byte_are_still_told_apart() {
        let mut a = [7u8; 20];
        let mut set = IdSet::default();
        set.insert(Oid::from_bytes(&a).unwrap());
        a[19] = 8;
        set.insert(Oid::from_bytes(&a).unwrap());
        assert_eq!(set.len(), 2);
        let mut m: IdMap<u32> = map_with_capacity(4);
        m.insert(Oid::from_bytes(&a).unwrap(), 1);
        assert_eq!(m.get(&Oid::from_bytes(&a).unwrap()), Some(&1));
        a[19] = 9;
        assert_eq!(m.get(&Oid::from_bytes(&a).unwrap()), None);
    }

    #[test]
    fn the_hash_is_the_first_eight_bytes_of_the_id() {
        let mut bytes = [0u8; 20];
        bytes[..8].copy_from_slice(&0x0123_4567_89ab_cdefu64.to_le_bytes());
        let mut h = IdHasher::default();
        std::hash::Hash::hash(&Oid::from_bytes(&bytes).unwrap(), &mut h);
        assert_eq!(h.finish(), 0x0123_4567_89ab_cdef);
    }
}
