//! Shell and REPL history: bash (with `#<unix time>` lines when `HISTTIMEFORMAT` is set), zsh
//! (plain, or extended `: <unix time>:<elapsed>;command`), fish (`- cmd: ...` / `when: ...`),
//! and the line-per-entry histories of python, node, mysql and psql.
//!
//! The rules find the credentials (`export AWS_SECRET_ACCESS_KEY=...`,
//! `curl -H 'Authorization: Bearer ...'`, `mysql -p...`, URLs with passwords); this decoder
//! names where each sits: the command's program and, when the history records it, when it ran
//! (`curl command at 2023-11-14T22:13:20Z`). A secret typed on a command line is in the
//! history, in the process list while it ran, and often in the terminal's scrollback.

use std::ops::Range;

use super::credjson::rfc3339;
use super::{Decoded, clip_label, lines};

/// Decode a history file.
pub fn decode(data: &[u8]) -> Decoded {
    let mut entries: Vec<(Range<usize>, Option<i64>)> = Vec::new();
    let mut stamp: Option<i64> = None;
    let fish = data.starts_with(b"- cmd: ");
    for line in lines(data) {
        let text = &data[line.clone()];
        if let Some(t) = text.strip_prefix(b"#").and_then(number) {
            stamp = Some(t); // bash: the time of the next entry
            continue;
        }
        if let Some(rest) = text.strip_prefix(b": ")
            && let Some(semi) = rest.iter().position(|&b| b == b';')
        {
            // zsh extended: `: 1700000000:0;command`
            let when = rest[..semi].split(|&b| b == b':').next().and_then(number);
            let start = line.start + 2 + semi + 1;
            entries.push((start..line.end, when));
            continue;
        }
        if let Some(cmd) = text.strip_prefix(b"- cmd: ") {
            entries.push((line.end - cmd.len()..line.end, None));
            continue;
        }
        if let Some(when) = text.strip_prefix(b"  when: ").and_then(number) {
            if let Some(last) = entries.last_mut() {
                last.1 = Some(when); // fish: the time follows the command
            }
            continue;
        }
        if fish && text.starts_with(b"  ") {
            continue; // fish `paths:` and its items
        }
        if !text.is_empty() {
            entries.push((line, stamp.take()));
        }
    }
    let mut out = Decoded::default();
    for (range, when) in entries {
        let program = program(&data[range.clone()]);
        let context = match when {
            Some(t) => format!("{program} command at {}", rfc3339(t)),
            None => format!("{program} command"),
        };
        out.spans.push((range, clip_label(context)));
    }
    out
}

fn number(b: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(b).ok()?.trim();
    (!s.is_empty() && s.len() <= 12 && s.bytes().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The program a command runs: the first word that is not an environment assignment or a
/// wrapper (`sudo`, `env`, `time`, `nohup`, `command`), without its directory.
fn program(cmd: &[u8]) -> String {
    let text = String::from_utf8_lossy(cmd);
    let word = text
        .split_whitespace()
        .find(|w| {
            let assignment = w.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
            });
            !assignment && !matches!(*w, "sudo" | "env" | "time" | "nohup" | "command")
        })
        .unwrap_or("");
    let name = word.rsplit('/').next().unwrap_or(word);
    let name: String = name.chars().take(40).collect();
    if name.is_empty() {
        "shell".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(data: &str) -> Vec<(String, String)> {
        let d = decode(data.as_bytes());
        d.spans
            .into_iter()
            .map(|(r, l)| (data[r].to_string(), l))
            .collect()
    }

    #[test]
    fn bash_with_and_without_times() {
        let got = labels("ls\n#1700000000\nFOO=1 sudo /usr/bin/curl -u a:b x\n");
        assert_eq!(got[0], ("ls".into(), "ls command".into()));
        assert_eq!(
            got[1],
            (
                "FOO=1 sudo /usr/bin/curl -u a:b x".into(),
                "curl command at 2023-11-14T22:13:20Z".into()
            )
        );
    }

    #[test]
    fn zsh_extended_and_fish() {
        let got = labels(": 1700000000:0;export TOKEN=abc\n");
        assert_eq!(
            got,
            vec![(
                "export TOKEN=abc".into(),
                "export command at 2023-11-14T22:13:20Z".into()
            )]
        );
        let fish =
            "- cmd: mysql -p\"$DB_PASSWORD\"\n  when: 1700000000\n  paths:\n    - x\n- cmd: ls\n";
        let got = labels(fish);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "mysql -p\"$DB_PASSWORD\"");
        assert_eq!(got[0].1, "mysql command at 2023-11-14T22:13:20Z");
        assert_eq!(got[1].1, "ls command");
    }
}
