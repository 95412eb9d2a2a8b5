//! What a SARIF run says beyond results: whether the scan completed (`invocations`) and the git
//! history copies of a credential, which never point at today's lines.

use serde::Serialize;

use super::Text;
use crate::correlate::Finding;
use crate::error::ScanIssue;
use crate::source::Location;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
pub(super) struct Notification {
    level: &'static str,
    message: Text,
}

/// A copy of the credential in git history, named in a result's properties.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct HistoryCopy<'a> {
    /// The commit that introduced the blob (empty for an unreachable blob).
    commit: &'a str,
    /// The path in that commit, as in the JSON report.
    path: String,
    /// The line in that commit's version of the file.
    line: u32,
    blob: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unreachable: bool,
}

/// A history-only result's message: where the copies were introduced, never today's lines.
pub(super) fn history_message(f: &Finding, copies: &[&Location], secret: &str) -> String {
    let fp = crate::report::human::short_fingerprint(&f.fingerprint);
    let first = copies[0];
    let at = match &first.git {
        Some(g) if g.unreachable => format!("in blob {} that no ref reaches", g.blob),
        Some(g) => format!(
            "introduced in commit {} at line {}",
            g.commit.get(..12).unwrap_or(&g.commit),
            first.line
        ),
        None => String::new(),
    };
    let more = match copies.len() {
        1 => String::new(),
        n => format!(" ({n} copies in this file's history)"),
    };
    format!(
        "{}: secret {secret} (fingerprint {fp}) only in git history, not in this file today:          {at}{more}. Rotate it; purging history does not revoke it.",
        f.rule_name
    )
}

pub(super) fn history_copy(loc: &Location) -> HistoryCopy<'_> {
    let (commit, blob, unreachable) = match &loc.git {
        Some(g) => (g.commit.as_str(), g.blob.as_str(), g.unreachable),
        None => ("", "", false),
    };
    HistoryCopy {
        commit,
        path: loc.display_path(),
        line: loc.line,
        blob,
        unreachable,
    }
}

/// The run's invocation: successful when nothing the command line named failed and no input was
/// cut off at a cap; every issue as a notification (errors as `error`).
pub(super) fn invocation(issues: &[ScanIssue]) -> Invocation {
    Invocation {
        execution_successful: !issues.iter().any(ScanIssue::is_partial),
        tool_execution_notifications: issues
            .iter()
            .map(|i| Notification {
                level: if i.is_partial() { "error" } else { "warning" },
                message: Text {
                    text: i.to_string(),
                },
            })
            .collect(),
    }
}
