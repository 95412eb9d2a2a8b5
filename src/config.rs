//! `.sprawl.toml`: the on-disk configuration, parsed strictly (unknown keys are errors naming
//! the key and the file). Resolving it against command-line flags happens in `cli`.
//!
//! ```toml
//! [scan]
//! exclude = ["fixtures/**", "*.min.js"]   # globs relative to the scan root
//! max_file_size = "64MiB"
//!
//! [rules]
//! files = ["ci/extra-rules.toml"]         # relative to the config file's directory
//! disable = ["generic.password"]
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

/// The name looked for at the scan root.
pub const FILE_NAME: &str = ".sprawl.toml";

/// A parsed config file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `[scan]`.
    #[serde(default)]
    pub scan: ScanSection,
    /// `[rules]`.
    #[serde(default)]
    pub rules: RulesSection,
    /// Where it was read from (set after parsing).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// `[scan]` section.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSection {
    /// Globs of paths not to scan.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Size cap, e.g. `"64MiB"` or a number of bytes.
    #[serde(default)]
    pub max_file_size: Option<SizeValue>,
}

/// A size written as a number of bytes or a string with a unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SizeValue {
    /// Bytes.
    Bytes(u64),
    /// With a unit, e.g. `"10MiB"`.
    Text(String),
}

/// `[rules]` section.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSection {
    /// Extra rule files or directories.
    #[serde(default)]
    pub files: Vec<PathBuf>,
    /// Rule ids to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
}

impl ConfigFile {
    /// Read and parse `path`.
    pub fn load(path: &Path) -> Result<ConfigFile, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut cfg: ConfigFile = toml::from_str(&text).map_err(|e| {
            Error::Config(format!(
                "{}: {}",
                path.display(),
                crate::rules::one_line(e.message())
            ))
        })?;
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// The directory relative paths in the file are resolved against.
    pub fn base_dir(&self) -> PathBuf {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }
}

/// Parse `64MiB`, `10M`, `512k`, `1G` or a plain number of bytes.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid size {s:?}: expected a number with an optional unit"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("invalid size {s:?}: unknown unit {other:?}")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("invalid size {s:?}: too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("2k"), Ok(2048));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = toml::from_str::<ConfigFile>("[scan]\nexclud = []\n").unwrap_err();
        assert!(err.message().contains("exclud"), "{}", err.message());
    }
}
