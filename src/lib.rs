//! sprawl finds leaked credentials and reports each one once, with every place it lives.
//!
//! The pipeline reads top to bottom in the module list: [`walk`] finds inputs under each root,
//! [`source`] turns them into blobs with provenance, [`detect`] runs the [`rules`] over each blob
//! (an aho-corasick keyword prefilter picks the few rules whose regexes can match), [`scan`]
//! drives that on worker threads and collects hits on one thread, [`correlate`] groups hits of
//! one credential into one finding, and [`report`] renders findings. [`cli`] wires it together.

#![warn(missing_docs)]

pub mod baseline;
pub mod cli;
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
