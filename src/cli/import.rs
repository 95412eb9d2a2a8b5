//! `sprawl config import-gitleaks FILE [-o OUT]`: translate a gitleaks configuration into a
//! `.sprawl.toml`, printing it or writing OUT (never overwriting without `--force`).

use anyhow::{Context, Result, bail};

use super::args::ImportGitleaksArgs;
use super::{ExitStatus, finish_stdout};
use crate::config::gitleaks;
use crate::error::Error;
use crate::report::diag;

pub(super) fn run(a: ImportGitleaksArgs) -> Result<ExitStatus> {
    let text = std::fs::read_to_string(&a.file).map_err(|source| Error::Io {
        path: a.file.clone(),
        source,
    })?;
    let origin = a.file.display().to_string();
    let translated = gitleaks::translate(&text, &origin)?;
    // The translation must load as a sprawl config; anything else is a bug worth an error.
    crate::config::ConfigFile::parse(&translated.toml, &a.file)
        .with_context(|| format!("{origin}: the translation does not load"))?;
    let rendered = gitleaks::render(&translated, &origin);
    for note in &translated.notes {
        diag::warn(&format!("{origin}: {note}"));
    }
    match &a.output {
        None => finish_stdout(|out| out.write_all(rendered.as_bytes()), ExitStatus::Clean),
        Some(path) => {
            if path.exists() && !a.force {
                bail!(
                    "{}: already exists (use --force to overwrite)",
                    path.display()
                );
            }
            std::fs::write(path, rendered)
                .map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })
                .with_context(|| format!("{}: cannot write", path.display()))?;
            Ok(ExitStatus::Clean)
        }
    }
}
