//! UTF-16 text (Windows configuration exports, PowerShell output, `.reg` files): recognised by
//! its byte-order mark, or by the NUL-every-other-byte shape of ASCII text without one, and
//! transcoded to UTF-8 so the rules can see it. Such files would otherwise be skipped as
//! binary, since they are full of NUL bytes.

/// Byte order of UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Little-endian (`FF FE`).
    Le,
    /// Big-endian (`FE FF`).
    Be,
}

/// How many leading bytes the shape test looks at.
const PROBE: usize = 4096;

/// The byte order if `data` looks like UTF-16 text.
pub fn detect(data: &[u8]) -> Option<Order> {
    match data {
        [0xFF, 0xFE, ..] => return Some(Order::Le),
        [0xFE, 0xFF, ..] => return Some(Order::Be),
        _ => {}
    }
    let probe = &data[..data.len().min(PROBE) & !1];
    if probe.len() < 8 {
        return None;
    }
    let pairs = probe.len() / 2;
    let zero_at = |i: usize| probe.chunks_exact(2).filter(|p| p[i] == 0).count();
    // Mostly-ASCII UTF-16: nearly every high byte is NUL, nearly no low byte is.
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 10 >= pairs * 9 && even * 10 <= pairs {
        Some(Order::Le)
    } else if even * 10 >= pairs * 9 && odd * 10 <= pairs {
        Some(Order::Be)
    } else {
        None
    }
}

/// Transcode to UTF-8 (a BOM is dropped; unpaired surrogates become U+FFFD).
pub fn to_utf8(data: &[u8], order: Order) -> Vec<u8> {
    let body = match (order, data) {
        (Order::Le, [0xFF, 0xFE, rest @ ..]) | (Order::Be, [0xFE, 0xFF, rest @ ..]) => rest,
        _ => data,
    };
    let units = body.chunks_exact(2).map(|p| match order {
        Order::Le => u16::from_le_bytes([p[0], p[1]]),
        Order::Be => u16::from_be_bytes([p[0], p[1]]),
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect::<String>()
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFF, 0xFE] } else { vec![] };
        v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        v
    }

    #[test]
    fn detects_and_transcodes() {
        let text = "password = \"Zq3x9TrV8bLm2NcK\"\r\nnext line é\r\n";
        for bom in [true, false] {
            let data = le(text, bom);
            assert_eq!(detect(&data), Some(Order::Le));
            assert_eq!(to_utf8(&data, Order::Le), text.as_bytes());
        }
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect(&be), Some(Order::Be));
        assert_eq!(to_utf8(&be, Order::Be), text.as_bytes());
        assert_eq!(
            detect(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0"),
            None
        );
        assert_eq!(detect(b"plain ascii text here"), None);
    }
}
