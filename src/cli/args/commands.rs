//! clap derive structs of the subcommands other than `scan` (`merge`, `migrate`, `rules`,
//! `cache`, `config`): their flags and help text only. No logic.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::ColorArg;

/// `sprawl migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Where the secrets live (default: .).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// The configuration file to rewrite (default: the .sprawl.toml `sprawl scan` would read).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// A version-1 baseline file to rewrite as version 2 (repeatable).
    #[arg(long, value_name = "FILE")]
    pub baseline: Vec<PathBuf>,

    /// Extra rules the config or baseline entries were written with (repeatable).
    #[arg(long = "rules", value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,

    /// Use only the rules given with --rules.
    #[arg(long)]
    pub no_builtin_rules: bool,

    /// Say what would change without writing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `sprawl merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Reports written by `sprawl scan --format json` or `--format jsonl`.
    #[arg(required = true, value_name = "REPORT")]
    pub reports: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = MergeFormatArg::Human)]
    pub format: MergeFormatArg,

    /// Write the merged report to FILE (created with mode 0600) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print secret values where the input reports hold them (redacted by default).
    #[arg(long)]
    pub show_secrets: bool,

    /// Colour: auto (TTY without NO_COLOR), always, never.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub color: ColorArg,

    /// Human view: list every location and the whole plan of each credential.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Output formats of `sprawl merge` (SARIF needs every finding at once; scan writes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormatArg {
    /// Readable terminal view.
    Human,
    /// One JSON document (see docs/output.md).
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// One self-contained HTML page to open in a browser (offline).
    Html,
}

/// Output formats of `sprawl rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormatArg {
    /// One line per rule: id, severity, name.
    Human,
    /// One JSON array of rules.
    Json,
    /// One JSON rule per line.
    Jsonl,
}

/// `sprawl rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List rules: id, severity, name.
    List(RulesListArgs),
    /// Compile rules and run their examples; exit 1 if any fails.
    Check(RulesCheckArgs),
}

/// `sprawl cache ...`.
#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Where the cache is, its files, records and size.
    Info(CacheArgs),
    /// Delete the cache's files (nothing else in the directory).
    Clear(CacheArgs),
}

/// `sprawl cache info|clear`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// The cache directory [default: as for `sprawl scan`].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

/// `sprawl config ...`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Translate a gitleaks config (.gitleaks.toml) into a .sprawl.toml.
    ImportGitleaks(ImportGitleaksArgs),
}

/// `sprawl config import-gitleaks`.
#[derive(Debug, Args)]
pub struct ImportGitleaksArgs {
    /// The gitleaks configuration file.
    pub file: PathBuf,
    /// Write the translation to OUT instead of stdout.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Overwrite OUT if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `sprawl rules list`.
#[derive(Debug, Args)]
pub struct RulesListArgs {
    /// Extra rules to include.
    #[arg(long = "rules", value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormatArg::Human)]
    pub format: ListFormatArg,
}

/// `sprawl rules check`.
#[derive(Debug, Args)]
pub struct RulesCheckArgs {
    /// Rule files or directories to check (default: the built-in rules).
    pub paths: Vec<PathBuf>,
}
