//! Turning a parsed `.sprawl.toml` into what a scan uses: the values the types cannot check,
//! and the exclude globs, application and environment globs and allowlists compiled once.

use globset::{Glob, GlobSetBuilder};

use super::{Allowlist, Compiled, ConfigFile};
use crate::error::Error;

impl ConfigFile {
    /// Check the values the types cannot, and compile globs and allowlists.
    pub(super) fn compile(&self) -> Result<Compiled, Error> {
        self.fail_on()?;
        self.fail_in()?;
        self.max_file_size()?;
        let mut exclude = GlobSetBuilder::new();
        for pat in &self.scan.exclude {
            let glob =
                Glob::new(pat).map_err(|e| self.error("scan.exclude", format!("{pat:?}: {e}")))?;
            exclude.add(glob);
            // `dir/**` should also exclude `dir` itself so the walker never descends into it.
            if let Some(Ok(g)) = pat.strip_suffix("/**").map(Glob::new) {
                exclude.add(g);
            }
        }
        let exclude = exclude.build().map_err(|e| self.error("scan.exclude", e))?;
        let mut areas = [Vec::new(), Vec::new()];
        for (out, (key, list)) in areas.iter_mut().zip([
            ("applications", &self.applications),
            ("environments", &self.environments),
        ]) {
            for (i, area) in list.iter().enumerate() {
                if area.name.trim().is_empty() {
                    return Err(self.error(&format!("{key}[{i}].name"), "must not be empty"));
                }
                let mut set = GlobSetBuilder::new();
                for pat in &area.paths {
                    set.add(Glob::new(pat).map_err(|e| {
                        self.error(&format!("{key}[{i}].paths"), format!("{pat:?}: {e}"))
                    })?);
                }
                let set = set
                    .build()
                    .map_err(|e| self.error(&format!("{key}[{i}].paths"), e))?;
                out.push((area.name.clone(), set));
            }
        }
        let [applications, environments] = areas;
        for (i, s) in self.allow.scoped.iter().enumerate() {
            if !s.scoped.is_empty() {
                return Err(self.error(
                    &format!("allow.scoped[{i}].scoped"),
                    "scoped allowlists do not nest",
                ));
            }
        }
        Ok(Compiled {
            exclude,
            allow: Allowlist::compile(self)?,
            applications,
            environments,
        })
    }
}
