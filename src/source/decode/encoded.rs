//! Encoded values inside text: base64 runs and percent-encoded strings, decoded once so the
//! rules see the credential itself. The fingerprint is of the decoded secret, so the same value
//! raw in one file, base64 in a Kubernetes Secret and percent-encoded in a URL is one finding.
//!
//! A base64 run must be at least [`MIN_BASE64`] characters, decode cleanly, and decode to
//! printable UTF-8 text (a binary blob or a hash decodes to noise and is skipped). A
//! percent-encoded string must hold at least one `%XX` escape of something other than a letter or
//! digit: RFC 3986 section 2.3 says producers do not percent-encode unreserved characters, and no
//! common encoder escapes letters and digits, so a string whose every escape decodes to one
//! (`VZLUq%41sy`, a `%` typed into a dotenv password) is text, not encoding.

use std::ops::Range;

/// Shortest base64 run worth decoding (decodes to 15+ bytes).
pub const MIN_BASE64: usize = 20;

/// Longest run decoded; longer runs are embedded files, not credentials.
pub const MAX_BASE64: usize = 64 * 1024;

/// A decoded value and where its encoded form sits in the blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// Byte range of the encoded text in the blob.
    pub span: Range<usize>,
    /// The decoded bytes.
    pub bytes: Vec<u8>,
    /// `base64`, `url`, `escape` (`\\x`/`\\u` escapes) or `html` (character references).
    pub kind: &'static str,
}

/// Base64 alphabet (standard and URL-safe) as a lookup table: this loop sees every byte.
static B64: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'-' || b == b'_';
        i += 1;
    }
    t
};

fn is_b64(b: u8) -> bool {
    B64[b as usize]
}

/// Base64 of ASCII text: each 4-character group starts with a sextet below 32 (the top bits
/// of a byte under 0x80), i.e. `A`-`Z` or `a`-`f`. Checked before decoding, which most runs in
/// source code (long identifiers) fail at once.
fn could_be_ascii(run: &[u8]) -> bool {
    run.iter()
        .step_by(4)
        .all(|&b| b.is_ascii_uppercase() || (b'a'..=b'f').contains(&b))
}

/// Every base64 run and percent-encoded string in `data` that decodes to text.
pub fn find(data: &[u8]) -> Vec<Decoded> {
    let mut out = Vec::new();
    base64_runs(data, &mut out);
    percent_runs(data, &mut out);
    super::escape::find(data, &mut out);
    out
}

fn base64_runs(data: &[u8], out: &mut Vec<Decoded>) {
    long_runs(data, |start, stop| {
        let mut end = stop;
        while end < data.len() && end - stop < 2 && data[end] == b'=' {
            end += 1;
        }
        let run = &data[start..stop];
        if run.len() > MAX_BASE64 || !could_be_ascii(run) || !mixed(run) {
            return end;
        }
        if let Some(bytes) = crate::codec::base64_decode(run).filter(|b| printable(b)) {
            out.push(Decoded {
                span: start..end,
                bytes,
                kind: "base64",
            });
        }
        end
    });
}

/// Call `f(start, stop)` for every maximal run of at least [`MIN_BASE64`] alphabet bytes, left
/// to right; `f` returns where to go on from (at or after `stop`: the run's padding).
///
/// This loop sees every byte of every file, so it looks at 64 positions at once: a bit mask of
/// the alphabet over the next 128 bytes (16 at a time with SSE2 on x86-64), and-ed with itself
/// shifted so that bit `j` survives only if bytes `j..j + 20` are all in the alphabet. Most
/// 64-byte stretches of source code have no such bit and are passed over whole (about 5x the
/// speed of the byte-wise scan it replaced; the tests compare the two).
fn long_runs(data: &[u8], mut f: impl FnMut(usize, usize) -> usize) {
    const _: () = assert!(
        MIN_BASE64 == 20,
        "the shifts below test 20 consecutive bits"
    );
    let mut i = 0;
    // The alphabet mask of [i, i + 128), slid along rather than rebuilt.
    let mut w = u128::from(mask64(data, 0)) | (u128::from(mask64(data, 64)) << 64);
    while i + MIN_BASE64 <= data.len() {
        let mut r = w & (w >> 1); // 2 in a row
        r &= r >> 2; // 4
        r &= r >> 4; // 8
        r &= r >> 8; // 16
        r &= r >> 4; // 20
        let starts = r as u64; // runs starting in [i, i + 64)
        let next = if starts == 0 {
            i + 64
        } else {
            // The lowest bit starts a run: a run reaching back before `i` would have been
            // found from an earlier position and `i` moved past its end.
            let start = i + starts.trailing_zeros() as usize;
            let mut stop = start + MIN_BASE64;
            while stop < data.len() && is_b64(data[stop]) {
                stop += 1;
            }
            f(start, stop).max(stop)
        };
        let d = next - i;
        w = if d <= 64 {
            (w >> d) | (u128::from(mask64(data, i + 128)) << (128 - d))
        } else {
            u128::from(mask64(data, next)) | (u128::from(mask64(data, next + 64)) << 64)
        };
        i = next;
    }
}

/// Bit `j` set if `data[at + j]` is in the base64 alphabet (bytes past the end count as not).
#[inline]
fn mask64(data: &[u8], at: usize) -> u64 {
    let mut m = 0u64;
    for k in 0..4 {
        let from = at + 16 * k;
        let bits = match data.get(from..from + 16) {
            Some(chunk) => mask16(chunk.try_into().unwrap_or(&[0; 16])),
            None => {
                let mut pad = [0u8; 16];
                let tail = data.get(from..).unwrap_or_default();
                pad[..tail.len()].copy_from_slice(tail);
                mask16(&pad)
            }
        };
        m |= u64::from(bits) << (16 * k);
    }
    m
}

/// The alphabet mask of 16 bytes: letters, digits, `+`, `/`, `-`, `_`.
#[cfg(target_arch = "x86_64")]
#[inline]
fn mask16(chunk: &[u8; 16]) -> u16 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86-64 baseline, and the load reads exactly the 16 bytes of
    // `chunk` (unaligned load). Bytes from 0x80 up are negative as i8, so the signed range
    // tests below reject them.
    unsafe {
        let x = _mm_loadu_si128(chunk.as_ptr().cast());
        let between = |v, lo: u8, hi: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(v, _mm_set1_epi8((lo - 1) as i8)),
                _mm_cmplt_epi8(v, _mm_set1_epi8((hi + 1) as i8)),
            )
        };
        let is = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
        let folded = _mm_or_si128(x, _mm_set1_epi8(0x20));
        let alnum = _mm_or_si128(between(folded, b'a', b'z'), between(x, b'0', b'9'));
        let sym = _mm_or_si128(
            _mm_or_si128(is(b'+'), is(b'/')),
            _mm_or_si128(is(b'-'), is(b'_')),
        );
        _mm_movemask_epi8(_mm_or_si128(alnum, sym)) as u16
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn mask16(chunk: &[u8; 16]) -> u16 {
    chunk
        .iter()
        .enumerate()
        .fold(0, |m, (j, &b)| m | (u16::from(is_b64(b)) << j))
}

/// Real base64 of text mixes upper case, lower case and digits; identifiers and words rarely
/// do all three.
fn mixed(run: &[u8]) -> bool {
    run.iter().any(u8::is_ascii_uppercase)
        && run.iter().any(u8::is_ascii_lowercase)
        && run.iter().any(u8::is_ascii_digit)
}

/// Text worth scanning: valid UTF-8, no control characters but whitespace.
fn printable(bytes: &[u8]) -> bool {
    bytes.len() >= 8
        && std::str::from_utf8(bytes).is_ok_and(|s| {
            s.chars()
                .all(|c| !c.is_control() || c == '\n' || c == '\r' || c == '\t')
        })
}

fn percent_runs(data: &[u8], out: &mut Vec<Decoded>) {
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'%', &data[from..]) {
        let at = from + p;
        // Only a real `%XX` escape starts a candidate: printf formats (`%s`, `%d`) in source
        // code are skipped without looking at their token.
        let escape = data
            .get(at + 1..at + 3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        if !escape {
            from = at + 1;
            continue;
        }
        let start = data[..at]
            .iter()
            .rposition(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`'))
            .map_or(0, |i| i + 1);
        let end = data[at..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`'))
            .map_or(data.len(), |i| at + i);
        from = end.max(at + 1);
        if let Some(bytes) = percent_decode(&data[start..end]).filter(|b| printable(b)) {
            out.push(Decoded {
                span: start..end,
                bytes,
                kind: "url",
            });
        }
    }
}

/// Decode `%XX` escapes; `None` if there are none, or if each one is of a letter or digit,
/// which encoders leave alone (RFC 3986 section 2.3).
fn percent_decode(text: &[u8]) -> Option<Vec<u8>> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(text.len());
    let mut any = false;
    let mut i = 0;
    while i < text.len() {
        let escape = (text[i] == b'%' && i + 2 < text.len())
            .then(|| hex(text[i + 1]).zip(hex(text[i + 2])))
            .flatten();
        if let Some((h, l)) = escape {
            out.push(h << 4 | l);
            any |= !(h << 4 | l).is_ascii_alphanumeric();
            i += 3;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    any.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    #[test]
    fn base64_of_text_is_found_with_its_span() {
        let inner = "value=tst_iKE9Ii14QitQCsqfNISB";
        let enc = STANDARD.encode(inner);
        let data = format!("data:\n  TOKEN: {enc}\n");
        let found = find(data.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].bytes, inner.as_bytes());
        assert_eq!(&data[found[0].span.clone()], enc);
        assert_eq!(found[0].kind, "base64");
    }

    /// The run boundaries a byte-by-byte scan finds (the implementation before skipping).
    fn naive_runs(data: &[u8]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < data.len() {
            if !is_b64(data[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < data.len() && is_b64(data[i]) {
                i += 1;
            }
            let mut end = i;
            while end < data.len() && end - i < 2 && data[end] == b'=' {
                end += 1;
            }
            if i - start >= MIN_BASE64 {
                out.push(start..end);
            }
            i = end;
        }
        out
    }

    /// The masked scan yields exactly the long runs a byte-by-byte scan finds, on random text
    /// dense in alphabet bytes (runs of every length around 20, across the 64-byte steps and
    /// the end of the data, with `=` padding and bytes above 0x7f).
    #[test]
    fn masked_scan_finds_what_the_bytewise_scan_finds() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let alphabet = b"aZ09+/-_=. \n\x80\xff@[`{:";
        for len in [0, 1, 19, 20, 21, 63, 64, 65, 127, 128, 129, 300, 1000] {
            for _ in 0..300 {
                // Long stretches of alphabet bytes broken now and then.
                let data: Vec<u8> = (0..len)
                    .map(|_| {
                        let r = next();
                        if r % 23 == 0 {
                            alphabet[r % alphabet.len()]
                        } else {
                            alphabet[r % 8]
                        }
                    })
                    .collect();
                let mut got = Vec::new();
                long_runs(&data, |start, stop| {
                    let mut end = stop;
                    while end < data.len() && end - stop < 2 && data[end] == b'=' {
                        end += 1;
                    }
                    got.push(start..end);
                    end
                });
                assert_eq!(
                    got,
                    naive_runs(&data),
                    "{:?}",
                    String::from_utf8_lossy(&data)
                );
            }
        }
        // Every byte value is classified as the table says.
        for b in 0..=255u8 {
            let mut chunk = [b' '; 16];
            chunk[5] = b;
            assert_eq!(mask16(&chunk) >> 5 & 1 == 1, is_b64(b), "byte {b:#x}");
        }
    }

    /// The skipping scan finds exactly the runs a byte-by-byte scan finds, at every alignment.
    #[test]
    fn skipping_scan_finds_every_run() {
        let inner = "value=tst_iKE9Ii14QitQCsqfNISB";
        let enc = STANDARD.encode(inner);
        for pad in 0..25 {
            for tail in ["", "=", "==x", " x", "\n"] {
                let data = format!(
                    "{}{enc}{tail} and {} {enc}",
                    "ab cd;".repeat(pad),
                    "q".repeat(pad)
                );
                let spans: Vec<_> = find(data.as_bytes()).into_iter().map(|d| d.span).collect();
                let want: Vec<_> = naive_runs(data.as_bytes())
                    .into_iter()
                    .filter(|r| data[r.clone()].starts_with(enc.as_str()))
                    .collect();
                assert_eq!(want.len(), 2, "pad {pad} tail {tail:?}");
                assert_eq!(spans, want, "pad {pad} tail {tail:?}");
            }
        }
    }

    #[test]
    fn hashes_words_and_binary_are_skipped() {
        let binary = STANDARD.encode([0u8, 159, 146, 150, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        for s in [
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "averyveryverylongidentifiername_without_digits",
            binary.as_str(),
        ] {
            assert!(find(s.as_bytes()).is_empty(), "{s}");
        }
    }

    #[test]
    fn percent_encoding() {
        // Assembled at run time so this file holds no URL with a password in it.
        let data = format!("url = \"{}://app:p%40ss%2Fw0rd%21x@db/app\"", "scheme");
        let found = find(data.as_bytes());
        let url: Vec<_> = found.iter().filter(|d| d.kind == "url").collect();
        assert_eq!(url.len(), 1);
        assert_eq!(url[0].bytes, b"scheme://app:p@ss/w0rd!x@db/app");
        assert!(find(b"100% sure").is_empty());
        // Only letters or digits escaped: a literal `%` in a value, not encoding.
        assert!(find(b"BACKUP_PASSPHRASE=VZLUq%41syA4gJ!").is_empty());
        assert_eq!(find(b"p%41ss%2Fword%21")[0].bytes, b"pAss/word!");
    }
}
