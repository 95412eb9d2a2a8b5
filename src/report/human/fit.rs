//! Lines that fit the terminal: the width to cut at, and cutting a line (colour codes not
//! counted) with `…`.

/// The width to cut lines at: the terminal's when stdout is one, else `COLUMNS` when set, else
/// none (a file or a pipe gets whole lines).
pub fn terminal_width() -> Option<usize> {
    tty_width().or_else(|| {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&w| w >= 20)
    })
}

#[cfg(unix)]
fn tty_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ writes one `winsize` into the struct we own; the fd is stdout.
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col >= 20).then_some(ws.ws_col as usize)
}

#[cfg(not(unix))]
fn tty_width() -> Option<usize> {
    None
}

/// `line` cut to `width` visible characters (ANSI colour codes take none), ending in `…` when
/// cut, with colour reset after a cut.
pub fn fit(line: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return line.to_string();
    };
    let mut out = String::with_capacity(line.len().min(width * 4));
    let mut visible = 0;
    let mut chars = line.chars().peekable();
    let mut coloured = false;
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // Copy an escape sequence whole: ESC [ ... m.
            out.push(c);
            for d in chars.by_ref() {
                out.push(d);
                if d == 'm' {
                    break;
                }
            }
            coloured = true;
            continue;
        }
        if visible + 1 == width && chars.clone().any(|d| d != '\x1b') && rest_visible(&chars) {
            out.push('…');
            if coloured {
                out.push_str("\x1b[0m");
            }
            return out;
        }
        out.push(c);
        visible += 1;
    }
    out
}

/// True if visible characters remain (not only colour codes).
fn rest_visible(chars: &std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let mut it = chars.clone();
    while let Some(c) = it.next() {
        if c == '\x1b' {
            for d in it.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_visible_characters_only() {
        assert_eq!(fit("abcdef", Some(4)), "abc…");
        assert_eq!(fit("abcd", Some(4)), "abcd");
        assert_eq!(fit("abcd", None), "abcd");
        assert_eq!(fit("\x1b[31mabcdef\x1b[0m", Some(4)), "\x1b[31mabc…\x1b[0m");
        assert_eq!(fit("\x1b[31mabcd\x1b[0m", Some(4)), "\x1b[31mabcd\x1b[0m");
        assert_eq!(fit("ééééé", Some(3)), "éé…");
    }
}
