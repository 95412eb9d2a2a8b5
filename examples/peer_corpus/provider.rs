//! Which provider a peer's rule and a sprawl rule are about. A `no_match` example flagged by a
//! sprawl rule for the peer rule's own provider is a false positive of that provider's rule; one
//! flagged by a rule for another provider (or a generic rule) found something else in the text.

/// The provider of a peer rule id: `np.<provider>.N`, `kingfisher.<provider>.N`, or gitleaks'
/// `<provider>-<kind>`.
pub fn of_peer(rule_id: &str) -> &str {
    match rule_id
        .strip_prefix("np.")
        .or_else(|| rule_id.strip_prefix("kingfisher."))
    {
        Some(rest) => rest.split('.').next().unwrap_or(rest),
        None => rule_id.split('-').next().unwrap_or(rule_id),
    }
}

/// The provider of a sprawl rule id: its first dotted segment (`mailchimp.api-key`).
pub fn of_ours(rule_id: &str) -> &str {
    rule_id.split('.').next().unwrap_or(rule_id)
}

/// Names of one vendor that share no prefix.
const ALIASES: &[&[&str]] = &[
    &["gcp", "google", "firebase"],
    &["hashicorp", "vault", "terraform"],
    &["msteams", "microsoft", "teams", "azure"],
    &["github", "gh"],
    &["squareup", "square"],
    &["facebook", "meta"],
    &["twitter", "x"],
];

/// Same provider: equal names (letters and digits only, any case), one a prefix of the other
/// (`azuresearch` and `azure`), or names of one vendor in [`ALIASES`].
pub fn same(peer: &str, ours: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (a, b) = (norm(peer), norm(ours));
    let prefix = |x: &str, y: &str| x.len() >= 3 && y.starts_with(x);
    a == b
        || prefix(&a, &b)
        || prefix(&b, &a)
        || ALIASES
            .iter()
            .any(|names| names.contains(&a.as_str()) && names.contains(&b.as_str()))
}
