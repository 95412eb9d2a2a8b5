//! HTML and Markdown read the way a person reads them, so a password in a wiki page or a runbook
//! is seen as one value:
//!
//! - HTML: tags dropped (a value split by markup, `<td><b>pgadmin1</b></td>`, becomes one word),
//!   the common entities decoded, comments kept as text, scripts and styles dropped; the text is
//!   scanned again with every offset mapped back to the page;
//! - tables (HTML and Markdown): a cell under a header naming a password (`| Host | User |
//!   Password |`), or right of a row label naming one (`| Password | j!2W... |`), is handed to
//!   the settings field rules (`settings::FIELD`) as `Password: cell`, because in that place any
//!   word is the value.

use super::{Anchor, Decoded, Derived, Mapped, keyed, settings};

/// Header or row-label words that name a password column, lower case (the cell text must end
/// with one: `Password`, `DB password`, `Root PW`).
const PASSWORD_HEADERS: &[&str] = &[
    "password",
    "passwords",
    "passwort",
    "kennwort",
    "passphrase",
    "pass",
    "pw",
    "pwd",
    "contraseña",
    "contrasena",
    "senha",
    "mot de passe",
    "mdp",
    "wachtwoord",
    "hasło",
    "пароль",
    "パスワード",
    "密码",
    "密碼",
    "비밀번호",
    "비번",
];

/// One table cell: its text with offsets back into the page.
#[derive(Default)]
struct Cell {
    text: Mapped,
    header: bool,
}

impl Cell {
    fn trimmed(&self) -> String {
        String::from_utf8_lossy(&self.text.text)
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '`' | '_' | ':'))
            .to_string()
    }
}

/// Decode an HTML page.
pub fn html(data: &[u8]) -> Decoded {
    let mut text = Mapped::default();
    let mut table = Table::default();
    let mut cell: Option<Cell> = None;
    let mut i = 0;
    while i < data.len() {
        let Some(lt) = memchr::memchr(b'<', &data[i..]).map(|n| i + n) else {
            push_text(&mut text, &mut cell, data, i..data.len());
            break;
        };
        push_text(&mut text, &mut cell, data, i..lt);
        if data[lt..].starts_with(b"<!--") {
            // A comment's text is text (a TODO with a password in it); only the markers go.
            let end =
                memchr::memmem::find(&data[lt + 4..], b"-->").map_or(data.len(), |n| lt + 4 + n);
            push_text(&mut text, &mut cell, data, lt + 4..end);
            i = (end + 3).min(data.len());
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', &data[lt..]).map(|n| lt + n) else {
            push_text(&mut text, &mut cell, data, lt..data.len());
            break;
        };
        let tag = &data[lt + 1..gt];
        let closing = tag.first() == Some(&b'/');
        let name: Vec<u8> = tag[usize::from(closing)..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect();
        i = gt + 1;
        match (name.as_slice(), closing) {
            (b"script" | b"style", false) => {
                let close = if name == b"script" {
                    &b"</script"[..]
                } else {
                    b"</style"
                };
                let lower = data[i..].to_ascii_lowercase();
                i = memchr::memmem::find(&lower, close).map_or(data.len(), |n| i + n);
            }
            (b"td" | b"th", false) => {
                table.end_cell(cell.take());
                cell = Some(Cell {
                    header: name == b"th",
                    ..Cell::default()
                });
                text.push(b" | ", lt);
            }
            (b"td" | b"th", true) => table.end_cell(cell.take()),
            (b"tr", _) | (b"table", _) => {
                table.end_cell(cell.take());
                table.end_row();
                if name == b"table" {
                    table = table.next();
                }
                text.push(b"\n", lt);
            }
            (b"br" | b"p" | b"div" | b"li" | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6", _)
            | (b"pre" | b"ul" | b"ol" | b"dt" | b"dd" | b"hr" | b"blockquote", _) => {
                text.push(b"\n", lt);
            }
            _ => {}
        }
    }
    table.end_cell(cell.take());
    table.end_row();
    let mut out = Decoded::default();
    if !text.text.is_empty() {
        out.derived.push(text.into_derived());
    }
    out.derived.append(&mut table.entries);
    out
}

/// Decode a Markdown file: only its tables (the rest is text the text rules already read).
pub fn markdown(data: &[u8]) -> Decoded {
    let mut table = Table::default();
    for line in super::lines(data) {
        let row = super::trim(data, line);
        let cells = &data[row.clone()];
        if !cells.starts_with(b"|") {
            table.end_row();
            table = table.next();
            continue;
        }
        // The `|---|:---:|` rule under a header row says the row above was the header.
        if cells
            .iter()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
        {
            table.mark_header();
            continue;
        }
        let mut start = row.start + 1;
        for (n, &b) in cells.iter().enumerate().skip(1) {
            let at = row.start + n;
            if b == b'|' && data[at - 1] != b'\\' {
                let mut c = Cell::default();
                c.text.push(&data[start..at], start);
                table.end_cell(Some(c));
                start = at + 1;
            }
        }
        table.end_row();
    }
    table.end_row();
    Decoded {
        derived: table.entries,
        ..Decoded::default()
    }
}

/// Text outside tags, entities decoded, into the page text and the open cell.
fn push_text(
    text: &mut Mapped,
    cell: &mut Option<Cell>,
    data: &[u8],
    range: std::ops::Range<usize>,
) {
    let mut run = range.start;
    let mut j = range.start;
    let mut emit = |bytes: &[u8], at: usize| {
        text.push(bytes, at);
        if let Some(c) = cell.as_mut() {
            c.text.push(bytes, at);
        }
    };
    while j < range.end {
        if data[j] == b'&'
            && let Some((len, ch)) = entity(&data[j..range.end])
        {
            emit(&data[run..j], run);
            emit(ch.as_bytes(), j);
            j += len;
            run = j;
        } else {
            j += 1;
        }
    }
    emit(&data[run..range.end], run);
}

/// A named or numeric character reference at the start of `s`: (its length, the character).
fn entity(s: &[u8]) -> Option<(usize, &'static str)> {
    const NAMED: &[(&[u8], &str)] = &[
        (b"&amp;", "&"),
        (b"&lt;", "<"),
        (b"&gt;", ">"),
        (b"&quot;", "\""),
        (b"&#39;", "'"),
        (b"&#x27;", "'"),
        (b"&apos;", "'"),
        (b"&nbsp;", " "),
    ];
    NAMED
        .iter()
        .find(|(name, _)| s.starts_with(name))
        .map(|(name, ch)| (name.len(), *ch))
}

/// Rows of one table, the password column once a header names one, and the entries found.
#[derive(Default)]
struct Table {
    row: Vec<Cell>,
    /// The previous row, until a Markdown header rule or the next row says what it was.
    last: Vec<Cell>,
    /// Index and header cell of the password column.
    column: Option<(usize, String, usize)>,
    /// Rows seen so far.
    rows: usize,
    entries: Vec<Derived>,
}

impl Table {
    /// A fresh table that keeps the entries found so far.
    fn next(self) -> Table {
        Table {
            entries: self.entries,
            ..Table::default()
        }
    }

    fn end_cell(&mut self, cell: Option<Cell>) {
        if let Some(c) = cell {
            self.row.push(c);
        }
    }

    fn end_row(&mut self) {
        if self.row.is_empty() {
            return;
        }
        let row = std::mem::take(&mut self.row);
        // A row of `<th>`, or a first row of plain cells that names a password column past the
        // first (the first cell of a row is a row label).
        let header = row.iter().all(|c| c.header)
            || (self.rows == 0
                && row.len() >= 2
                && row[1..].iter().any(|c| names_password(&c.trimmed())));
        self.rows += 1;
        if header {
            self.take_header(&row);
        } else {
            self.data_row(&row);
        }
        self.last = row;
    }

    /// Markdown: the last row was the header.
    fn mark_header(&mut self) {
        let last = std::mem::take(&mut self.last);
        // It was read as a data row; a row label in it stands either way.
        self.take_header(&last);
    }

    fn take_header(&mut self, row: &[Cell]) {
        self.column = row.iter().enumerate().find_map(|(i, c)| {
            let t = c.trimmed();
            names_password(&t).then(|| (i, t, c.text.map.first().map_or(0, |m| m.1)))
        });
    }

    fn data_row(&mut self, row: &[Cell]) {
        if let Some((i, name, at)) = self.column.clone()
            && let Some(c) = row.get(i)
        {
            self.entry(&name, at, c);
        }
        // A row label: `| Password | value |`.
        if let [label, value, ..] = row
            && names_password(&label.trimmed())
            && self.column.as_ref().is_none_or(|(i, _, _)| *i != 1)
        {
            let at = label.text.map.first().map_or(0, |m| m.1);
            self.entry(&label.trimmed(), at, value);
        }
    }

    fn entry(&mut self, name: &str, name_at: usize, cell: &Cell) {
        let raw = &cell.text.text;
        let lead = raw
            .iter()
            .take_while(|b| b.is_ascii_whitespace() || **b == b'`')
            .count();
        let tail = raw[lead..]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace() || **b == b'`')
            .count();
        let value = &raw[lead..raw.len() - tail];
        if value.is_empty() || value.len() > 256 {
            return;
        }
        // Offsets in the cell's own text map to the page through the cell's breakpoints: the
        // last one at or before the trimmed start, then every later one.
        let points = &cell.text.map;
        let first = points
            .partition_point(|&(d, _)| d <= lead)
            .saturating_sub(1);
        let mut map = Vec::with_capacity(points.len());
        if let Some(&(d, p)) = points.get(first) {
            map.push((0, p + lead.saturating_sub(d)));
        }
        map.extend(
            points
                .iter()
                .filter(|&&(d, _)| d > lead)
                .map(|&(d, p)| (d - lead, p)),
        );
        let d = keyed(name, name_at, value, &Anchor::Map(map));
        self.entries
            .push(d.field(settings::FIELD).context(name.to_string()));
    }
}

/// True when a header or row label names a password column.
fn names_password(text: &str) -> bool {
    let t = text.to_lowercase();
    PASSWORD_HEADERS
        .iter()
        .any(|w| t == *w || t.ends_with(&format!(" {w}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(d: &Decoded) -> Vec<String> {
        d.derived
            .iter()
            .filter(|x| x.field.is_some())
            .map(|x| String::from_utf8_lossy(&x.data).into_owned())
            .collect()
    }

    #[test]
    fn html_text_and_table_columns() {
        let page = b"<table><tr><td>Host</td><td>Password</td></tr><tr><td>h</td><td>ftp42</td></tr></table><!-- root password for db1 is uO+b -->\n<table>\n<tr><th>Host</th><th>User</th><th>Password</th></tr>\n<tr><td>web1</td><td>deploy</td><td>LHzK8</td></tr>\n<tr><td>db1</td><td>pg</td><td><b>pgadmin1</b></td></tr>\n</table>\n<p>Password: <strong>3Yl&amp;D</strong></p><script>var password='x';</script>";
        let d = html(page);
        let text = String::from_utf8_lossy(&d.derived[0].data).into_owned();
        assert!(text.contains(" root password for db1 is uO+b "), "{text}");
        assert!(text.contains("Password: 3Yl&D"), "{text}");
        assert!(!text.contains("var password"), "{text}");
        assert_eq!(
            entries(&d),
            ["Password: ftp42", "Password: LHzK8", "Password: pgadmin1"]
        );
        // The cell value maps back into the page, through the <b> tag.
        let pg = &d.derived[3];
        let at = pg.anchor.map(pg.data.len() - 8).unwrap();
        assert_eq!(&page[at..at + 8], b"pgadmin1");
        let amp = &d.derived[0];
        let i = amp.data.windows(5).position(|w| w == b"3Yl&D").unwrap();
        let at = amp.anchor.map(i + 4).unwrap();
        assert_eq!(&page[at..at + 1], b"D");
    }

    #[test]
    fn markdown_tables() {
        let md = b"| Setting | Value |\n|---|---|\n| Host | db.internal |\n| Password | `j!2W.dz` |\n\n| Host | User | Password |\n|------|------|----------|\n| a | b | hunter |\n";
        let d = markdown(md);
        assert_eq!(entries(&d), ["Password: j!2W.dz", "Password: hunter"]);
        let e = &d.derived[0];
        let at = e.anchor.map(e.data.len() - 7).unwrap();
        assert_eq!(&md[at..at + 7], b"j!2W.dz");
    }
}
