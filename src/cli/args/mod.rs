//! clap derive structs only: every flag and its help text. No logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod commands;
pub use commands::*;

const EXIT_CODES: &str = "\
Exit codes:
  0  no findings (or only findings below --fail-on, or accepted by --baseline)
  1  findings (secrets found)
  2  error (bad arguments; a path that cannot be read, missing, or a device; invalid config,
     rules, baseline or report; an unresolvable --branch/--since-commit; no repository for
     history flags) or a partial scan (an input cut off at a decode cap; --allow-partial
     accepts it); an error wins over findings, so a partial scan never passes as clean";

const MERGE_EXIT_CODES: &str = "\
Exit codes:
  0  no findings in the merged reports
  1  findings
  2  error (bad arguments, a report that cannot be read or is not a sprawl JSON/JSONL
     report of this version); an error wins over findings";

/// sprawl: find leaked credentials and every place each one lives.
#[derive(Debug, Parser)]
#[command(name = "sprawl", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan directory trees for secrets.
    #[command(after_help = EXIT_CODES)]
    Scan(Box<ScanArgs>),
    /// List or check rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Work with configuration files.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Correlate JSON/JSONL reports from many scans into one, as if scanned together.
    #[command(after_help = MERGE_EXIT_CODES)]
    Merge(MergeArgs),
    /// Show or clear the blob cache.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Rewrite version-1 fingerprints in `.sprawl.toml` `[allow] fingerprints` and baseline
    /// files as version 2, by scanning where the secrets live.
    #[command(after_help = MIGRATE_HELP)]
    Migrate(MigrateArgs),
}

const MIGRATE_HELP: &str = "\
A version-1 fingerprint is the bare SHA-256 of a secret and cannot be turned into a version-2
one without the secret: migrate scans PATH (like `sprawl scan`, history included), derives
both versions for every secret it finds, and rewrites the entries it can match. Entries whose
secret is not found are named and left unchanged (config) or dropped (baseline: that
credential is resolved).

Exit codes:
  0  everything migrated (or nothing to migrate)
  2  error, or an entry could not be migrated";

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Readable terminal view.
    Human,
    /// One JSON document (see docs/output.md).
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// SARIF 2.1.0, one result per location (for code-scanning upload).
    Sarif,
    /// One self-contained HTML page to open in a browser (offline).
    Html,
}

/// `sprawl scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input [default: `.`, or none with
    /// --workstation].
    pub paths: Vec<PathBuf>,

    /// Also inventory this machine: the credential files CLI tools keep in the home, shell
    /// history and profiles, `.env` files at the home's top level, and the process environment
    /// (see README "Workstation exposure"). Combine with PATHs (`--workstation ~/src`) to tie
    /// each credential to the repositories that also hold it. Read-only.
    #[arg(long)]
    pub workstation: bool,

    /// The home --workstation reads (default: $HOME).
    #[arg(long, value_name = "DIR", requires = "workstation")]
    pub home: Option<PathBuf>,

    /// Name standard input is reported under (and whose format picks its decoder, e.g.
    /// `secret.yaml`); default `-`.
    #[arg(long, value_name = "NAME")]
    pub stdin_name: Option<String>,

    /// Worker threads (default, and 0: all cores). More than 4 per core are capped at 4 per core.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Scan files that .gitignore/.ignore/.sprawlignore exclude.
    #[arg(long)]
    pub no_ignore: bool,

    /// Skip files larger than this (e.g. 64MiB, 500k, 1048576).
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,

    /// Longest decode chain: archive members, base64 values and config-store fields inside
    /// one another [default: 8].
    #[arg(long, value_name = "N")]
    pub max_decode_depth: Option<usize>,

    /// Most archives nested inside one another; a compressed tar counts once [default: 4].
    #[arg(long, value_name = "N")]
    pub max_archive_depth: Option<usize>,

    /// Most members read from one archive [default: 10000].
    #[arg(long, value_name = "N")]
    pub max_archive_members: Option<usize>,

    /// Most bytes decompressed from one file, all nested archives together [default: 256MiB].
    #[arg(long, value_name = "SIZE")]
    pub max_decompressed_size: Option<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,

    /// Write the report to FILE (created with mode 0600) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print secret values in full (redacted by default).
    #[arg(long)]
    pub show_secrets: bool,

    /// Human view: list every location and the whole plan of each credential (JSON, SARIF
    /// and HTML always hold them).
    #[arg(short, long)]
    pub verbose: bool,

    /// Extra rules: a .toml file or a directory of them (repeatable).
    #[arg(long = "rules", value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,

    /// Use only the rules given with --rules, not the built-in ones.
    #[arg(long)]
    pub no_builtin_rules: bool,

    /// Configuration file (default: the nearest .sprawl.toml from the first scanned directory up
    /// to its repository's top).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any .sprawl.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// No progress display and no warnings on stderr (errors still print).
    #[arg(short, long)]
    pub quiet: bool,

    /// Colour: auto (TTY without NO_COLOR), always, never.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub color: ColorArg,

    /// Accept the credentials recorded in FILE: they do not fail the run and are reported only
    /// as a count; the report says which are still present and which are resolved.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in FILE (hashes only, mode 0600, byte-stable); the
    /// recorded findings do not fail this run.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Accept a partial scan: an input cut off at a decode cap (archive members or inflated
    /// bytes, nesting, decode depth) is still reported (`summary.partial`) but does not make the
    /// exit code 2.
    #[arg(long)]
    pub allow_partial: bool,

    /// Exit 1 only for findings at or above this severity (default: info, i.e. any finding).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Exit 1 only for findings with a location of these classes (comma-separated; default:
    /// config,source). Findings only in tests, docs, examples or vendored code are still
    /// reported, at low severity, but do not fail the run unless named here (or `all`).
    #[arg(long, value_enum, value_name = "CLASSES", value_delimiter = ',')]
    pub fail_in: Vec<ClassArg>,

    /// Git history and staged changes.
    #[command(flatten)]
    pub git: GitArgs,

    /// Blob cache.
    #[command(flatten)]
    pub cache: CacheFlags,
}

/// `sprawl scan` flags for the blob cache.
#[derive(Debug, Args)]
#[command(next_help_heading = "Cache")]
pub struct CacheFlags {
    /// Scan everything, neither reading nor writing the blob cache (which remembers files and
    /// git blobs found clean, so a rescan skips them; see `sprawl cache info`).
    #[arg(long)]
    pub no_cache: bool,

    /// Keep the blob cache in DIR [default: $XDG_CACHE_HOME/sprawl, ~/.cache/sprawl,
    /// ~/Library/Caches/sprawl on macOS].
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,
}

/// `sprawl scan` flags for git history and staged changes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Git")]
pub struct GitArgs {
    /// Scan files only, not the history of git repositories.
    #[arg(long, conflicts_with_all = ["history_only", "since_commit", "branch"])]
    pub no_history: bool,

    /// Scan git history only, not the files of the work tree.
    #[arg(long)]
    pub history_only: bool,

    /// Scan only commits not reachable from REV (e.g. the base of a pull request).
    #[arg(long, value_name = "REV")]
    pub since_commit: Option<String>,

    /// Scan only the history reachable from REF (default: all refs).
    #[arg(long, value_name = "REF")]
    pub branch: Option<String>,

    /// Also report secrets in blobs that no ref or HEAD reaches (a rebase's leftovers, objects
    /// copied from another clone), labelled `unreachable`; by default they are only counted.
    #[arg(long, conflicts_with_all = ["since_commit", "branch"])]
    pub unreachable: bool,

    /// Scan only what is staged (`git add`) in the repository at PATH, for a pre-commit hook:
    /// only lines the staged change adds or modifies.
    #[arg(long, conflicts_with_all = ["no_history", "history_only", "since_commit", "branch"])]
    pub staged: bool,
}

/// Severities, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// Location classes for `--fail-in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClassArg {
    /// Every class.
    All,
    /// Configuration files, CI and container files, IaC.
    Config,
    /// Source code.
    Source,
    /// Third-party code checked in (vendor/, node_modules/).
    Vendored,
    /// Templates and samples (*.example, examples/).
    Example,
    /// Tests and test data.
    Test,
    /// Documentation and doc comments.
    Docs,
}

/// When to colour the human view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_defaults_to_current_dir() {
        let cli = Cli::try_parse_from(["sprawl", "scan"]).unwrap();
        let Command::Scan(a) = cli.command else {
            panic!("not scan")
        };
        // `.` is filled in by `ScanConfig::resolve` unless --workstation.
        assert!(a.paths.is_empty());
        assert!(!a.workstation && a.home.is_none());
        assert_eq!(a.format, FormatArg::Human);
        assert!(!a.show_secrets);
    }

    #[test]
    fn scan_flags() {
        let cli = Cli::try_parse_from([
            "sprawl",
            "scan",
            "a",
            "b",
            "-j",
            "2",
            "--format",
            "jsonl",
            "--no-ignore",
            "--max-file-size",
            "1M",
            "-o",
            "r.json",
        ])
        .unwrap();
        let Command::Scan(a) = cli.command else {
            panic!("not scan")
        };
        assert_eq!(a.paths.len(), 2);
        assert_eq!(a.threads, Some(2));
        assert_eq!(a.format, FormatArg::Jsonl);
        assert!(a.no_ignore);
        assert_eq!(a.max_file_size.as_deref(), Some("1M"));
    }

    #[test]
    fn decode_limits_and_stdin() {
        let cli = Cli::try_parse_from([
            "sprawl",
            "scan",
            "-",
            "--stdin-name",
            "k8s/secret.yaml",
            "--max-decode-depth",
            "3",
            "--max-archive-depth",
            "2",
            "--max-archive-members",
            "50",
            "--max-decompressed-size",
            "1MiB",
        ])
        .unwrap();
        let Command::Scan(a) = cli.command else {
            panic!("not scan")
        };
        assert_eq!(a.paths, vec![PathBuf::from("-")]);
        assert_eq!(a.stdin_name.as_deref(), Some("k8s/secret.yaml"));
        assert_eq!(a.max_decode_depth, Some(3));
        assert_eq!(a.max_archive_depth, Some(2));
        assert_eq!(a.max_archive_members, Some(50));
        assert_eq!(a.max_decompressed_size.as_deref(), Some("1MiB"));
        assert!(Cli::try_parse_from(["sprawl", "scan", "--max-decode-depth", "x"]).is_err());
    }

    #[test]
    fn git_flags() {
        let parse = |args: &[&str]| {
            let mut argv = vec!["sprawl", "scan"];
            argv.extend_from_slice(args);
            Cli::try_parse_from(argv).map(|cli| match cli.command {
                Command::Scan(a) => a.git,
                _ => panic!("not scan"),
            })
        };
        let g = parse(&["--since-commit", "main", "--branch", "feature"]).unwrap();
        assert_eq!(g.since_commit.as_deref(), Some("main"));
        assert_eq!(g.branch.as_deref(), Some("feature"));
        assert!(!g.no_history && !g.history_only && !g.staged);
        assert!(parse(&["--history-only"]).unwrap().history_only);
        assert!(parse(&["--staged"]).unwrap().staged);
        assert!(parse(&["--no-history", "--history-only"]).is_err());
        assert!(parse(&["--no-history", "--branch", "x"]).is_err());
        assert!(parse(&["--staged", "--since-commit", "x"]).is_err());
    }

    #[test]
    fn workstation_flags() {
        let cli = Cli::try_parse_from(["sprawl", "scan", "--workstation", "--home", "/h", "src"])
            .unwrap();
        let Command::Scan(a) = cli.command else {
            panic!("not scan")
        };
        assert!(a.workstation);
        assert_eq!(a.home, Some(PathBuf::from("/h")));
        assert_eq!(a.paths, vec![PathBuf::from("src")]);
        assert!(Cli::try_parse_from(["sprawl", "scan", "--home", "/h"]).is_err());
    }

    #[test]
    fn rules_subcommands() {
        assert!(Cli::try_parse_from(["sprawl", "rules", "list"]).is_ok());
        assert!(Cli::try_parse_from(["sprawl", "rules", "check", "x.toml"]).is_ok());
        assert!(Cli::try_parse_from(["sprawl", "rules", "frob"]).is_err());
        assert!(Cli::try_parse_from(["sprawl", "scan", "--format", "xml"]).is_err());
    }

    #[test]
    fn ci_flags() {
        let cli = Cli::try_parse_from([
            "sprawl",
            "scan",
            "--format",
            "sarif",
            "--baseline",
            "b.json",
            "--write-baseline",
            "n.json",
            "--fail-on",
            "high",
        ])
        .unwrap();
        let Command::Scan(a) = cli.command else {
            panic!("not scan")
        };
        assert_eq!(a.format, FormatArg::Sarif);
        assert_eq!(a.baseline, Some(PathBuf::from("b.json")));
        assert_eq!(a.write_baseline, Some(PathBuf::from("n.json")));
        assert_eq!(a.fail_on, Some(SeverityArg::High));
        assert!(Cli::try_parse_from(["sprawl", "scan", "--fail-on", "dire"]).is_err());
    }

    #[test]
    fn config_import_gitleaks() {
        let cli = Cli::try_parse_from([
            "sprawl",
            "config",
            "import-gitleaks",
            "g.toml",
            "-o",
            "o.toml",
        ])
        .unwrap();
        let Command::Config(ConfigCommand::ImportGitleaks(a)) = cli.command else {
            panic!("not config import-gitleaks")
        };
        assert_eq!(a.file, PathBuf::from("g.toml"));
        assert_eq!(a.output, Some(PathBuf::from("o.toml")));
        assert!(Cli::try_parse_from(["sprawl", "config", "import-gitleaks"]).is_err());
        assert!(
            Cli::try_parse_from(["sprawl", "config", "import-gitleaks", "g", "--force"]).is_err()
        );
    }
}
