//! Reading objects by id: what the history scan's workers call for each object of the list.
//!
//! One [`ObjectReader`] per worker thread (a `git2::Repository` is not shared across threads).
//! It reads headers first so non-blobs and oversized blobs cost no inflation, and reports a
//! missing or corrupt object as a reason, never a failure.

use std::path::Path;

use git2::{ObjectType, Odb, OdbObject, Oid, Repository};

/// An object of the list, as far as the scan cares.
pub enum Object<'r> {
    /// A blob within the size cap, with its bytes.
    Blob(OdbObject<'r>),
    /// A commit (counted by the scan when it lists the whole object database).
    Commit,
    /// A tree or a tag.
    Other,
    /// A blob above the size cap (not inflated).
    TooLarge,
    /// Missing or corrupt: the reason.
    Bad(String),
}

/// A repository opened for reading objects on one thread.
pub struct ObjectReader {
    // The object database borrows the repository; both live as long as the reader.
    repo: Repository,
}

impl ObjectReader {
    /// Open the repository at `git_dir`; the error is libgit2's message.
    pub fn open(git_dir: &Path) -> Result<ObjectReader, String> {
        super::init();
        let repo = Repository::open(git_dir).map_err(|e| e.message().to_string())?;
        Ok(ObjectReader { repo })
    }

    /// The object database to read from (once per worker).
    pub fn odb(&self) -> Result<Odb<'_>, String> {
        self.repo.odb().map_err(|e| e.message().to_string())
    }
}

/// Read object `oid` from `odb`: a blob's bytes only when it is at most `max_size` bytes.
pub fn read<'r>(odb: &'r Odb<'_>, oid: Oid, max_size: u64) -> Object<'r> {
    let (size, kind) = match odb.read_header(oid) {
        Ok(h) => h,
        Err(e) => return Object::Bad(e.message().to_string()),
    };
    match kind {
        ObjectType::Blob if size as u64 > max_size => Object::TooLarge,
        ObjectType::Blob => match odb.read(oid) {
            Ok(obj) => Object::Blob(obj),
            Err(e) => Object::Bad(e.message().to_string()),
        },
        ObjectType::Commit => Object::Commit,
        _ => Object::Other,
    }
}
