//! The built-in rule files, embedded at build time.
//!
//! An explicit list rather than a directory walk at build time, so adding a file to `rules/`
//! without listing it here fails `tests/rules.rs` instead of silently shipping a stale binary.

/// `(file name, contents)` of every built-in rule file.
pub const FILES: &[(&str, &str)] = &[];
