//! gitleaks configuration import: translate a `.gitleaks.toml` into sprawl's `.sprawl.toml`
//! format, so a team can switch without rewriting its rules.
//!
//! Translated: custom `[[rules]]` (`id`, `description`, `regex`, `secretGroup`, `entropy`,
//! `keywords`, `tags`, `path`), rule allowlists (`[rules.allowlist]`, `[[rules.allowlists]]`)
//! and global allowlists (`[allowlist]`, `[[allowlists]]` with `targetRules`): `regexes`
//! (against the secret), `stopwords`, `paths`, `commits`, `condition`. `[extend] useDefault`
//! decides whether sprawl's own built-in rules stay on. Anything that cannot be translated
//! faithfully is an error naming the rule and the construct: look-around or other regex
//! syntax the Rust `regex` crate lacks, path-only rules, composite (`required`) rules,
//! `regexTarget = "match"|"line"`, `extend.path`. Harmless losses are returned as notes.
//!
//! Written from gitleaks' documented configuration format. Pure: text in, text out.

mod schema;
mod secret_group;

pub use secret_group::with_secret_group;

use crate::error::Error;
use schema::{GlAllowlist, GlConfig, GlRule, Out, OutRule, OutScope, OutScoped};

/// The result of a translation.
#[derive(Debug, Clone)]
pub struct Translated {
    /// The `.sprawl.toml` text (without the explanatory header).
    pub toml: String,
    /// Remarks on what was dropped or approximated, one line each.
    pub notes: Vec<String>,
}

/// True if `path` names a gitleaks config or `text` has gitleaks' top-level shape
/// (`[[rules]]` as an array, `[allowlist]`, `[[allowlists]]`, `[extend]`, `title`) and none
/// of sprawl's.
pub fn is_gitleaks(path: &std::path::Path, text: &str) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
    if name.is_some_and(|n| n.contains("gitleaks")) {
        return true;
    }
    let Ok(table) = text.parse::<toml::Table>() else {
        return false;
    };
    // A sprawl key anywhere means a sprawl config (whose own errors are then clearer).
    let sprawl = ["scan", "rule", "allow", "applications", "environments"]
        .iter()
        .any(|k| table.contains_key(*k))
        || table.get("rules").is_some_and(toml::Value::is_table);
    !sprawl
        && (table.get("rules").is_some_and(toml::Value::is_array)
            || ["allowlist", "allowlists", "extend", "title"]
                .iter()
                .any(|k| table.contains_key(*k)))
}

/// Translate gitleaks config `text` (read from `origin`, named in errors).
pub fn translate(text: &str, origin: &str) -> Result<Translated, Error> {
    let gl: GlConfig = toml::from_str(text).map_err(|e| {
        let Error::Config(msg) = super::toml_error(origin, text, &e) else {
            return Error::Config(format!("{origin}: {}", e.message()));
        };
        Error::Config(format!("{msg} (gitleaks config)"))
    })?;
    let _ = (&gl.title, &gl.description, &gl.min_version);
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut out = Out::default();

    match &gl.extend {
        Some(ext) => {
            if ext.path.is_some() {
                problems.push(
                    "extend.path: extending another gitleaks file cannot be translated; \
                     import that file and merge the result"
                        .to_string(),
                );
            }
            out.rules.builtin = ext.use_default.unwrap_or(false);
            if !ext.disabled_rules.is_empty() {
                notes.push(format!(
                    "extend.disabledRules ({}) name gitleaks' default rules, which sprawl does \
                     not have; ignored (use rules.disable with sprawl rule ids)",
                    ext.disabled_rules.join(", ")
                ));
            }
        }
        None => {
            notes.push(
                "no [extend] useDefault: only the imported rules run (rules.builtin = false); \
                 set rules.builtin = true to add sprawl's built-in rules"
                    .to_string(),
            );
        }
    }

    for (i, rule) in gl.rules.iter().enumerate() {
        translate_rule(i, rule, &mut out, &mut problems, &mut notes);
    }

    let globals = gl.allowlist.iter().chain(gl.allowlists.iter());
    for (i, list) in globals.enumerate() {
        let what = format!("global allowlist {}", i + 1);
        match allowlist(list, &what, list.target_rules.clone(), &mut problems) {
            Some(scoped) if scoped.condition == "or" && scoped.rules.is_empty() => {
                out.allow.regexes.extend(scoped.regexes);
                out.allow.stopwords.extend(scoped.stopwords);
                out.allow.paths.extend(scoped.paths);
                out.allow.commits.extend(scoped.commits);
            }
            Some(scoped) => out.allow.scoped.push(scoped),
            None => {}
        }
    }

    if !problems.is_empty() {
        return Err(Error::Config(format!(
            "{origin}: cannot translate from gitleaks: {}",
            problems.join("; ")
        )));
    }
    let toml = toml::to_string_pretty(&out)
        .map_err(|e| Error::Config(format!("{origin}: cannot write the translation: {e}")))?;
    Ok(Translated { toml, notes })
}

fn translate_rule(
    i: usize,
    rule: &GlRule,
    out: &mut Out,
    problems: &mut Vec<String>,
    notes: &mut Vec<String>,
) {
    let id = rule.id.trim();
    let what = if id.is_empty() {
        format!("rules[{i}]")
    } else {
        format!("rule {id:?}")
    };
    if id.is_empty() {
        problems.push(format!("{what}: id is empty"));
        return;
    }
    if rule.required.is_some() || rule.skip_report.is_some() {
        problems.push(format!(
            "{what}: composite rules ([[rules.required]], skipReport) cannot be translated"
        ));
        return;
    }
    let Some(regex) = &rule.regex else {
        if rule.path.is_some() {
            problems.push(format!(
                "{what}: path-only rule (no regex) cannot be translated: sprawl reports \
                 secrets, not files; exclude or allow the path instead"
            ));
        } else {
            notes.push(format!(
                "{what}: no regex (it extends a gitleaks default rule sprawl does not have); \
                 ignored"
            ));
        }
        return;
    };
    let pattern = match with_secret_group(regex, rule.secret_group.unwrap_or(0)) {
        Ok(p) => p,
        Err(why) => {
            problems.push(format!("{what}: regex: {why}"));
            return;
        }
    };
    if let Err(why) = crate::rules::pattern::compile(&pattern) {
        problems.push(format!("{what}: regex: {why}"));
        return;
    }
    if let Some(path) = &rule.path {
        if let Err(e) = regex::Regex::new(path) {
            problems.push(format!(
                "{what}: path: {}",
                crate::rules::one_line(&e.to_string())
            ));
            return;
        }
        out.rules.scope.push(OutScope {
            ids: vec![id.to_string()],
            paths: vec![path.clone()],
        });
    }
    let keywords: Vec<String> = rule
        .keywords
        .iter()
        .filter(|k| !k.is_empty())
        .cloned()
        .collect();
    out.rule.push(OutRule {
        id: id.to_string(),
        name: rule.description.clone().unwrap_or_else(|| id.to_string()),
        severity: "high",
        confidence: "medium",
        keyword_free: keywords
            .is_empty()
            .then_some("imported from gitleaks without keywords"),
        keywords,
        pattern,
        min_entropy: rule.entropy.filter(|e| *e > 0.0),
        tags: rule.tags.clone(),
        remediation: "Revoke or rotate the credential, then remove it from the code.",
    });
    let lists = rule.allowlist.iter().chain(rule.allowlists.iter());
    for (j, list) in lists.enumerate() {
        if !list.target_rules.is_empty() {
            problems.push(format!(
                "{what}: allowlist {}: targetRules inside a rule",
                j + 1
            ));
            continue;
        }
        let where_ = format!("{what}: allowlist {}", j + 1);
        if let Some(scoped) = allowlist(list, &where_, vec![id.to_string()], problems) {
            out.allow.scoped.push(scoped);
        }
    }
}

fn allowlist(
    list: &GlAllowlist,
    what: &str,
    rules: Vec<String>,
    problems: &mut Vec<String>,
) -> Option<OutScoped> {
    let condition = match list
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("OR") => "or",
        Some("AND") => "and",
        Some(other) => {
            problems.push(format!("{what}: unknown condition {other:?}"));
            return None;
        }
    };
    match list.regex_target.as_deref() {
        None | Some("secret") => {}
        Some(t) if !list.regexes.is_empty() => {
            problems.push(format!(
                "{what}: regexTarget = {t:?} cannot be translated: sprawl allowlist regexes \
                 match the secret only"
            ));
            return None;
        }
        Some(_) => {}
    }
    for (key, pats) in [("regexes", &list.regexes), ("paths", &list.paths)] {
        for p in pats {
            if let Err(e) = regex::Regex::new(p) {
                problems.push(format!(
                    "{what}: {key} {p:?}: {}",
                    crate::rules::one_line(&e.to_string())
                ));
                return None;
            }
        }
    }
    Some(OutScoped {
        description: list.description.clone(),
        rules,
        condition,
        regexes: list.regexes.clone(),
        stopwords: list.stopwords.clone(),
        paths: list.paths.clone(),
        commits: list.commits.clone(),
    })
}

/// The translation as a file: a header saying where it came from, the notes as comments, then
/// the TOML.
pub fn render(t: &Translated, origin: &str) -> String {
    let mut s = format!(
        "# Translated from the gitleaks configuration {origin} by `sprawl config import-gitleaks`.\n\
         # Imported rules keep their gitleaks ids; severity is \"high\" (gitleaks has none).\n"
    );
    for note in &t.notes {
        s.push_str(&format!("# note: {}\n", note.replace('\n', " ")));
    }
    s.push('\n');
    s.push_str(&t.toml);
    s
}

#[cfg(test)]
mod tests {
    use super::is_gitleaks;
    use std::path::Path;

    #[test]
    fn recognised_by_name_or_shape() {
        let p = Path::new("policy.toml");
        assert!(is_gitleaks(Path::new("ci/.gitleaks.toml"), "[scan]\n"));
        assert!(is_gitleaks(p, "[[rules]]\nid = \"a\"\n"));
        assert!(is_gitleaks(p, "title = \"x\"\n[allowlist]\npaths = []\n"));
        assert!(!is_gitleaks(p, "[rules]\ndisable = []\n"));
        assert!(!is_gitleaks(p, "title = \"x\"\n[scan]\nexclude = []\n"));
        assert!(!is_gitleaks(p, "[[rule]]\nid = \"a\"\n"));
        assert!(!is_gitleaks(Path::new(".sprawl.toml"), "not toml ["));
    }
}
