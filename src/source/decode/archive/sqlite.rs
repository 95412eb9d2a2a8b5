//! SQLite databases: every ordinary table's rows read as text, one line per column
//! (`column = value`, so a `password` column reads like an assignment), rows separated by a
//! blank line, each value labelled `row N, column C` (`N` the rowid, or the row's position in a
//! `WITHOUT ROWID` table). Stepped `sqlite:<table>`.
//!
//! Read with `rusqlite` and SQLite compiled in (`bundled`): the file format is B-trees of
//! variable-length cells with overflow pages, freelists and several schema formats, and no
//! maintained pure-Rust reader exists; SQLite itself is fuzzed continuously against damaged
//! files. It costs about 1.5 MB of binary and a C compile of about a minute on first build.
//! The database is opened from memory (nothing is written to disk) read-only, with SQLite's
//! settings for untrusted files: defensive mode, schema not trusted, cell size checks, no
//! memory map, values capped at 16 MiB, and a statement cut off after a fixed number of
//! virtual-machine steps. Views and virtual tables are not read (a view can compute without
//! end; a virtual table's storage is read through its shadow tables).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, MAIN_DB, OpenFlags};

use super::{Member, Out, limit, malformed};

/// Longest value SQLite will hand back.
const MAX_VALUE: i32 = 16 << 20;

/// Progress-handler calls (each every 1,000 VM steps) before a database read is cut off:
/// 10^9 steps, tens of seconds at most.
const MAX_TICKS: u64 = 1_000_000;

pub(super) fn expand(data: &[u8], out: &mut Out) {
    if let Err(e) = read(data, out) {
        out.problem(malformed(format!("corrupt sqlite database: {e}")));
    }
}

fn open(data: &[u8], ticks: Arc<AtomicU64>) -> rusqlite::Result<Connection> {
    use rusqlite::config::DbConfig;
    use rusqlite::limits::Limit;
    let mut conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE)?;
    conn.progress_handler(
        1000,
        Some(move || ticks.fetch_add(1, Ordering::Relaxed) >= MAX_TICKS),
    )?;
    conn.deserialize_read_exact(MAIN_DB, data, data.len(), true)?;
    conn.pragma_update(None, "cell_size_check", true)?;
    conn.pragma_update(None, "mmap_size", 0)?;
    Ok(conn)
}

fn read(data: &[u8], out: &mut Out) -> rusqlite::Result<()> {
    let ticks = Arc::new(AtomicU64::new(0));
    let conn = open(data, ticks.clone())?;
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%' ORDER BY rowid",
        )?
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    for (n, table) in tables.iter().enumerate() {
        if out.budget.spent() {
            return Ok(());
        }
        if out.full(n) {
            let max = out.max;
            out.problem(limit(format!(
                "member cap ({max}) reached; {} more tables skipped",
                tables.len() - n
            )));
            return Ok(());
        }
        let m = match rows(&conn, table, out) {
            Ok(m) => m,
            Err(e) if ticks.load(Ordering::Relaxed) >= MAX_TICKS => {
                out.problem(limit(format!("sqlite:{table}: read cut off ({e})")));
                return Ok(());
            }
            Err(e) => {
                out.problem(malformed(format!("sqlite:{table}: {e}")));
                continue;
            }
        };
        if !m.data.is_empty() {
            (out.visit)(m);
        }
    }
    Ok(())
}

/// One table as a member.
fn rows(conn: &Connection, table: &str, out: &mut Out) -> rusqlite::Result<Member> {
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    let (mut stmt, rowid) = match conn.prepare(&format!("SELECT rowid, * FROM {quoted}")) {
        Ok(s) => (s, true),
        Err(_) => (conn.prepare(&format!("SELECT * FROM {quoted}"))?, false),
    };
    let columns: Vec<String> = stmt.column_names().map(String::from).collect();
    let first = usize::from(rowid);
    let mut m = Member::new(
        format!("sqlite:{table}"),
        format!("{table}.rows"),
        Vec::new(),
    );
    let mut rows = stmt.query([])?;
    let mut position = 0i64;
    while let Some(row) = rows.next()? {
        position += 1;
        let id = if rowid {
            row.get::<_, Option<i64>>(0)?.unwrap_or(position)
        } else {
            position
        };
        for (c, column) in columns.iter().enumerate().skip(first) {
            let value: Vec<u8> = match row.get_ref(c)? {
                ValueRef::Null => continue,
                ValueRef::Integer(i) => i.to_string().into_bytes(),
                ValueRef::Real(f) => f.to_string().into_bytes(),
                ValueRef::Text(t) => t.to_vec(),
                ValueRef::Blob(b) if crate::source::decode::is_text(b) => b.to_vec(),
                ValueRef::Blob(_) => continue,
            };
            if value.is_empty() {
                continue;
            }
            if !out
                .budget
                .charge(column.len() + value.len() + 4, out.problems)
            {
                return Ok(m);
            }
            m.data.extend_from_slice(column.as_bytes());
            m.data.extend_from_slice(b" = ");
            let start = m.data.len();
            m.data.extend_from_slice(&value);
            m.spans
                .push((start..m.data.len(), format!("row {id}, column {column}")));
            m.data.push(b'\n');
        }
        m.data.push(b'\n');
    }
    Ok(m)
}
