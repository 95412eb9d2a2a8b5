//! [`Hit`]: one sighting of a secret, the unit the scan hands to the correlator.
//!
//! It sits between the stages: the scan driver builds hits (detector matches plus the
//! provenance a source gave), the allowlists filter them and the correlator groups them. It
//! holds data only; nothing here detects, reads or prints.

use crate::rules::{Identity, Lifetime, Strength};
use crate::secret::Secret;
use crate::source::Location;

/// One sighting of a secret, with provenance.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Index of the rule in the detector's rule list.
    pub rule: usize,
    /// The secret's bytes.
    pub secret: Secret,
    /// Lifetime class decided at detection: the rule's, refined by the secret itself (a JWT
    /// with an `exp` claim expires by itself).
    pub lifetime: Lifetime,
    /// How guessable the value is, for rules that catch chosen values (see
    /// `detect::verify::strength`); `None` for provider-issued tokens.
    pub strength: Option<Strength>,
    /// What the credential unlocks, in clear (see `detect::identity`).
    pub identity: Identity,
    /// Found on a comment line (a doc comment, in code).
    pub comment: bool,
    /// Where it was seen.
    pub location: Location,
}
