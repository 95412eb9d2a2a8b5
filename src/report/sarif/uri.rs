//! SARIF artifact URIs: a location's path as a percent-encoded URI relative to `%SRCROOT%`, or an
//! absolute `file://` URI.

use serde::Serialize;

use super::SRCROOT;
use crate::source::Location;

/// A SARIF `artifactLocation`.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    /// Percent-encoded URI reference.
    pub uri: String,
    /// `%SRCROOT%` for relative URIs; absent for absolute `file://` URIs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

/// The artifact location of `loc`: the root joined with the path as in
/// [`Location::display_path`], relative to `%SRCROOT%` unless the root is absolute.
pub fn artifact_location(loc: &Location) -> ArtifactLocation {
    // Backslashes and drive letters are path syntax only on Windows; elsewhere they are
    // ordinary characters in a name and get percent-encoded.
    let shown = if cfg!(windows) {
        loc.display_path().replace('\\', "/")
    } else {
        loc.display_path()
    };
    let b = shown.as_bytes();
    let windows_drive = cfg!(windows)
        && b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && (b.len() == 2 || b[2] == b'/');
    if shown.starts_with('/') || windows_drive {
        let path = if windows_drive {
            format!("/{shown}")
        } else {
            shown
        };
        return ArtifactLocation {
            uri: format!("file://{}", encode_path(&path, true)),
            uri_base_id: None,
        };
    }
    let mut rel = shown.as_str();
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest;
    }
    if rel == "." {
        rel = "";
    }
    ArtifactLocation {
        uri: encode_path(rel, false),
        uri_base_id: Some(SRCROOT),
    }
}

/// Percent-encode a `/`-separated path for a URI: unreserved characters, `/` and the
/// sub-delimiters stay; everything else (space, `%`, `#`, `?`, `:`, non-ASCII as UTF-8) is
/// encoded. `:` is always encoded so a relative path can never read as a scheme; a drive
/// letter's colon is kept when `keep_drive` (absolute `file://` URIs).
pub fn encode_path(path: &str, keep_drive: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&b)
            || (keep_drive && b == b':' && i == 2);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceKind;

    fn uri(root: &str, path: &str) -> (String, Option<&'static str>) {
        let a = artifact_location(&Location::input(root, path, SourceKind::File));
        (a.uri, a.uri_base_id)
    }

    #[test]
    fn relative_uris_join_root_and_path() {
        let base = Some(SRCROOT);
        assert_eq!(uri(".", "a/b.txt"), ("a/b.txt".into(), base));
        assert_eq!(uri("./", "a/b.txt"), ("a/b.txt".into(), base));
        assert_eq!(uri("./app", "x.env"), ("app/x.env".into(), base));
        assert_eq!(uri("app/", "x.env"), ("app/x.env".into(), base));
        assert_eq!(uri("cfg/s.yml", ""), ("cfg/s.yml".into(), base));
        assert_eq!(uri("../other", "k"), ("../other/k".into(), base));
    }

    #[test]
    fn uris_are_percent_encoded() {
        let base = Some(SRCROOT);
        assert_eq!(
            uri(".", "my file#1?.txt"),
            ("my%20file%231%3F.txt".into(), base)
        );
        assert_eq!(uri(".", "100%/é.txt"), ("100%25/%C3%A9.txt".into(), base));
        assert_eq!(uri(".", "c:d/e"), ("c%3Ad/e".into(), base));
        assert_eq!(uri(".", "a+b@c=d"), ("a+b@c=d".into(), base));
    }

    #[test]
    fn absolute_roots_become_file_uris() {
        assert_eq!(
            uri("/srv/app", "a b"),
            ("file:///srv/app/a%20b".into(), None)
        );
        if cfg!(windows) {
            assert_eq!(uri("C:\\work", "x"), ("file:///C:/work/x".into(), None));
        } else {
            assert_eq!(uri(".", "a\\b"), ("a%5Cb".into(), Some(SRCROOT)));
        }
    }
}
