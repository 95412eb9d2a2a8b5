//! The two shapes the gitleaks import moves between: gitleaks' configuration as documented
//! (read strictly: an unknown key is an error naming it) and the subset of `.sprawl.toml` the
//! translation writes. Data only; `super` does the translating.

use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct GlConfig {
    #[serde(default)]
    pub(super) title: Option<String>,
    #[serde(default)]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) min_version: Option<String>,
    #[serde(default)]
    pub(super) extend: Option<GlExtend>,
    #[serde(default)]
    pub(super) rules: Vec<GlRule>,
    #[serde(default)]
    pub(super) allowlist: Option<GlAllowlist>,
    #[serde(default)]
    pub(super) allowlists: Vec<GlAllowlist>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct GlExtend {
    #[serde(default)]
    pub(super) use_default: Option<bool>,
    #[serde(default)]
    pub(super) path: Option<String>,
    #[serde(default)]
    pub(super) disabled_rules: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct GlRule {
    pub(super) id: String,
    #[serde(default)]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) regex: Option<String>,
    #[serde(default)]
    pub(super) secret_group: Option<u32>,
    #[serde(default)]
    pub(super) entropy: Option<f64>,
    #[serde(default)]
    pub(super) path: Option<String>,
    #[serde(default)]
    pub(super) keywords: Vec<String>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) allowlist: Option<GlAllowlist>,
    #[serde(default)]
    pub(super) allowlists: Vec<GlAllowlist>,
    #[serde(default)]
    pub(super) required: Option<toml::Value>,
    #[serde(default)]
    pub(super) skip_report: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct GlAllowlist {
    #[serde(default)]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) condition: Option<String>,
    #[serde(default)]
    pub(super) regex_target: Option<String>,
    #[serde(default)]
    pub(super) regexes: Vec<String>,
    #[serde(default)]
    pub(super) paths: Vec<String>,
    #[serde(default)]
    pub(super) stopwords: Vec<String>,
    #[serde(default)]
    pub(super) commits: Vec<String>,
    #[serde(default)]
    pub(super) target_rules: Vec<String>,
}

#[derive(Serialize, Default)]
pub(super) struct Out {
    pub(super) rules: OutRules,
    #[serde(rename = "rule", skip_serializing_if = "Vec::is_empty")]
    pub(super) rule: Vec<OutRule>,
    pub(super) allow: OutAllow,
}

#[derive(Serialize, Default)]
pub(super) struct OutRules {
    pub(super) builtin: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) scope: Vec<OutScope>,
}

#[derive(Serialize)]
pub(super) struct OutScope {
    pub(super) ids: Vec<String>,
    pub(super) paths: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct OutRule {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) severity: &'static str,
    pub(super) confidence: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) keywords: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) keyword_free: Option<&'static str>,
    pub(super) pattern: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) min_entropy: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) tags: Vec<String>,
    pub(super) remediation: &'static str,
}

#[derive(Serialize, Default)]
pub(super) struct OutAllow {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) regexes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) stopwords: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) paths: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) commits: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) scoped: Vec<OutScoped>,
}

#[derive(Serialize)]
pub(super) struct OutScoped {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) rules: Vec<String>,
    pub(super) condition: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) regexes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) stopwords: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) paths: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) commits: Vec<String>,
}
