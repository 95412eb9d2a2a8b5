//! The one resolution step of `sprawl scan`: flags plus `.sprawl.toml` (plus defaults) become one
//! plain, fully resolved [`ScanConfig`], the way fd builds its `Config` and ripgrep its
//! `HiArgs`. Everything after this reads the config, never the flags or the file.
//!
//! Precedence: flags > config file > defaults. Everything that can be wrong (a bad size, an
//! unknown rule id, an unreadable baseline) fails here, before anything is scanned. Globs and
//! allowlists were compiled once, when the file was parsed (`config::Compiled`).

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};

mod paths;

use paths::{discover_config, resolve_roots};

use super::args::{ClassArg, ColorArg, FormatArg, GitArgs, ScanArgs, SeverityArg};
use super::load_rules;
use crate::baseline::Baseline;
use crate::config::{self, Allowlist, ConfigFile};
use crate::correlate::apps::Area;
use crate::error::io_reason;
use crate::report::Format;
use crate::rules::{Rule, Severity};
use crate::scan::Root;
use crate::scan::workstation::Workstation;
use crate::source::Class;
use crate::source::decode::Limits;
use crate::source::git::{HistoryMode, HistoryOptions};
use crate::walk::WalkOptions;

/// Default `--max-file-size`.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

/// Default `--fail-in`: code and configuration. A credential only in tests, docs, examples or
/// vendored code is reported (at low severity) without failing the build.
pub const DEFAULT_FAIL_IN: [Class; 2] = [Class::Config, Class::Source];

/// Everything `sprawl scan` does, resolved. No clap types, no file left to read but the
/// scanned ones.
pub(super) struct ScanConfig {
    /// Roots that can be opened, in command-line order.
    pub roots: Vec<Root>,
    /// Roots that cannot: the path and why (an error each; the rest is still scanned).
    pub bad_roots: Vec<(PathBuf, String)>,
    /// Walk options (threads, ignore files, size cap, excludes).
    pub walk: WalkOptions,
    /// Which history to scan.
    pub history: HistoryOptions,
    /// `--staged`: only what is staged in the repository of the one root.
    pub staged: bool,
    /// `--workstation`: the home and the environment to inventory.
    pub workstation: Option<Workstation>,
    /// Decoding caps.
    pub limits: Limits,
    /// The rules to run (built-in, files, inline; disabled ones removed).
    pub rules: Vec<Rule>,
    /// Allowlists and rule scopes.
    pub allow: Allowlist,
    /// `[[applications]]` overrides.
    pub applications: Vec<Area>,
    /// `[[environments]]` overrides.
    pub environments: Vec<Area>,
    /// Lowest severity that fails the run.
    pub fail_on: Severity,
    /// Location classes whose findings fail the run.
    pub fail_in: Vec<Class>,
    /// `--baseline`: the baseline and its file name as given.
    pub baseline: Option<(Baseline, String)>,
    /// `--write-baseline`.
    pub write_baseline: Option<PathBuf>,
    /// Report format.
    pub format: Format,
    /// `--output`.
    pub output: Option<PathBuf>,
    /// Colour the human view (when writing to stdout).
    pub color: ColorArg,
    /// `--show-secrets`.
    pub show_secrets: bool,
    /// `--verbose`.
    pub verbose: bool,
    /// `--quiet`.
    pub quiet: bool,
    /// Remarks about the config file (a translated gitleaks file) and the roots (one given
    /// twice), shown as warnings.
    pub notes: Vec<String>,
    /// `--allow-partial` / `scan.allow_partial`: an input cut off at a decode cap does not make
    /// the exit code 2.
    pub allow_partial: bool,
    /// The configuration file read, if any.
    pub config_path: Option<PathBuf>,
    /// Where the blob cache lives; `None`: scan without it (`--no-cache`, `scan.cache = false`,
    /// no home to find the default in).
    pub cache_dir: Option<PathBuf>,
    /// `cache_dir` is the default one (no `--cache-dir`): when it lies inside a scanned path or
    /// home (`sprawl scan ~`, `--workstation`), the scan goes without it and says so only with
    /// `--verbose`, since the user asked for nothing.
    pub cache_default: bool,
}

impl ScanConfig {
    /// Resolve `a` and the config file it names (or finds).
    pub fn resolve(a: ScanArgs) -> Result<ScanConfig> {
        ScanConfig::resolve_with(a, false)
    }

    /// Resolve `a`; `migrating` accepts version-1 fingerprints in `[allow]` (which `sprawl
    /// migrate` rewrites) instead of failing on them.
    pub fn resolve_with(mut a: ScanArgs, migrating: bool) -> Result<ScanConfig> {
        if a.paths.is_empty() && !a.workstation {
            a.paths.push(PathBuf::from("."));
        }
        let workstation = match a.workstation {
            true => Some(resolve_workstation(&a)?),
            false => None,
        };
        let cfg = load_config(&a)?;
        if !migrating && let Some((key, _)) = cfg.compiled.allow.legacy_fingerprints().first() {
            return Err(cfg
                .error(
                    key,
                    "a version-1 fingerprint (the bare SHA-256 of the secret, which gives weak \
                     secrets back) is no longer accepted; run `sprawl migrate` to rewrite the \
                     file with version-2 fingerprints",
                )
                .into());
        }
        let mut notes: Vec<String> = cfg
            .notes
            .iter()
            .map(|n| format!("{}: {n}", cfg.name()))
            .collect();
        let max_file_size = match &a.max_file_size {
            Some(s) => config::parse_size(s).map_err(|e| anyhow!("--max-file-size: {e}"))?,
            None => cfg.max_file_size()?.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        };
        let fail_on = match a.fail_on {
            Some(s) => severity(s),
            None => cfg.fail_on()?.unwrap_or(Severity::Info),
        };
        let fail_in = if a.fail_in.is_empty() {
            cfg.fail_in()?.unwrap_or_else(|| DEFAULT_FAIL_IN.to_vec())
        } else {
            classes(&a.fail_in)
        };
        // Read the baseline now, so a bad file fails before scanning.
        let baseline = match &a.baseline {
            Some(path) => Some((Baseline::load(path)?, path.display().to_string())),
            None => None,
        };
        let rules = resolve_rules(&a, &cfg)?;
        if a.git.staged && a.paths.len() > 1 {
            return Err(anyhow!(
                "--staged scans one repository: give at most one path"
            ));
        }
        let limits = resolve_limits(&a)?;
        let (roots, bad_roots) = resolve_roots(&a, &mut notes);
        let exclude_base = cfg.base_dir_canonical();
        let config_path = cfg.path.clone();
        let allow_partial = a.allow_partial || cfg.scan.allow_partial.unwrap_or(false);
        let cache_dir = match (a.cache.no_cache, &a.cache.cache_dir, cfg.scan.cache) {
            (true, _, _) | (_, None, Some(false)) => None,
            (_, Some(dir), _) => Some(dir.clone()),
            _ => crate::cache::default_dir(),
        };
        let threads = resolve_threads(a.threads, default_threads(), &mut notes);
        let compiled = cfg.compiled;
        let area = |(name, paths)| Area { name, paths };
        Ok(ScanConfig {
            roots,
            bad_roots,
            walk: WalkOptions {
                threads,
                respect_ignore: !a.no_ignore,
                max_file_size,
                exclude: compiled.exclude,
                exclude_base,
                skip_files: Vec::new(),
            },
            history: history_options(&a.git),
            staged: a.git.staged,
            workstation,
            limits,
            rules,
            allow: compiled.allow,
            applications: compiled.applications.into_iter().map(area).collect(),
            environments: compiled.environments.into_iter().map(area).collect(),
            fail_on,
            fail_in,
            baseline,
            write_baseline: a.write_baseline,
            format: match a.format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
                FormatArg::Jsonl => Format::Jsonl,
                FormatArg::Sarif => Format::Sarif,
                FormatArg::Html => Format::Html,
            },
            output: a.output,
            color: a.color,
            show_secrets: a.show_secrets,
            verbose: a.verbose,
            quiet: a.quiet,
            notes,
            allow_partial,
            config_path,
            cache_default: a.cache.cache_dir.is_none(),
            cache_dir,
        })
    }
}

/// Built-in rules (unless turned off), rule files from flags and config, inline `[[rule]]`s;
/// ids unique, every id the config names known, disabled rules removed.
fn resolve_rules(a: &ScanArgs, cfg: &ConfigFile) -> Result<Vec<Rule>> {
    let mut extra = a.rules.clone();
    extra.extend(cfg.rules.files.iter().map(|f| cfg.base_dir().join(f)));
    let builtin = !a.no_builtin_rules && cfg.rules.builtin.unwrap_or(true);
    let mut rules = load_rules(builtin, &extra)?;
    let origin = cfg.name();
    for spec in &cfg.inline_rules {
        rules.push(Rule::compile(spec.clone(), &origin, false)?);
    }
    crate::rules::check_unique_ids(&rules)?;
    for id in cfg.compiled.allow.named_rules() {
        if !rules.iter().any(|r| r.id == id) {
            return Err(cfg
                .error("allow/rules.scope", format!("unknown rule id {id:?}"))
                .into());
        }
    }
    for id in &cfg.rules.disable {
        if !rules.iter().any(|r| &r.id == id) {
            return Err(cfg
                .error("rules.disable", format!("unknown rule id {id:?}"))
                .into());
        }
    }
    rules.retain(|r| !cfg.rules.disable.contains(&r.id));
    Ok(rules)
}

/// The config file: none with `--no-config`, `--config FILE`, or the nearest `.sprawl.toml`
/// from the first scanned directory up to the top of its git repository (like `.gitignore`;
/// outside a repository, only that directory).
fn load_config(a: &ScanArgs) -> Result<ConfigFile> {
    if a.no_config {
        return Ok(ConfigFile::default());
    }
    if let Some(path) = &a.config {
        return Ok(ConfigFile::load(path)?);
    }
    let first_dir = a.paths.iter().find_map(|p| {
        if p.is_dir() {
            Some(p.clone())
        } else if p.is_file() {
            p.parent()
                .map(|d| {
                    if d.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        d
                    }
                })
                .map(Path::to_path_buf)
        } else {
            None
        }
    });
    match first_dir.and_then(|d| discover_config(&d)) {
        Some(path) => Ok(ConfigFile::load(&path)?),
        None => Ok(ConfigFile::default()),
    }
}

/// `--workstation`: the home (`--home`, else `$HOME`, else `%USERPROFILE%`) and a copy of the
/// process environment. A home that is not a directory is an error: the inventory asked for
/// cannot be taken.
fn resolve_workstation(a: &ScanArgs) -> Result<Workstation> {
    if a.git.staged {
        return Err(anyhow!("--workstation cannot be combined with --staged"));
    }
    let home = match &a.home {
        Some(h) => h.clone(),
        None => std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .ok_or_else(|| {
                anyhow!("--workstation: no home folder (set HOME or give --home DIR)")
            })?,
    };
    match std::fs::metadata(&home) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(anyhow!("{}: --home is not a directory", home.display())),
        Err(e) => return Err(anyhow!("{}: {}", home.display(), io_reason(&e))),
    }
    Ok(Workstation {
        given: home.to_string_lossy().into_owned(),
        home,
        environment: Some(crate::source::workstation::environment(std::env::vars_os())),
    })
}

fn history_options(g: &GitArgs) -> HistoryOptions {
    let mode = if g.no_history {
        HistoryMode::Off
    } else if g.history_only {
        HistoryMode::Only
    } else {
        HistoryMode::WithFiles
    };
    HistoryOptions {
        mode,
        branch: g.branch.clone(),
        since: g.since_commit.clone(),
        unreachable: g.unreachable,
    }
}

/// Decoding caps: flags over defaults.
fn resolve_limits(a: &ScanArgs) -> Result<Limits> {
    let mut l = Limits::default();
    l.max_depth = a.max_decode_depth.unwrap_or(l.max_depth);
    l.max_archive_depth = a.max_archive_depth.unwrap_or(l.max_archive_depth);
    l.max_members = a.max_archive_members.unwrap_or(l.max_members);
    if let Some(s) = &a.max_decompressed_size {
        l.max_decompressed =
            config::parse_size(s).map_err(|e| anyhow!("--max-decompressed-size: {e}"))?;
    }
    Ok(l)
}

/// Most worker threads per core `--threads` may ask for; more only costs memory and switches.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// `--threads N`: 0 or absent means one per core; more than [`MAX_THREADS_PER_CORE`] per core
/// is capped there, with a note (`--threads 100000` must not start 100,000 threads).
fn resolve_threads(asked: Option<usize>, cores: usize, notes: &mut Vec<String>) -> usize {
    let cap = cores.max(1) * MAX_THREADS_PER_CORE;
    match asked {
        None | Some(0) => cores.max(1),
        Some(n) if n > cap => {
            notes.push(format!(
                "--threads {n}: capped at {cap} ({MAX_THREADS_PER_CORE} per core, {cores} cores)"
            ));
            cap
        }
        Some(n) => n,
    }
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn classes(list: &[ClassArg]) -> Vec<Class> {
    let mut out = Vec::new();
    for c in list {
        match c {
            ClassArg::All => out.extend(Class::ALL),
            ClassArg::Config => out.push(Class::Config),
            ClassArg::Source => out.push(Class::Source),
            ClassArg::Vendored => out.push(Class::Vendored),
            ClassArg::Example => out.push(Class::Example),
            ClassArg::Test => out.push(Class::Test),
            ClassArg::Docs => out.push(Class::Docs),
        }
    }
    out
}

fn severity(s: SeverityArg) -> Severity {
    match s {
        SeverityArg::Info => Severity::Info,
        SeverityArg::Low => Severity::Low,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::High => Severity::High,
        SeverityArg::Critical => Severity::Critical,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_capped_per_core() {
        let mut notes = Vec::new();
        assert_eq!(resolve_threads(None, 2, &mut notes), 2);
        assert_eq!(resolve_threads(Some(0), 2, &mut notes), 2);
        assert_eq!(resolve_threads(Some(3), 2, &mut notes), 3);
        assert_eq!(resolve_threads(Some(8), 2, &mut notes), 8);
        assert!(notes.is_empty());
        assert_eq!(resolve_threads(Some(100_000), 2, &mut notes), 8);
        assert_eq!(
            notes,
            ["--threads 100000: capped at 8 (4 per core, 2 cores)"]
        );
    }
}
