//! sprawl finds leaked credentials and reports each one once, with every place it lives.
//!
//! The pipeline (drawn in `docs/architecture.md`, enforced by a test of the imports): [`cli`]
//! resolves flags and `.sprawl.toml` into one plain configuration; [`scan`] drives the scan on
//! worker threads: [`walk`] finds files under each root, [`source`] enumerates and reads blobs
//! with provenance (files, git objects, staged entries, decoded config stores), [`detect`] runs
//! the [`rules`] over each blob (an aho-corasick keyword prefilter picks the few rules whose
//! regexes can match), and the scan turns matches into [`hit`]s; [`correlate`] groups hits of one
//! credential into one finding with its blast radius, and [`report`] renders findings.

#![warn(missing_docs)]

mod architecture;

pub mod baseline;
pub mod cache;
pub mod cli;
pub mod codec;
pub mod config;
pub mod correlate;
pub mod detect;
pub mod error;
pub mod hit;
pub mod progress;
pub mod report;
pub mod rules;
pub mod scan;
pub mod secret;
pub mod source;
pub mod walk;

pub use error::{Error, ScanIssue};
