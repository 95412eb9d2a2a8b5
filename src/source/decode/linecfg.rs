//! Line-oriented system credential files, one entry per line:
//! - `/etc/shadow` (`name:hash:lastchg:...`, nine fields) and `/etc/gshadow`: the hash, without
//!   a `!` lock prefix (a locked account's hash still cracks) -> field `shadow.hash`; `*`, `!`,
//!   `x` and empty fields hold no hash;
//! - PgBouncer `userlist.txt` (`"user" "password"`, `""` escapes a quote): a plaintext password,
//!   an `md5...` hash or a SCRAM secret -> field `pgbouncer.password`;
//! - Postfix `sasl_passwd` (`[host]:port user:password`) -> field `postfix.sasl-password`;
//! - an OpenVPN `auth-user-pass` file (user on line 1, password on line 2, in an `openvpn`
//!   directory) or inline `<auth-user-pass>` block -> field `openvpn.password`;
//! - `/etc/fstab` CIFS/SMB mounts with a `password=` (or `pass=`) option -> field `cifs.password`.

use std::ops::Range;

use super::{Decoded, Mapped, emit, lines, trim};

/// Which file this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `shadow` (nine fields per line).
    Shadow,
    /// `gshadow` (four fields per line).
    Gshadow,
    /// PgBouncer `userlist.txt`.
    PgbouncerUserlist,
    /// Postfix `sasl_passwd`.
    SaslPasswd,
    /// OpenVPN credentials: a two-line file, or a config with an inline block.
    Openvpn,
    /// `fstab`.
    Fstab,
}

/// Decode a line-oriented credential file.
pub fn decode(data: &[u8], kind: Kind) -> Decoded {
    let mut out = Decoded::default();
    if kind == Kind::Openvpn {
        openvpn(data, &mut out);
        return out;
    }
    for line in lines(data) {
        let line = trim(data, line);
        if line.is_empty() || data[line.start] == b'#' {
            continue;
        }
        match kind {
            Kind::Shadow | Kind::Gshadow => shadow(data, line, kind, &mut out),
            Kind::PgbouncerUserlist => userlist(data, line, &mut out),
            Kind::SaslPasswd => sasl(data, line, &mut out),
            Kind::Fstab => fstab(data, line, &mut out),
            Kind::Openvpn => {}
        }
    }
    out
}

fn text(data: &[u8], r: Range<usize>) -> String {
    String::from_utf8_lossy(&data[r]).into_owned()
}

fn shadow(data: &[u8], line: Range<usize>, kind: Kind, out: &mut Decoded) {
    let colons: Vec<usize> = memchr::memchr_iter(b':', &data[line.clone()])
        .map(|i| line.start + i)
        .take(9)
        .collect();
    let need = if kind == Kind::Shadow { 8 } else { 3 };
    if colons.len() < need {
        return;
    }
    let mut hash = colons[0] + 1..colons[1];
    while hash.start < hash.end && data[hash.start] == b'!' {
        hash.start += 1;
    }
    if hash.is_empty() || matches!(&data[hash.clone()], b"*" | b"x" | b"*LK*" | b"NP" | b"LK") {
        return;
    }
    let who = if kind == Kind::Shadow {
        "user"
    } else {
        "group"
    };
    let context = format!("{who} {}", text(data, line.start..colons[0]));
    emit::raw(out, data, hash, "shadow.hash", context);
}

/// `"user" "password"`: two double-quoted strings, `""` standing for a quote inside one.
fn userlist(data: &[u8], line: Range<usize>, out: &mut Decoded) {
    let Some((user, after)) = quoted(data, line.start, line.end) else {
        return;
    };
    let mut i = after;
    while i < line.end && data[i].is_ascii_whitespace() {
        i += 1;
    }
    let Some((password, _)) = quoted(data, i, line.end) else {
        return;
    };
    let span = password.map.first().map_or(i, |p| p.1)..line.end.saturating_sub(1).max(i);
    let context = format!("user {}", String::from_utf8_lossy(&user.text));
    emit::plain(out, password, span, "pgbouncer.password", context);
}

/// A `"..."` string at `at` (with `""` escapes): its text mapped to the file, and the offset
/// after its closing quote.
fn quoted(data: &[u8], at: usize, end: usize) -> Option<(Mapped, usize)> {
    if data.get(at) != Some(&b'"') {
        return None;
    }
    let mut m = Mapped::default();
    let mut run = at + 1;
    let mut i = at + 1;
    while i < end {
        if data[i] == b'"' {
            m.push(&data[run..i], run);
            if data.get(i + 1) == Some(&b'"') && i + 1 < end {
                run = i + 1;
                i += 2;
                continue;
            }
            return Some((m, i + 1));
        }
        i += 1;
    }
    None
}

/// `[host]:port user:password` (also `host`, `@domain`): the password after the first colon.
fn sasl(data: &[u8], line: Range<usize>, out: &mut Decoded) {
    let l = &data[line.clone()];
    let Some(gap) = l.iter().position(u8::is_ascii_whitespace) else {
        return;
    };
    let cred = trim(data, line.start + gap..line.end);
    let Some(colon) = memchr::memchr(b':', &data[cred.clone()]).map(|i| cred.start + i) else {
        return;
    };
    let context = format!(
        "{} user {}",
        text(data, line.start..line.start + gap),
        text(data, cred.start..colon)
    );
    emit::raw(
        out,
        data,
        colon + 1..cred.end,
        "postfix.sasl-password",
        context,
    );
}

/// `device mountpoint type options dump pass`, for `cifs`/`smb3`/`smbfs` mounts.
fn fstab(data: &[u8], line: Range<usize>, out: &mut Decoded) {
    let mut fields = Vec::new();
    let mut i = line.start;
    while i < line.end && fields.len() < 4 {
        while i < line.end && data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < line.end && !data[i].is_ascii_whitespace() {
            i += 1;
        }
        if start < i {
            fields.push(start..i);
        }
    }
    if fields.len() < 4 || !matches!(&data[fields[2].clone()], b"cifs" | b"smb3" | b"smbfs") {
        return;
    }
    let opts = fields[3].clone();
    let mut start = opts.start;
    for end in memchr::memchr_iter(b',', &data[opts.clone()])
        .map(|j| opts.start + j)
        .chain([opts.end])
    {
        let opt = &data[start..end];
        for key in [&b"password="[..], b"pass="] {
            if opt.starts_with(key) && opt.len() > key.len() {
                let context = format!("mount {}", text(data, fields[0].clone()));
                emit::raw(out, data, start + key.len()..end, "cifs.password", context);
            }
        }
        start = end + 1;
    }
}

/// An inline `<auth-user-pass>` block, or a bare two-line credentials file.
fn openvpn(data: &[u8], out: &mut Decoded) {
    const OPEN: &[u8] = b"<auth-user-pass>";
    let body = match memchr::memmem::find(data, OPEN) {
        Some(at) => {
            let from = at + OPEN.len();
            let to = memchr::memmem::find(&data[from..], b"</auth-user-pass>")
                .map_or(data.len(), |n| from + n);
            from..to
        }
        None => 0..data.len(),
    };
    let rows: Vec<Range<usize>> = lines(&data[body.clone()])
        .map(|r| trim(data, body.start + r.start..body.start + r.end))
        .filter(|r| !r.is_empty())
        .collect();
    let [user, password] = rows.as_slice() else {
        return;
    };
    // A credentials file holds a user name and a password, nothing shaped like config.
    let plain = |r: &Range<usize>| {
        let l = &data[r.clone()];
        !l.contains(&b' ')
            && !l.starts_with(b"#")
            && !l.starts_with(b"-----")
            && !l.starts_with(b"<")
    };
    if !plain(user) || !plain(password) {
        return;
    }
    let context = format!("auth-user-pass user {}", text(data, user.clone()));
    emit::raw(out, data, password.clone(), "openvpn.password", context);
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
    fn shadow_files() {
        let s = b"root:$6$s$h:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nsshd:!:19700::::::\nbk:!$5$s$h2:1:0:9:7:::\nold:abcdefghijklm:1:0:9:7:::\nbad:line\n";
        assert_eq!(
            got(s, Kind::Shadow),
            [
                ("$6$s$h".into(), "user root".into()),
                ("$5$s$h2".into(), "user bk".into()),
                ("abcdefghijklm".into(), "user old".into())
            ]
        );
        assert_eq!(
            got(b"adm:$6$x$y::alice\nsudo:!::\n", Kind::Gshadow),
            [("$6$x$y".into(), "group adm".into())]
        );
    }

    #[test]
    fn userlist_sasl_fstab_openvpn() {
        let u = b"\"app\" \"md5abc\"\n\"rep\" \"p\"\"q\"\n\"stats\" \"\"\nnot a line\n";
        let d = decode(u, Kind::PgbouncerUserlist);
        assert_eq!(
            got(u, Kind::PgbouncerUserlist),
            [
                ("md5abc".into(), "user app".into()),
                ("p\"q".into(), "user rep".into())
            ]
        );
        let at = d.derived[1].anchor.map(2).unwrap();
        assert_eq!(u[at], b'q');
        let sasl = b"[smtp.x]:587 me@x:s1:s2\n@dom apikey:k\n";
        assert_eq!(
            got(sasl, Kind::SaslPasswd),
            [
                ("s1:s2".into(), "[smtp.x]:587 user me@x".into()),
                ("k".into(), "@dom user apikey".into())
            ]
        );
        let fstab =
            b"UUID=1 / ext4 defaults 0 1\n//nas/m /mnt cifs username=m,password=f1,uid=1 0 0\n";
        assert_eq!(
            got(fstab, Kind::Fstab),
            [("f1".into(), "mount //nas/m".into())]
        );
        assert_eq!(
            got(b"vpnuser\nv-pass1\n", Kind::Openvpn),
            [("v-pass1".into(), "auth-user-pass user vpnuser".into())]
        );
        assert_eq!(
            got(
                b"client\n<auth-user-pass>\nu\np2\n</auth-user-pass>\n",
                Kind::Openvpn
            )
            .len(),
            1
        );
        assert!(got(b"client\ndev tun\nremote x 1194\n", Kind::Openvpn).is_empty());
        assert!(got(b"-----BEGIN CERTIFICATE-----\nMII\n", Kind::Openvpn).is_empty());
    }
}
