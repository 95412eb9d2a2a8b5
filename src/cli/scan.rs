//! `sprawl scan`: resolve flags and `.sprawl.toml` into walk options and a rule set, run the
//! scan, correlate, and render. Precedence: flags > config file > defaults.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};

use super::args::{ColorArg, FormatArg, GitArgs, ScanArgs};
use super::policy::{self, Policy};
use super::{ExitStatus, finish_stdout, load_rules};
use crate::config::{self, ConfigFile, SizeValue};
use crate::correlate;
use crate::correlate::apps::AppOverride;
use crate::detect::Detector;
use crate::error::{Error, IssueKind, io_reason};
use crate::progress::Progress;
use crate::report::{self, Format, Report, Summary, diag};
use crate::scan::{self, Root, Stats};
use crate::source;
use crate::source::decode::Limits;
use crate::source::git::{HistoryMode, HistoryOptions};
use crate::walk::WalkOptions;

/// Default `--max-file-size`.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

pub(super) fn run(a: ScanArgs) -> Result<ExitStatus> {
    let mut status = ExitStatus::Clean;
    let cfg = load_config(&a)?;
    if !a.quiet {
        for note in &cfg.notes {
            diag::warn(&format!("{}: {note}", cfg_name(&cfg)));
        }
    }
    let max_file_size = resolve_size(&a, &cfg)?;
    let policy = Policy::resolve(&a, &cfg)?;

    let mut extra = a.rules.clone();
    extra.extend(cfg.rules.files.iter().map(|f| cfg.base_dir().join(f)));
    let builtin = !a.no_builtin_rules && cfg.rules.builtin.unwrap_or(true);
    let mut rules = load_rules(builtin, &extra)?;
    rules.extend(policy::inline_rules(&cfg)?);
    crate::rules::check_unique_ids(&rules)?;
    let allow = policy::allowlist(&cfg, &rules)?;
    for id in &cfg.rules.disable {
        if !rules.iter().any(|r| &r.id == id) {
            return Err(Error::Config(format!(
                "{}: rules.disable: unknown rule id {id:?}",
                cfg_name(&cfg)
            ))
            .into());
        }
    }
    rules.retain(|r| !cfg.rules.disable.contains(&r.id));
    let detector = Detector::new(rules);

    // Roots that cannot be opened are reported and skipped; the rest are still scanned.
    let mut roots = Vec::new();
    for p in &a.paths {
        if p.as_os_str() == "-" {
            roots.push(Root {
                given: "-".into(),
                path: p.clone(),
                stdin: Some(a.stdin_name.clone().unwrap_or_else(|| "-".into())),
            });
            continue;
        }
        match std::fs::metadata(p) {
            Ok(_) => roots.push(Root {
                given: p.to_string_lossy().into_owned(),
                path: p.clone(),
                stdin: None,
            }),
            Err(e) => {
                diag::error(&format!("{}: {}", p.display(), io_reason(&e)));
                status = status.combine(ExitStatus::Error);
            }
        }
    }

    let mut output = None;
    let mut skip_file = None;
    if let Some(path) = &a.output {
        let file = report::create_private(path)
            .with_context(|| format!("{}: cannot create report file", path.display()))?;
        skip_file = std::fs::canonicalize(path).ok();
        output = Some(file);
    }

    let opts = WalkOptions {
        threads: a.threads.unwrap_or_else(default_threads),
        respect_ignore: !a.no_ignore,
        max_file_size,
        exclude: build_excludes(&cfg)?,
        skip_file,
    };
    let stats = Arc::new(Stats::default());
    let progress = Progress::start(stats.clone(), !a.quiet);
    let quiet = a.quiet;
    if a.git.staged && a.paths.len() > 1 {
        return Err(anyhow::anyhow!(
            "--staged scans one repository: give at most one path"
        ));
    }
    let limits = resolve_limits(&a)?;
    let outcome = if a.git.staged {
        let decode_issues = std::sync::Mutex::new(Vec::new());
        let sink = |i| decode_issues.lock().map_or((), |mut v| v.push(i));
        let engine = scan::Engine::new(&detector, &stats)
            .limits(limits)
            .on_issue(&sink);
        let Some(root) = roots.first() else {
            return Ok(status); // the path could not be read (reported above)
        };
        let mut outcome = scan::staged::scan_staged(root, &opts, &engine, &stats)?;
        outcome
            .issues
            .extend(decode_issues.into_inner().unwrap_or_default());
        outcome
    } else {
        let history = history_options(&a.git);
        scan::scan_roots(
            &roots,
            &opts,
            &history,
            limits,
            &detector,
            &stats,
            &mut |issue| {
                if issue.kind == IssueKind::NotScanned {
                    diag::error(&issue.to_string());
                } else if !quiet {
                    diag::warn(&issue.to_string());
                }
            },
        )
    };
    progress.finish();
    if a.git.staged && !quiet {
        outcome
            .issues
            .iter()
            .for_each(|i| diag::warn(&i.to_string()));
    }
    // E.g. an unknown --since-commit: what was asked for was not scanned, so never "clean".
    if outcome
        .issues
        .iter()
        .any(|i| i.kind == IssueKind::NotScanned)
    {
        status = status.combine(ExitStatus::Error);
    }

    let mut hits = allow.filter(outcome.hits, detector.rules());
    annotate_hits(&roots, &cfg, &mut hits)?;
    let judged = policy.apply(correlate::correlate(hits, detector.rules()))?;
    status = status.combine(judged.status);
    let findings = judged.findings;
    let mut summary = Summary::new(
        outcome.counts,
        &findings,
        outcome.issues.len(),
        outcome.elapsed.as_millis() as u64,
    );
    summary.baselined = judged.baseline.as_ref().map(|b| b.suppressed);
    let report = Report {
        findings: &findings,
        issues: &outcome.issues,
        summary,
        show_secrets: a.show_secrets,
        baseline: judged.baseline.as_ref(),
    };
    let format = match a.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Sarif => Format::Sarif,
    };
    let result = match output {
        Some(mut file) => {
            let path = a.output.as_deref().unwrap_or(Path::new(""));
            report::render(&report, format, false, &mut file)
                .with_context(|| format!("{}: cannot write report", path.display()))?;
            Ok(status)
        }
        None => {
            let color = use_color(a.color);
            finish_stdout(|out| report::render(&report, format, color, out), status)
        }
    };
    if a.git.staged && !findings.is_empty() {
        // Printed even with --quiet: it is why the commit was refused.
        STAGED_HINT.lines().for_each(diag::note);
    }
    result
}

/// What a pre-commit user reads when `--staged` refuses a commit.
const STAGED_HINT: &str = "sprawl: the staged changes add secrets; the commit was stopped.
  unstage a file:  git restore --staged <path>   (remove the secret, then `git add` again)
  allow a path:    add it to `exclude` under [scan] in .sprawl.toml
  skip once:       git commit --no-verify";

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
    }
}

fn load_config(a: &ScanArgs) -> Result<ConfigFile> {
    if a.no_config {
        return Ok(ConfigFile::default());
    }
    if let Some(path) = &a.config {
        return Ok(ConfigFile::load(path)?);
    }
    let first_dir = a.paths.iter().find(|p| p.is_dir());
    match first_dir.map(|d| d.join(config::FILE_NAME)) {
        Some(path) if path.is_file() => Ok(ConfigFile::load(&path)?),
        _ => Ok(ConfigFile::default()),
    }
}

fn cfg_name(cfg: &ConfigFile) -> String {
    cfg.path
        .as_deref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| config::FILE_NAME.to_string())
}

fn resolve_size(a: &ScanArgs, cfg: &ConfigFile) -> Result<u64> {
    if let Some(s) = &a.max_file_size {
        return config::parse_size(s).map_err(|e| anyhow::anyhow!("--max-file-size: {e}"));
    }
    match &cfg.scan.max_file_size {
        None => Ok(DEFAULT_MAX_FILE_SIZE),
        Some(SizeValue::Bytes(n)) => Ok(*n),
        Some(SizeValue::Text(s)) => config::parse_size(s).map_err(|e| {
            Error::Config(format!("{}: scan.max_file_size: {e}", cfg_name(cfg))).into()
        }),
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
            config::parse_size(s).map_err(|e| anyhow::anyhow!("--max-decompressed-size: {e}"))?;
    }
    Ok(l)
}

fn build_excludes(cfg: &ConfigFile) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for pat in &cfg.scan.exclude {
        let glob = Glob::new(pat)
            .map_err(|e| Error::Config(format!("{}: scan.exclude: {pat:?}: {e}", cfg_name(cfg))))?;
        b.add(glob);
        // `dir/**` should also exclude `dir` itself so the walker never descends into it.
        if let Some(Ok(g)) = pat.strip_suffix("/**").map(Glob::new) {
            b.add(g);
        }
    }
    Ok(b.build()?)
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

pub(super) fn use_color(arg: ColorArg) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Give every hit its application and owners (`correlate::apps` rules over the tree's shape
/// around the hits, with `[[applications]]` overrides from the config).
fn annotate_hits(roots: &[Root], cfg: &ConfigFile, hits: &mut [crate::hit::Hit]) -> Result<()> {
    if hits.is_empty() {
        return Ok(());
    }
    let mut overrides = Vec::new();
    for app in &cfg.applications {
        let mut paths = Vec::new();
        for p in &app.paths {
            let glob = Glob::new(p).map_err(|e| {
                Error::Config(format!("{}: applications: {p:?}: {e}", cfg_name(cfg)))
            })?;
            paths.push(glob.compile_matcher());
        }
        overrides.push(AppOverride {
            name: app.name.clone(),
            paths,
        });
    }
    let mut envs = Vec::new();
    for env in &cfg.environments {
        let mut set = GlobSetBuilder::new();
        for p in &env.paths {
            set.add(Glob::new(p).map_err(|e| {
                Error::Config(format!("{}: environments: {p:?}: {e}", cfg_name(cfg)))
            })?);
        }
        envs.push((env.name.clone(), set.build()?));
    }
    let disk: Vec<(String, std::path::PathBuf)> = roots
        .iter()
        .map(|r| (r.given.clone(), r.path.clone()))
        .collect();
    let layout = source::layout::build(&disk, hits.iter().map(|h| &h.location));
    let apps = correlate::apps::Apps::new(layout, overrides);
    for hit in hits {
        apps.annotate(&mut hit.location);
        let path = hit.location.path.clone();
        hit.location.environment = envs
            .iter()
            .find(|(_, set)| set.is_match(&path))
            .map(|(name, _)| name.clone());
    }
    Ok(())
}
