//! Paths named on the command line: which can be scanned and how (a tree, a stream, an error
//! with the reason), and where the configuration file is found for them. Part of the one
//! resolution step (`cli::config`); reads metadata, never file contents.

use std::path::{Path, PathBuf};

use super::super::args::ScanArgs;
use crate::config;
use crate::error::io_reason;
use crate::scan::Root;

/// The nearest `.sprawl.toml` at or above `dir`, stopping at the top of the git repository
/// holding `dir` (a directory with a `.git`); outside a repository only `dir` itself is looked
/// at. The path is spelt from `dir` (`../.sprawl.toml`), as messages show it.
pub(super) fn discover_config(dir: &Path) -> Option<PathBuf> {
    let canonical = std::fs::canonicalize(dir).ok()?;
    let in_repo = canonical.ancestors().any(|d| d.join(".git").exists());
    let mut spelt = dir.to_path_buf();
    for d in canonical.ancestors() {
        let candidate = spelt.join(config::FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if !in_repo || d.join(".git").exists() {
            return None;
        }
        spelt = spelt.join("..");
    }
    None
}

/// Roots that can be opened, and those that cannot with the reason. `-` is standard input; a
/// FIFO or pipe named on the command line (`<(...)`) is read as a stream. A root given twice
/// (however spelt) is scanned once, with a note.
pub(super) fn resolve_roots(
    a: &ScanArgs,
    notes: &mut Vec<String>,
) -> (Vec<Root>, Vec<(PathBuf, String)>) {
    let mut roots: Vec<Root> = Vec::new();
    let mut bad = Vec::new();
    let mut seen: Vec<(PathBuf, String)> = Vec::new();
    for p in &a.paths {
        let given = p.to_string_lossy().into_owned();
        if p.as_os_str() == "-" {
            if roots.iter().any(|r| r.stdin.is_some()) {
                notes.push("-: standard input given more than once; read once".into());
                continue;
            }
            roots.push(Root {
                given: "-".into(),
                path: p.clone(),
                stdin: Some(a.stdin_name.clone().unwrap_or_else(|| "-".into())),
                stream: false,
            });
            continue;
        }
        let kind = match root_kind(p) {
            Ok(kind) => kind,
            Err(reason) => {
                bad.push((p.clone(), reason));
                continue;
            }
        };
        if let Ok(c) = std::fs::canonicalize(p) {
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == c) {
                notes.push(format!("{given}: the same path as {first}; scanned once"));
                continue;
            }
            seen.push((c, given.clone()));
        }
        roots.push(Root {
            given,
            path: p.clone(),
            stdin: None,
            stream: kind == RootKind::Stream,
        });
    }
    (roots, bad)
}

/// What a path named on the command line is, as far as scanning it goes.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum RootKind {
    /// A directory or regular file that can be opened.
    Tree,
    /// A FIFO or pipe (`mkfifo`, `<(...)`): read to its end as one stream.
    Stream,
}

/// Decide whether `p` can be scanned: a directory that can be listed, a regular file that can be
/// opened, or a FIFO; anything else (missing, unreadable, a device such as `/dev/null`, a
/// socket) is an error naming why, so a CI step pointed at it never passes as clean.
pub(super) fn root_kind(p: &Path) -> Result<RootKind, String> {
    let meta = std::fs::metadata(p).map_err(|e| io_reason(&e))?;
    let ft = meta.file_type();
    if ft.is_dir() {
        std::fs::read_dir(p).map_err(|e| io_reason(&e))?;
        return Ok(RootKind::Tree);
    }
    if ft.is_file() {
        std::fs::File::open(p).map_err(|e| io_reason(&e))?;
        return Ok(RootKind::Tree);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Ok(RootKind::Stream);
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Err("a device, not a file, directory or pipe: not scanned".into());
        }
        if ft.is_socket() {
            return Err("a socket, not a file, directory or pipe: not scanned".into());
        }
    }
    Err("not a file, directory or pipe: not scanned".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_named_path_is() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.env");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(root_kind(dir.path()), Ok(RootKind::Tree));
        assert_eq!(root_kind(&file), Ok(RootKind::Tree));
        assert_eq!(
            root_kind(&dir.path().join("missing")),
            Err("no such file or directory".into())
        );
        #[cfg(unix)]
        {
            assert_eq!(
                root_kind(Path::new("/dev/null")),
                Err("a device, not a file, directory or pipe: not scanned".into())
            );
            let fifo = dir.path().join("pipe");
            let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
            // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            assert_eq!(root_kind(&fifo), Ok(RootKind::Stream));
            let sock = dir.path().join("s.sock");
            let _l = std::os::unix::net::UnixListener::bind(&sock).unwrap();
            assert_eq!(
                root_kind(&sock),
                Err("a socket, not a file, directory or pipe: not scanned".into())
            );
        }
    }

    #[test]
    fn the_config_is_found_up_to_the_repository_top() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("repo");
        std::fs::create_dir_all(top.join(".git")).unwrap();
        std::fs::create_dir_all(top.join("a/b")).unwrap();
        // Above the repository: never read.
        std::fs::write(dir.path().join(config::FILE_NAME), "").unwrap();
        assert_eq!(discover_config(&top.join("a/b")), None);
        std::fs::write(top.join(config::FILE_NAME), "").unwrap();
        assert_eq!(
            discover_config(&top.join("a/b")),
            Some(top.join("a/b/../../.sprawl.toml"))
        );
        std::fs::write(top.join("a").join(config::FILE_NAME), "").unwrap();
        assert_eq!(
            discover_config(&top.join("a/b")),
            Some(top.join("a/b/../.sprawl.toml")),
            "the nearest wins"
        );
        // Outside a repository: only the directory itself.
        let loose = dir.path().join("loose/sub");
        std::fs::create_dir_all(&loose).unwrap();
        assert_eq!(discover_config(&loose), None);
        assert_eq!(
            discover_config(dir.path()),
            Some(dir.path().join(".sprawl.toml"))
        );
    }
}
