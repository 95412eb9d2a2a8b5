//! `keyword value` configs of mail clients and daemons, one statement per line (`#` comments,
//! values optionally quoted):
//! - esmtp `.esmtprc` (`password`, `certificate_passphrase`, per `identity`), msmtp `.msmtprc`
//!   (`password`, per `account`; `passwordeval` is a command, not a secret), mutt `.muttrc`
//!   (`set smtp_pass` / `imap_pass` / `pop_pass`), fetchmail `.fetchmailrc` (`password` /
//!   `pass`, per `poll` server and `user`) -> field `mail-client.password`;
//! - Redis `redis.conf` / `sentinel.conf`: `requirepass`, `masterauth`, `sentinel auth-pass`,
//!   `sentinel sentinel-pass`, the TLS key passphrases, and ACL `user NAME ... >password` ->
//!   field `redis.password`;
//! - `wpa_supplicant.conf`: `psk`, `password`, `sae_password`, `private_key_passwd`, `wep_key0..3`
//!   inside `network={...}` -> field `wpa-supplicant.secret`, with the network's `ssid`.

use std::ops::Range;

use super::{Decoded, clip_label, emit, lines, trim};

/// Which file this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.esmtprc`.
    Esmtp,
    /// `.msmtprc`.
    Msmtp,
    /// `.muttrc`.
    Mutt,
    /// `.fetchmailrc` (statements span lines: the whole file is one token stream).
    Fetchmail,
    /// `redis.conf`, `sentinel.conf`.
    Redis,
    /// `wpa_supplicant.conf`.
    WpaSupplicant,
}

/// A token: its range in the file (quotes excluded) and whether it was quoted.
type Token = (Range<usize>, bool);

/// Decode a keyword config.
pub fn decode(data: &[u8], kind: Kind) -> Decoded {
    let mut out = Decoded::default();
    if kind == Kind::Fetchmail {
        fetchmail(data, &tokens(data, 0..data.len(), false), &mut out);
        return out;
    }
    // The block a statement belongs to: an esmtp identity, an msmtp account, a wpa network.
    let mut block: Option<String> = None;
    for line in lines(data) {
        let line = trim(data, line);
        if line.is_empty() || data[line.start] == b'#' {
            continue;
        }
        // esmtp, mutt and wpa_supplicant write `key = value`; redis and msmtp values may hold `=`.
        let eq = matches!(kind, Kind::Esmtp | Kind::Mutt | Kind::WpaSupplicant);
        let t = tokens(data, line.clone(), eq);
        let word = |i: usize| t.get(i).map(|(r, _)| &data[r.clone()]);
        let text = |i: usize| word(i).map(|w| clip_label(String::from_utf8_lossy(w).into_owned()));
        let (key, value) = match kind {
            Kind::Esmtp | Kind::Msmtp => {
                let opener = if kind == Kind::Esmtp {
                    &b"identity"[..]
                } else {
                    b"account"
                };
                if word(0) == Some(opener) {
                    block = text(1).map(|n| format!("{} {n}", String::from_utf8_lossy(opener)));
                    continue;
                }
                if kind == Kind::Msmtp && word(0) == Some(b"defaults") {
                    block = Some("defaults".into());
                    continue;
                }
                let secret = matches!(word(0), Some(b"password" | b"certificate_passphrase"));
                (text(0), if secret { t.get(1) } else { None })
            }
            Kind::Mutt => {
                let var = word(1).map(<[u8]>::to_ascii_lowercase);
                let secret = matches!(
                    var.as_deref(),
                    Some(b"smtp_pass" | b"imap_pass" | b"pop_pass")
                );
                (
                    text(1).map(|v| format!("set {v}")),
                    if word(0) == Some(b"set") && secret {
                        t.get(2)
                    } else {
                        None
                    },
                )
            }
            Kind::Redis => match word(0).map(<[u8]>::to_ascii_lowercase).as_deref() {
                Some(
                    b"requirepass"
                    | b"masterauth"
                    | b"tls-key-file-pass"
                    | b"tls-client-key-file-pass",
                ) => (text(0), t.get(1)),
                Some(b"sentinel") if matches!(word(1), Some(b"auth-pass")) => (
                    Some(format!(
                        "sentinel auth-pass {}",
                        text(2).unwrap_or_default()
                    )),
                    t.get(3),
                ),
                Some(b"sentinel") if matches!(word(1), Some(b"sentinel-pass")) => {
                    (Some("sentinel sentinel-pass".into()), t.get(2))
                }
                Some(b"user") => {
                    acl_user(data, &t, &mut out);
                    continue;
                }
                _ => continue,
            },
            Kind::WpaSupplicant => {
                if word(0) == Some(b"network") {
                    block = Some("network".into());
                    continue;
                }
                if word(0) == Some(b"}") {
                    block = None;
                    continue;
                }
                if word(0) == Some(b"ssid") {
                    block = text(1).map(|s| format!("network ssid {s}"));
                    continue;
                }
                let secret = matches!(
                    word(0),
                    Some(
                        b"psk"
                            | b"password"
                            | b"sae_password"
                            | b"private_key_passwd"
                            | b"private_key2_passwd"
                            | b"wep_key0"
                            | b"wep_key1"
                            | b"wep_key2"
                            | b"wep_key3"
                    )
                );
                (text(0), if secret { t.get(1) } else { None })
            }
            Kind::Fetchmail => continue,
        };
        let (Some(key), Some((range, _))) = (key, value) else {
            continue;
        };
        let context = match &block {
            Some(b) => format!("{b} {key}"),
            None => key,
        };
        emit::raw(&mut out, data, range.clone(), field(kind), context);
    }
    out
}

fn field(kind: Kind) -> &'static str {
    match kind {
        Kind::Esmtp | Kind::Msmtp | Kind::Mutt | Kind::Fetchmail => "mail-client.password",
        Kind::Redis => "redis.password",
        Kind::WpaSupplicant => "wpa-supplicant.secret",
    }
}

/// Redis ACL `user NAME rule...`: each `>password` rule is a plaintext password.
fn acl_user(data: &[u8], t: &[Token], out: &mut Decoded) {
    let name = t
        .get(1)
        .map(|(r, _)| clip_label(String::from_utf8_lossy(&data[r.clone()]).into_owned()));
    for (r, _) in t.iter().skip(2) {
        if data.get(r.start) == Some(&b'>') && r.len() > 1 {
            let context = emit::label(&[("user", name.as_deref())]);
            emit::raw(out, data, r.start + 1..r.end, "redis.password", context);
        }
    }
}

/// fetchmail: `poll|server HOST ... user|username NAME ... password|pass SECRET`, free-form
/// over lines.
fn fetchmail(data: &[u8], t: &[Token], out: &mut Decoded) {
    let (mut server, mut user): (Option<String>, Option<String>) = (None, None);
    let mut i = 0;
    while i < t.len() {
        let (r, quoted) = &t[i];
        let next = t.get(i + 1).map(|(n, _)| n.clone());
        let text =
            |r: &Range<usize>| clip_label(String::from_utf8_lossy(&data[r.clone()]).into_owned());
        match (&data[r.clone()], quoted) {
            (b"poll" | b"server" | b"skip", false) => {
                server = next.as_ref().map(text);
                user = None;
                i += 1;
            }
            (b"user" | b"username", false) => {
                user = next.as_ref().map(text);
                i += 1;
            }
            (b"password" | b"pass" | b"passwd", false) => {
                if let Some(n) = next {
                    let context =
                        emit::label(&[("poll", server.as_deref()), ("user", user.as_deref())]);
                    emit::raw(out, data, n, "mail-client.password", context);
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Tokens of `range`: whitespace-separated words, `"..."` / `'...'` strings (quotes excluded),
/// `#` to the end of the line outside quotes. With `eq`, the first `=` separates a key from its
/// value (`key = value`, `key=value`); later ones belong to the value.
fn tokens(data: &[u8], range: Range<usize>, eq: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let mut eq = eq;
    let mut i = range.start;
    while i < range.end {
        let b = data[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'#' && (i == range.start || data[i - 1].is_ascii_whitespace()) {
            i = memchr::memchr(b'\n', &data[i..range.end]).map_or(range.end, |n| i + n);
        } else if b == b'=' && eq {
            eq = false;
            i += 1;
        } else if b == b'"' || b == b'\'' {
            let end = memchr::memchr(b, &data[i + 1..range.end]).map_or(range.end, |n| i + 1 + n);
            out.push((i + 1..end, true));
            i = end + 1;
        } else {
            let start = i;
            while i < range.end && !data[i].is_ascii_whitespace() && !(eq && data[i] == b'=') {
                i += 1;
            }
            out.push((start..i, false));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn got(text: &[u8], kind: Kind) -> Vec<(String, String)> {
        decode(text, kind)
            .derived
            .iter()
            .map(|x| {
                (
                    String::from_utf8_lossy(&x.data).into_owned(),
                    x.context.clone().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn mail_clients() {
        let esmtp = b"identity a@b\n\thostname h:587\n\tpassword \"p w1\"\n\tcertificate_passphrase = c2\nmda \"x\"\n";
        assert_eq!(
            got(esmtp, Kind::Esmtp),
            [
                ("p w1".into(), "identity a@b password".into()),
                ("c2".into(), "identity a@b certificate_passphrase".into())
            ]
        );
        let msmtp = b"defaults\nauth on\naccount work\nuser me\npassword   s3 # note\naccount lists\npasswordeval \"pass show x\"\n";
        assert_eq!(
            got(msmtp, Kind::Msmtp),
            [("s3".into(), "account work password".into())]
        );
        let mutt = b"set smtp_url = \"smtp://me@h/\"\nset smtp_pass=m1=\n# set imap_pass = \"no\"\nset IMAP_PASS = 'm2'\n";
        assert_eq!(
            got(mutt, Kind::Mutt),
            [
                ("m1=".into(), "set smtp_pass".into()),
                ("m2".into(), "set IMAP_PASS".into())
            ]
        );
        let fm = b"set daemon 300\npoll imap.x protocol IMAP\n  user \"jd\" there with password \"f 1\" is \"jd\" here\npoll pop.y user \"u2\" pass f2\n";
        assert_eq!(
            got(fm, Kind::Fetchmail),
            [
                ("f 1".into(), "poll imap.x user jd".into()),
                ("f2".into(), "poll pop.y user u2".into())
            ]
        );
    }

    #[test]
    fn redis_and_wpa() {
        let redis = b"port 6379\nrequirepass r1=x\n# requirepass foobared\nmasterauth \"r 2\"\nuser worker on >r3 ~jobs:* +@all\nuser default off nopass\nsentinel auth-pass mymaster r4\n";
        assert_eq!(
            got(redis, Kind::Redis),
            [
                ("r1=x".into(), "requirepass".into()),
                ("r 2".into(), "masterauth".into()),
                ("r3".into(), "user worker".into()),
                ("r4".into(), "sentinel auth-pass mymaster".into())
            ]
        );
        let wpa = b"ctrl_interface=DIR=/run GROUP=netdev\nnetwork={\n\tssid=\"Home\"\n\tpsk=\"w p1\"\n}\nnetwork={\n\tssid=\"Corp\"\n\tidentity=\"me\"\n\tpassword=\"w2\"\n}\n";
        assert_eq!(
            got(wpa, Kind::WpaSupplicant),
            [
                ("w p1".into(), "network ssid Home psk".into()),
                ("w2".into(), "network ssid Corp password".into())
            ]
        );
    }

    /// A long identity or user name over many passwords: every label is clipped.
    #[test]
    fn slow_long_block_names_are_clipped() {
        let mut esmtp = format!("identity {}\n", "i".repeat(50_000));
        let mut redis = format!("user {} on", "u".repeat(50_000));
        for _ in 0..10_000 {
            esmtp.push_str("password pw1\n");
            redis.push_str(" >pw2");
        }
        for (text, kind) in [(esmtp, Kind::Esmtp), (redis, Kind::Redis)] {
            let d = decode(text.as_bytes(), kind);
            assert_eq!(d.derived.len(), 10_000);
            let limit = crate::source::decode::MAX_LABEL + 32;
            assert!(
                d.derived
                    .iter()
                    .all(|x| x.context.as_ref().unwrap().len() <= limit)
            );
        }
    }
}
