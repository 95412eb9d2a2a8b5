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

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The result of a translation.
#[derive(Debug, Clone)]
pub struct Translated {
    /// The `.sprawl.toml` text (without the explanatory header).
    pub toml: String,
    /// Remarks on what was dropped or approximated, one line each.
    pub notes: Vec<String>,
}

/// True if `path` names a gitleaks config or `text` has gitleaks' top-level shape
/// (`[[rules]]` as an array, `[allowlist]`, `[[allowlists]]`, `[extend]`, `title`).
pub fn is_gitleaks(path: &std::path::Path, text: &str) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
    if name.is_some_and(|n| n.contains("gitleaks")) {
        return true;
    }
    let Ok(table) = text.parse::<toml::Table>() else {
        return false;
    };
    table.get("rules").is_some_and(toml::Value::is_array)
        || ["allowlist", "allowlists", "extend", "title"]
            .iter()
            .any(|k| table.contains_key(*k))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GlConfig {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    min_version: Option<String>,
    #[serde(default)]
    extend: Option<GlExtend>,
    #[serde(default)]
    rules: Vec<GlRule>,
    #[serde(default)]
    allowlist: Option<GlAllowlist>,
    #[serde(default)]
    allowlists: Vec<GlAllowlist>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GlExtend {
    #[serde(default)]
    use_default: Option<bool>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    disabled_rules: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GlRule {
    id: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    secret_group: Option<u32>,
    #[serde(default)]
    entropy: Option<f64>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    allowlist: Option<GlAllowlist>,
    #[serde(default)]
    allowlists: Vec<GlAllowlist>,
    #[serde(default)]
    required: Option<toml::Value>,
    #[serde(default)]
    skip_report: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GlAllowlist {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    regex_target: Option<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    target_rules: Vec<String>,
}

#[derive(Serialize, Default)]
struct Out {
    rules: OutRules,
    #[serde(rename = "rule", skip_serializing_if = "Vec::is_empty")]
    rule: Vec<OutRule>,
    allow: OutAllow,
}

#[derive(Serialize, Default)]
struct OutRules {
    builtin: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    scope: Vec<OutScope>,
}

#[derive(Serialize)]
struct OutScope {
    ids: Vec<String>,
    paths: Vec<String>,
}

#[derive(Serialize)]
struct OutRule {
    id: String,
    name: String,
    severity: &'static str,
    confidence: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword_free: Option<&'static str>,
    pattern: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_entropy: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    remediation: &'static str,
}

#[derive(Serialize, Default)]
struct OutAllow {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    regexes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stopwords: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    paths: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    commits: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    scoped: Vec<OutScoped>,
}

#[derive(Serialize)]
struct OutScoped {
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules: Vec<String>,
    condition: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    regexes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stopwords: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    paths: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    commits: Vec<String>,
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

/// Name the secret capture group `secret`: group `n` (gitleaks' `secretGroup`), or with
/// `n = 0` the first group, or the whole match when the regex has no groups. gitleaks takes
/// the first *non-empty* group when `secretGroup` is unset, which is the first group unless
/// that group can match empty.
pub fn with_secret_group(pattern: &str, n: u32) -> Result<String, String> {
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| crate::rules::one_line(&e.kind().to_string()))?;
    let mut groups = Vec::new();
    collect_groups(&ast, &mut groups);
    if groups.is_empty() {
        if n > 0 {
            return Err(format!("secretGroup = {n} but the regex has no groups"));
        }
        return Ok(format!("(?P<secret>{pattern})"));
    }
    let n = n.max(1);
    let Some(target) = groups.iter().find(|g| g.index == n) else {
        return Err(format!(
            "secretGroup = {n} but the regex has {} groups",
            groups.len()
        ));
    };
    if groups
        .iter()
        .any(|g| g.index != n && g.name.as_ref().is_some_and(|(name, _)| name == "secret"))
    {
        return Err("another group is already named `secret`".into());
    }
    let mut out = pattern.to_string();
    match &target.name {
        Some((_, span)) => out.replace_range(span.clone(), "secret"),
        None => out.insert_str(target.open + 1, "?P<secret>"),
    }
    Ok(out)
}

struct GroupAt {
    index: u32,
    /// Byte offset of the `(`.
    open: usize,
    /// The name and its byte range, for named groups.
    name: Option<(String, std::ops::Range<usize>)>,
}

fn collect_groups(ast: &regex_syntax::ast::Ast, out: &mut Vec<GroupAt>) {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Group(g) => {
            let open = g.span.start.offset;
            match &g.kind {
                GroupKind::CaptureIndex(index) => out.push(GroupAt {
                    index: *index,
                    open,
                    name: None,
                }),
                GroupKind::CaptureName { name, .. } => out.push(GroupAt {
                    index: name.index,
                    open,
                    name: Some((
                        name.name.clone(),
                        name.span.start.offset..name.span.end.offset,
                    )),
                }),
                GroupKind::NonCapturing(_) => {}
            }
            collect_groups(&g.ast, out);
        }
        Ast::Repetition(r) => collect_groups(&r.ast, out),
        Ast::Alternation(a) => a.asts.iter().for_each(|x| collect_groups(x, out)),
        Ast::Concat(c) => c.asts.iter().for_each(|x| collect_groups(x, out)),
        _ => {}
    }
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
