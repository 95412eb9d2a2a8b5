//! `sprawl scan`: wiring. Resolve flags and config ([`ScanConfig`]), scan, filter by the
//! allowlists, name applications and owners, correlate, apply the baseline and `--fail-on`,
//! render. Each step lives in its own module; this one only connects them.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

use super::args::{ColorArg, ScanArgs};
use super::config::ScanConfig;
use super::policy::Policy;
use super::{ExitStatus, finish_stdout};
use crate::correlate::{self, Finding};
use crate::detect::Detector;
use crate::error::{IssueKind, ScanIssue};
use crate::hit::Hit;
use crate::progress::Progress;
use crate::report::workstation::ProtectedKey;
use crate::report::{self, Report, Summary, diag};
use crate::scan::{self, Counters, Engine, ScanResult, Totals};
use crate::source;

pub(super) fn run(a: ScanArgs) -> Result<ExitStatus> {
    let mut cfg = ScanConfig::resolve(a)?;
    if !cfg.quiet {
        cfg.notes.iter().for_each(|n| diag::warn(n));
    }
    let mut status = ExitStatus::Clean;
    // Roots that cannot be opened are errors (exit 2, and in the report); the rest are scanned.
    let bad_roots: Vec<ScanIssue> = cfg
        .bad_roots
        .iter()
        .map(|(path, reason)| ScanIssue {
            kind: IssueKind::NotScanned,
            path: path.display().to_string(),
            reason: reason.clone(),
        })
        .collect();
    for issue in &bad_roots {
        diag::error(&issue.to_string());
    }
    let detector = Detector::new(std::mem::take(&mut cfg.rules));

    // Created now so an unwritable path fails before the scan; renamed into place only once the
    // report is written (an error or Ctrl-C before that leaves the previous report as it was).
    let mut output = None;
    if let Some(path) = &cfg.output {
        let file = report::create_private(path)
            .with_context(|| format!("{}: cannot create report file", path.display()))?;
        cfg.walk.skip_files = [Some(path.as_path()), file.temp_path()]
            .into_iter()
            .flatten()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        output = Some(file);
    }

    let store = super::cache::open(&cfg, &detector);
    let counters = Arc::new(Counters::default());
    let progress = Progress::start(counters.clone(), !cfg.quiet);
    let result = if cfg.staged {
        let Some(result) = scan_staged(&cfg, &detector, store.as_ref(), &counters)? else {
            return Ok(ExitStatus::Error); // the path could not be read (reported above)
        };
        result
    } else {
        let quiet = cfg.quiet;
        scan::scan_roots(
            cfg.workstation.as_ref(),
            &cfg.roots,
            &cfg.walk,
            &cfg.history,
            cfg.limits,
            store.as_ref(),
            &detector,
            &counters,
            &mut |issue| {
                if issue.is_error() {
                    diag::error(&issue.to_string());
                } else if !quiet {
                    diag::warn(&issue.to_string());
                }
            },
        )
    };
    progress.finish();
    let packed = counters
        .pack_blobs
        .load(std::sync::atomic::Ordering::Relaxed);
    if cfg.verbose && !cfg.quiet && packed > 0 {
        diag::note(&format!(
            "sprawl: history: {packed} blobs decoded by sprawl's pack reader (the others read \
             through libgit2 or known to the cache)"
        ));
    }
    if cfg.verbose && !cfg.quiet && store.is_some() {
        diag::note(&format!(
            "sprawl: cache: {} files and blobs known clean were not read again; {} commits walked \
             for provenance",
            counters.cached.load(std::sync::atomic::Ordering::Relaxed),
            counters
                .provenance_commits
                .load(std::sync::atomic::Ordering::Relaxed)
        ));
    }
    super::cache::save(store.as_ref(), cfg.quiet);
    if cfg.staged && !cfg.quiet {
        result
            .issues
            .iter()
            .for_each(|i| diag::warn(&i.to_string()));
    }
    let mut issues = bad_roots;
    issues.extend(result.issues);
    // What was asked for was not scanned (a root, an unknown --since-commit), or an input was
    // cut off at a cap: never "clean".
    let errors = issues.iter().filter(|i| i.is_error()).count();
    let partial = issues.iter().any(ScanIssue::is_partial);
    if errors > 0 || (partial && !cfg.allow_partial) {
        status = status.combine(ExitStatus::Error);
    }

    let rules = detector.rules();
    let mut hits: Vec<Hit> = result.hits;
    let roots: Vec<String> = hits.iter().map(|h| h.location.root.clone()).collect();
    let memo = store.as_ref().map(|s| {
        let mut roots = roots;
        roots.sort();
        roots.dedup();
        (s, crate::scan::fpmemo::Memo::load(s, &hits, rules, &roots))
    });
    if !cfg.allow.is_empty() {
        if cfg.allow.uses_fingerprints() {
            // One derivation per distinct secret, on all cores, before the per-hit checks.
            let secrets: Vec<&[u8]> = hits.iter().map(|h| h.secret.reveal()).collect();
            crate::secret::fingerprint::precompute(&secrets);
        }
        hits.retain(|h| {
            !cfg.allow
                .allows(&rules[h.rule].id, h.secret.reveal(), &h.location)
        });
    }
    annotate(&cfg, &mut hits);
    let policy = Policy {
        fail_on: cfg.fail_on,
        fail_in: std::mem::take(&mut cfg.fail_in),
        baseline: cfg.baseline.take(),
        write_baseline: cfg.write_baseline.take(),
        quiet: cfg.quiet,
    };
    let verdict = policy.apply(correlate::correlate(hits, rules))?;
    if let Some((store, memo)) = memo {
        memo.save(store);
    }
    status = status.combine(verdict.status);
    let findings = verdict.findings;
    let mut summary = summary(result.totals, &findings, &issues, result.elapsed);
    summary.baselined = verdict.baseline.as_ref().map(|b| b.suppressed);
    summary.workstation = result.workstation.as_ref().map(|inv| {
        let keys = inv
            .protected_keys
            .iter()
            .map(|(path, cipher)| ProtectedKey {
                path: path.clone(),
                cipher: cipher.clone(),
            })
            .collect();
        report::workstation::summarize(&findings, &inv.home, inv.files, keys)
    });
    let report = Report {
        findings: &findings,
        issues: &issues,
        summary,
        show_secrets: cfg.show_secrets,
        baseline: verdict.baseline.as_ref(),
        verbose: cfg.verbose,
        // A report file gets whole lines; the terminal (or `COLUMNS`) gets lines that fit.
        width: if output.is_some() {
            None
        } else {
            report::human::terminal_width()
        },
    };
    let written = match output {
        Some(mut file) => {
            let path = cfg.output.as_deref().unwrap_or(Path::new(""));
            report::render(&report, cfg.format, false, &mut file)
                .and_then(|()| file.commit())
                .with_context(|| format!("{}: cannot write report", path.display()))?;
            if report.summary.partial && !cfg.quiet {
                diag::note(&format!(
                    "sprawl: {} says the scan is partial (summary.partial; SARIF \
                     executionSuccessful false)",
                    path.display()
                ));
            }
            Ok(status)
        }
        None => {
            let color = use_color(cfg.color);
            finish_stdout(
                |out| report::render(&report, cfg.format, color, out),
                status,
            )
        }
    };
    if cfg.staged && !findings.is_empty() {
        // Printed even with --quiet: it is why a pre-commit hook refuses the commit.
        STAGED_HINT.lines().for_each(diag::note);
    }
    written
}

/// The `--staged` scan of the one root; `None` when no root could be opened.
fn scan_staged(
    cfg: &ScanConfig,
    detector: &Detector,
    store: Option<&crate::cache::Store>,
    counters: &Counters,
) -> Result<Option<ScanResult>> {
    let Some(root) = cfg.roots.first() else {
        return Ok(None);
    };
    let decode_issues = Mutex::new(Vec::new());
    let sink = |i| decode_issues.lock().map_or((), |mut v| v.push(i));
    let engine = Engine::new(detector, counters)
        .limits(cfg.limits)
        .on_issue(&sink)
        .cache(store);
    let mut result = scan::staged::scan_staged(root, &cfg.walk, &engine, counters)?;
    result
        .issues
        .extend(decode_issues.into_inner().unwrap_or_default());
    Ok(Some(result))
}

/// What `--staged` prints after its findings, run by a pre-commit hook or by hand.
const STAGED_HINT: &str =
    "sprawl: the staged changes add secrets; committing them would publish them.
  unstage a file:    git restore --staged <path>   (remove the secret, then `git add` again)
  a fake value:      mark its line with a `sprawl:allow` comment (`# sprawl:allow test key`)
  allow a path:      add it to `exclude` under [scan] in .sprawl.toml
  skip a hook once:  git commit --no-verify";

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

/// Give every hit its application, owners and environment override (`correlate::apps` rules
/// over the tree's shape around the hits, read by `source::layout`).
pub(super) fn annotate(cfg: &ScanConfig, hits: &mut [Hit]) {
    if hits.is_empty() {
        return;
    }
    // A file root's locations name its directory as their root (`source::split_file_root`).
    let disk: Vec<(String, std::path::PathBuf)> = cfg
        .roots
        .iter()
        .map(|r| {
            if r.stdin.is_none() && r.path.is_file() {
                let (dir, _) = source::split_file_root(&r.given);
                let parent = r.path.parent().filter(|p| !p.as_os_str().is_empty());
                (dir, parent.map_or_else(|| ".".into(), |p| p.to_path_buf()))
            } else {
                (r.given.clone(), r.path.clone())
            }
        })
        .collect();
    let on_disk = |h: &&mut Hit| !correlate::is_machine(&h.location);
    let layout = source::layout::build(
        &disk,
        hits.iter()
            .map(|h| &h.location)
            .filter(|l| !correlate::is_machine(l)),
    );
    let apps =
        correlate::apps::Apps::new(layout, cfg.applications.clone(), cfg.environments.clone());
    // The machine is one application of its own, named by its home, whatever its paths say.
    let machine = cfg
        .workstation
        .as_ref()
        .map(|w| format!("workstation:{}", w.given));
    for hit in hits.iter_mut() {
        if on_disk(&hit) {
            apps.annotate(&mut hit.location);
        } else {
            hit.location.application = machine.clone();
        }
    }
}

/// The report's summary from the scan's totals, the findings and the issues.
fn summary(
    totals: Totals,
    findings: &[Finding],
    issues: &[ScanIssue],
    elapsed: std::time::Duration,
) -> Summary {
    let errors = issues.iter().filter(|i| i.is_error()).count();
    Summary {
        files_scanned: totals.files,
        bytes_scanned: totals.bytes,
        skipped: report::Skipped {
            binary: totals.binary,
            too_large: totals.too_large,
            unreadable: totals.unreadable,
            special: totals.special,
        },
        repositories: totals.repositories,
        shallow_repositories: totals.shallow,
        commits_scanned: totals.commits,
        unreachable_commits: totals.unreachable_commits,
        blobs_scanned: totals.blobs,
        history_bytes: totals.history_bytes,
        findings: findings.len(),
        locations: findings.iter().map(|f| f.locations.len()).sum(),
        issues: issues.len() - errors,
        errors,
        partial: issues.iter().any(ScanIssue::is_partial),
        reports_without_counters: None,
        elapsed_ms: elapsed.as_millis() as u64,
        baselined: None,
        workstation: None,
    }
}
