//! The command line: parse (in [`args`]), resolve flags and config into plain options, call the
//! library, and turn the outcome into an [`ExitStatus`]. `anyhow` lives here and in `main.rs`
//! only; clap types never leave this module.

pub mod args;
mod cache;
mod config;
mod exit;
mod import;
mod merge;
mod migrate;
mod policy;
mod scan;

pub use exit::ExitStatus;

use std::ffi::OsString;
use std::io::{self, Write};

use anyhow::Result;
use clap::Parser;

use crate::report;
use crate::rules::{self, Rule};
use args::{Cli, Command, ConfigCommand, ListFormatArg, RulesCommand};

/// Run the CLI on `argv` (including the program name).
pub fn run<I, T>(argv: I) -> Result<ExitStatus>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return Ok(if err.use_stderr() {
                ExitStatus::Error
            } else {
                ExitStatus::Clean
            });
        }
    };
    // The optional organisation key of version-2 fingerprints (see `secret::fingerprint`).
    crate::secret::fingerprint::set_key(
        std::env::var_os(crate::secret::fingerprint::KEY_ENV).map(|k| k.into_encoded_bytes()),
    );
    report::remove_pending_on_interrupt();
    match cli.command {
        Command::Scan(a) => scan::run(*a),
        Command::Merge(a) => merge::run(a),
        Command::Migrate(a) => migrate::run(a),
        Command::Cache(c) => cache::run(c),
        Command::Config(ConfigCommand::ImportGitleaks(a)) => import::run(a),
        Command::Rules(RulesCommand::List(a)) => {
            let rules = load_rules(true, &a.rules)?;
            let form = match a.format {
                ListFormatArg::Human => report::rules::ListForm::Human,
                ListFormatArg::Json => report::rules::ListForm::Json,
                ListFormatArg::Jsonl => report::rules::ListForm::Jsonl,
            };
            finish_stdout(
                |out| report::rules::list(&rules, form, out),
                ExitStatus::Clean,
            )
        }
        Command::Rules(RulesCommand::Check(a)) => {
            let rules = if a.paths.is_empty() {
                load_rules(true, &[])?
            } else {
                load_rules(false, &a.paths)?
            };
            let problems = crate::detect::check::check_all(&rules);
            let status = if problems.is_empty() {
                ExitStatus::Clean
            } else {
                ExitStatus::Findings
            };
            finish_stdout(
                |out| report::rules::check(rules.len(), &problems, out),
                status,
            )
        }
    }
}

/// Built-in rules (if `builtin`) plus every file or directory in `extra`, ids unique. A path
/// named twice (however spelt: `--rules dir --rules ./dir/`, or by a flag and the config) is
/// loaded once.
pub(crate) fn load_rules(builtin: bool, extra: &[std::path::PathBuf]) -> Result<Vec<Rule>> {
    let mut all = if builtin {
        rules::builtin()?
    } else {
        Vec::new()
    };
    let mut seen = Vec::new();
    for path in extra {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        all.extend(rules::load_path(path)?);
    }
    rules::check_unique_ids(&all)?;
    Ok(all)
}

/// Write to stdout through a buffer; a closed pipe (`sprawl ... | head`) ends quietly.
pub(crate) fn finish_stdout(
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    status: ExitStatus,
) -> Result<ExitStatus> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(status),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(status),
        Err(e) => Err(e.into()),
    }
}
