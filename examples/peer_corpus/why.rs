//! Why a `match` example gave no finding: which check rejected the candidate of the first rule
//! whose keyword and regex matched, or that no rule matched (and whether the example's value
//! would be a stand-in anyway).

use sprawl::detect::{Detector, verify};

/// Why no finding came out of `text`: the first rule whose keyword and regex matched but whose
/// candidate a check rejected (placeholder, checksum, entropy, hash), or "no rule matched".
pub fn rejection(detector: &Detector, text: &[u8]) -> String {
    let lower = text.to_ascii_lowercase();
    for rule in detector.rules() {
        let kw = rule.keywords.iter().any(|k| {
            let k = k.to_ascii_lowercase();
            lower.windows(k.len()).any(|w| w == k.as_bytes())
        });
        if !kw {
            continue;
        }
        let Some(compiled) = rule.pattern.compiled() else {
            continue;
        };
        for m in compiled.secrets(text) {
            if let Err(why) = verify::check(rule, m) {
                // The entropy floor fires before the placeholder checks; a value those checks
                // also call a stand-in (`aaaa...`, `xxxx...`) is reported as a placeholder.
                let why = format!("{why:?}").to_lowercase();
                // A vendor rule's floor rejects values too regular for a generated key
                // (`abcdefabcdef...`); a generic rule's floor may reject a weak real password.
                let stand_in =
                    verify::is_placeholder(m) || rule.placeholders.iter().any(|p| p.is_match(m));
                let why = if why == "entropy" && stand_in {
                    "placeholder".to_string()
                } else if why == "entropy" && !rule.generic {
                    "low entropy for a generated key".to_string()
                } else {
                    why
                };
                return format!("{why} ({})", rule.id);
            }
        }
    }
    // No rule fired. Say whether the example's value would be dropped as a stand-in anyway,
    // so a reader can tell a missing rule from a made-up value (`abcdef1234567890...`).
    // The candidate values: tokens of 8+ bytes with a digit (or the longest token if none).
    // A token that is a rule's keyword (`route4me`) is a provider's name, not a value.
    let keyword = |t: &[u8]| {
        detector.rules().iter().any(|r| {
            r.keywords
                .iter()
                .any(|k| k.as_bytes().eq_ignore_ascii_case(t))
        })
    };
    let tokens: Vec<&[u8]> = text
        .split(|b| !(b.is_ascii_alphanumeric() || b"_+/=.-".contains(b)))
        .filter(|t| t.len() >= 8 && !keyword(t))
        .collect();
    let with_digit: Vec<&[u8]> = tokens
        .iter()
        .copied()
        .filter(|t| t.iter().any(u8::is_ascii_digit))
        .collect();
    let candidates: Vec<&[u8]> = if with_digit.is_empty() {
        tokens
            .iter()
            .copied()
            .max_by_key(|t| t.len())
            .into_iter()
            .collect()
    } else {
        with_digit
    };
    if !candidates.is_empty() && candidates.iter().all(|t| verify::is_placeholder(t)) {
        return "no rule matched (and its value is a stand-in by sprawl's placeholder checks)"
            .to_string();
    }
    "no rule matched".to_string()
}
