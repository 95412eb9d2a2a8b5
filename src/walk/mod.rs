//! The parallel walker: finds the regular files under a root, honouring ignore files, and hands
//! each to a per-thread visitor. It decides *which* files to read, never what is in them.
//!
//! Built on `ignore::WalkParallel` (ripgrep's walker): hidden files are walked (`.env` and
//! `.npmrc` matter), `.git` directories are never walked as files, symlinks are not followed,
//! FIFOs, sockets and devices are skipped without being opened (opening a FIFO blocks).
//!
//! Why not rayon (named on the design card): the walk is the parallel loop. `WalkParallel`
//! already runs reading and detection on its own worker threads as it discovers files, so a
//! file is scanned while the directory listing goes on; a rayon pool over a collected file list
//! would first wait for the whole listing and then hold every path in memory. The history scan
//! has its own reason for plain threads (pack order, see `scan::history`).

use std::path::{Path, PathBuf};

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use crate::error::{IssueKind, ScanIssue, io_reason};

/// What the walker may visit.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Worker threads.
    pub threads: usize,
    /// Honour `.gitignore`, `.ignore` and `.sprawlignore`.
    pub respect_ignore: bool,
    /// Files larger than this are skipped and counted.
    pub max_file_size: u64,
    /// Paths matching these globs are not walked: relative to [`Self::exclude_base`] for a root
    /// inside it, else to the root; `/`-separated.
    pub exclude: GlobSet,
    /// The directory the config file holding `exclude` lives in (resolved), if any.
    pub exclude_base: Option<PathBuf>,
    /// Files never to scan (the report being written and its temporary file), resolved.
    pub skip_files: Vec<PathBuf>,
}

/// A regular file to scan. The walker does not stat it: the reader learns its size from the
/// open file (one `fstat` instead of a path lookup here and another there).
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Path on disk.
    pub path: PathBuf,
    /// Path relative to the root, `/`-separated (empty when the root is the file itself).
    pub rel: String,
}

/// A sign of a git repository met during the walk, never descended into as files when it is a
/// `.git` entry. What it means (a work tree, a linked worktree, a submodule checkout, a bare
/// repository) is for `source::git` to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitEntry {
    /// The `.git` entry itself, or the directory that looks like a git directory.
    pub path: PathBuf,
    /// Depth below the root (1 = directly in it).
    pub depth: usize,
    /// True for a `.git` directory or a bare-looking directory, false for a `.git` file.
    pub is_dir: bool,
    /// True if `path` is a `.git` entry; false if it is a directory holding `HEAD`, `objects`
    /// and `refs` (a bare repository or a mirror), whose files are still walked.
    pub dot_git: bool,
}

/// What the walker tells a visitor.
#[derive(Debug)]
pub enum Event {
    /// A file to read.
    File(FileEntry),
    /// A `.git` entry, or (when asked for) a directory that looks like a git directory.
    Git(GitEntry),
    /// A FIFO, socket or device node, not opened.
    Special(PathBuf),
    /// A file or directory that could not be read.
    Issue(ScanIssue),
}

/// A walker over `root` with sprawl's rules for what to visit: hidden files included, links
/// not followed, ignore files (`.gitignore`, `.ignore`, `.sprawlignore`, in or out of a git
/// repository) honoured unless `--no-ignore`. Shared by the file walk and repository discovery
/// so both see the same tree.
pub fn builder(root: &Path, opts: &WalkOptions) -> WalkBuilder {
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .parents(opts.respect_ignore)
        .ignore(opts.respect_ignore)
        .git_ignore(opts.respect_ignore)
        .git_global(opts.respect_ignore)
        .git_exclude(opts.respect_ignore);
    if opts.respect_ignore {
        builder.add_custom_ignore_filename(".sprawlignore");
    }
    builder
}

/// True if `path` looks like a git directory: a bare repository, a mirror, or a `.git`
/// directory (`HEAD`, `objects/` and `refs/`).
pub fn looks_like_git_dir(path: &Path) -> bool {
    path.join("HEAD").is_file() && path.join("objects").is_dir() && path.join("refs").is_dir()
}

/// Walk `root` in parallel; `make_visitor` is called once per worker thread. `.git` entries
/// below the root are reported as [`Event::Git`] and not descended into; with `bare_repos`, a
/// directory below the root that [`looks_like_git_dir`] is reported too, when the walk meets
/// its `HEAD` file (its files are still walked).
pub fn walk<'s, F>(root: &Path, opts: &WalkOptions, bare_repos: bool, make_visitor: F)
where
    F: Fn() -> Box<dyn FnMut(Event) + Send + 's> + Sync,
{
    let mut builder = builder(root, opts);
    builder.threads(opts.threads.max(1));
    let root_buf = root.to_path_buf();
    let exclude = opts.exclude.clone();
    let prefix = exclude_prefix(root, opts.exclude_base.as_deref());
    builder.filter_entry(move |entry| {
        if exclude.is_empty() {
            return true;
        }
        let rel = rel_path(&root_buf, entry.path());
        let rel = match (prefix.is_empty(), rel.is_empty()) {
            (true, _) => rel,
            (false, true) => prefix.clone(),
            (false, false) => format!("{prefix}/{rel}"),
        };
        !exclude.is_match(rel)
    });
    let skip = opts.skip_files.clone();
    builder.build_parallel().run(|| {
        let mut visit = make_visitor();
        let root = root.to_path_buf();
        let skip = skip.clone();
        Box::new(move |result| {
            match result {
                Ok(entry) => {
                    let Some(ft) = entry.file_type() else {
                        return WalkState::Continue;
                    };
                    let depth = entry.depth();
                    if depth > 0 && entry.file_name() == ".git" {
                        visit(Event::Git(GitEntry {
                            path: entry.path().to_path_buf(),
                            depth,
                            is_dir: ft.is_dir(),
                            dot_git: true,
                        }));
                        return WalkState::Skip;
                    }
                    if ft.is_dir() {
                        return WalkState::Continue;
                    }
                    // A bare repository is walked like any directory; its `HEAD` file tells
                    // what it is (a check per `HEAD` file, not a probe per directory).
                    if bare_repos
                        && depth > 1
                        && ft.is_file()
                        && entry.file_name() == "HEAD"
                        && let Some(dir) = entry.path().parent()
                        && looks_like_git_dir(dir)
                    {
                        visit(Event::Git(GitEntry {
                            path: dir.to_path_buf(),
                            depth: depth - 1,
                            is_dir: true,
                            dot_git: false,
                        }));
                    }
                    if ft.is_symlink() {
                        return WalkState::Continue;
                    }
                    if !ft.is_file() {
                        visit(Event::Special(entry.path().to_path_buf()));
                        return WalkState::Continue;
                    }
                    if is_skipped(&skip, entry.path()) {
                        return WalkState::Continue;
                    }
                    visit(Event::File(FileEntry {
                        path: entry.path().to_path_buf(),
                        rel: rel_path(&root, entry.path()),
                    }));
                }
                Err(err) => visit(Event::Issue(walk_issue(err, root.as_path()))),
            }
            WalkState::Continue
        })
    });
}

/// Where `root` sits below the config's directory (`src/app`), `/`-separated; empty when it is
/// that directory, not below it, or there is no config file.
pub fn exclude_prefix(root: &Path, base: Option<&Path>) -> String {
    let (Some(base), Ok(root)) = (base, std::fs::canonicalize(root)) else {
        return String::new();
    };
    match root.strip_prefix(base) {
        Ok(rel) => rel_path(Path::new(""), rel),
        Err(_) => String::new(),
    }
}

fn is_skipped(skip: &[PathBuf], path: &Path) -> bool {
    if !skip.iter().any(|s| s.file_name() == path.file_name()) {
        return false;
    }
    std::fs::canonicalize(path).is_ok_and(|p| skip.contains(&p))
}

/// `path` relative to `root`, `/`-separated, lossy for non-UTF-8 names.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for (i, part) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

/// Turn a walker error into a one-line issue naming the path.
fn walk_issue(err: ignore::Error, fallback: &Path) -> ScanIssue {
    let mut path = fallback.to_path_buf();
    let mut err = err;
    loop {
        match err {
            ignore::Error::WithPath {
                path: p,
                err: inner,
            } => {
                path = p;
                err = *inner;
            }
            ignore::Error::WithDepth { err: inner, .. }
            | ignore::Error::WithLineNumber { err: inner, .. } => {
                err = *inner;
            }
            ignore::Error::Partial(mut errs) if !errs.is_empty() => err = errs.remove(0),
            ignore::Error::Io(io) => {
                return issue(IssueKind::Unreadable, &path, io_reason(&io));
            }
            ignore::Error::Loop { child, .. } => {
                return issue(IssueKind::Unreadable, &child, "symlink loop".into());
            }
            other => return issue(IssueKind::Unreadable, &path, other.to_string()),
        }
    }
}

fn issue(kind: IssueKind, path: &Path, reason: String) -> ScanIssue {
    ScanIssue {
        kind,
        path: path.display().to_string(),
        reason,
    }
}
