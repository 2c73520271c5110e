//! The session store (`state.db`): the web UI's sidebar reads and the agent's writes.
//!
//! The incident this serves: helpers that opened `state.db` per poll and never closed
//! it leaked descriptors until every request was reset. `SessionStore::open` is a
//! registry lookup, so calling it in every request handler is fine.

mod lineage;
mod schema;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::types::ValueRef;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use crate::{Database, Result, WriteTransaction};
use lineage::Link;
pub use lineage::{CONTINUATION_REASONS, MAX_HOPS};

/// Sources left out of [`SessionStore::list_importable`] by default: the web UI's own
/// sessions and scheduled jobs.
pub const DEFAULT_EXCLUDED_SOURCES: [&str; 2] = ["webui", "cron"];

/// How many rows [`SessionStore::list_importable`] returns at most.
pub const LIST_LIMIT: usize = 200;

/// IN lists are chunked at this many ids (below SQLite's variable limit).
pub const IN_CHUNK: usize = 500;

/// Seconds since the Unix epoch, the time unit of both stores.
pub fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// A session to create.
#[derive(Debug, Clone, Default)]
pub struct NewSession {
    /// The session id.
    pub id: String,
    /// Where it came from (`cli`, `webui`, `cron`, ...).
    pub source: String,
    /// The user, if known.
    pub user_id: Option<String>,
    /// The model, if known.
    pub model: Option<String>,
    /// A title, unique across sessions when set.
    pub title: Option<String>,
    /// The session this one continues or was spawned from.
    pub parent_session_id: Option<String>,
    /// Start time, seconds since the epoch.
    pub started_at: f64,
}

impl NewSession {
    /// A session with `id` from `source`, starting now.
    pub fn new(id: impl Into<String>, source: impl Into<String>) -> NewSession {
        NewSession {
            id: id.into(),
            source: source.into(),
            started_at: now(),
            ..NewSession::default()
        }
    }
}

/// A message to append.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    /// `user`, `assistant`, `tool`, `system`.
    pub role: String,
    /// The text.
    pub content: Option<String>,
    /// For tool results, the tool.
    pub tool_name: Option<String>,
    /// For assistant messages that call tools, the calls (JSON text).
    pub tool_calls: Option<String>,
    /// Time, seconds since the epoch.
    pub timestamp: f64,
    /// Tokens, counted as input for `user` and output for `assistant` messages.
    pub token_count: Option<i64>,
}

impl NewMessage {
    /// A message with `role` and `content`, sent now.
    pub fn new(role: impl Into<String>, content: impl Into<String>) -> NewMessage {
        NewMessage {
            role: role.into(),
            content: Some(content.into()),
            timestamp: now(),
            ..NewMessage::default()
        }
    }
}

/// One row of the sidebar: a conversation, with its continuation chain collapsed.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SessionSummary {
    /// The tip of the chain: the session to resume.
    pub id: String,
    /// The head of the chain.
    pub root_id: String,
    /// The head's title (or the first title found along the chain).
    pub title: Option<String>,
    /// The head's source.
    pub source: String,
    /// The head's start.
    pub started_at: f64,
    /// The newest message time along the chain (or the tip's start).
    pub last_active: f64,
    /// Messages along the chain.
    pub message_count: i64,
    /// Sessions in the chain.
    pub segments: usize,
}

/// Root, tip and length of one session's chain, from [`SessionStore::lineage`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Lineage {
    /// The head of the chain.
    pub root: String,
    /// The newest continuation.
    pub tip: String,
    /// Sessions from root to tip.
    pub segments: usize,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Message {
    /// Row id (increasing).
    pub id: i64,
    /// The session.
    pub session_id: String,
    /// The role.
    pub role: String,
    /// The text.
    pub content: Option<String>,
    /// The tool, for tool results.
    pub tool_name: Option<String>,
    /// Tool calls (JSON text).
    pub tool_calls: Option<String>,
    /// Time, seconds since the epoch.
    pub timestamp: f64,
    /// Tokens.
    pub token_count: Option<i64>,
}

/// The session store over one `state.db`.
///
/// ```
/// use connlint_runtime::session::{NewMessage, NewSession};
/// use connlint_runtime::SessionStore;
///
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// let dir = tempfile::tempdir().unwrap();
/// let store = SessionStore::open(dir.path().join("state.db"))?;
/// store.create_session(&NewSession::new("s1", "cli"))?;
/// store.append_message("s1", &NewMessage::new("user", "hello"))?;
/// let sidebar = store.list_importable()?;
/// assert_eq!(sidebar[0].id, "s1");
/// assert!(store.delete_session("s1")?);
/// assert!(!store.delete_session("s1")?);
/// store.database().close()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct SessionStore {
    db: Database,
}

impl SessionStore {
    /// The store for `path`: a registry lookup after the first call, which opens the
    /// database and creates the schema.
    pub fn open(path: impl AsRef<Path>) -> Result<SessionStore> {
        SessionStore::with_database(Database::open(path)?)
    }

    /// The store over an already open handle (creates the schema once per handle).
    pub fn with_database(db: Database) -> Result<SessionStore> {
        db.ensure_schema_with("connlint-runtime/session", schema::migrate)?;
        Ok(SessionStore { db })
    }

    /// The underlying handle.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The sidebar: [`SessionStore::list_importable_excluding`] with
    /// [`DEFAULT_EXCLUDED_SOURCES`].
    pub fn list_importable(&self) -> Result<Vec<SessionSummary>> {
        self.list_importable_excluding(&DEFAULT_EXCLUDED_SOURCES)
    }

    /// Sessions with their message count and last message time, leaving out
    /// `excluded` sources, continuation chains collapsed into one row (the head's
    /// title and start, the tip's id and activity), empty conversations dropped,
    /// newest activity first, at most [`LIST_LIMIT`] rows.
    ///
    /// The result is cached per handle and returned as a copy; see
    /// [`SessionStore::list_importable_shared_excluding`].
    pub fn list_importable_excluding(&self, excluded: &[&str]) -> Result<Vec<SessionSummary>> {
        Ok(self.list_importable_shared_excluding(excluded)?.to_vec())
    }

    /// [`SessionStore::list_importable_shared_excluding`] with
    /// [`DEFAULT_EXCLUDED_SOURCES`].
    pub fn list_importable_shared(&self) -> Result<Arc<Vec<SessionSummary>>> {
        self.list_importable_shared_excluding(&DEFAULT_EXCLUDED_SOURCES)
    }

    /// The listing of [`SessionStore::list_importable_excluding`], shared rather than
    /// copied: for a UI that polls it every few seconds.
    ///
    /// The handle keeps the last listing per set of excluded sources and answers from
    /// it while nothing has been committed to the database since it was read: not by
    /// this process (every write transaction moves a generation counter) and not by
    /// any other connection or process (`PRAGMA data_version` on the connection that
    /// serves the poll). A poll that finds the cache current costs a reader checkout
    /// and that one pragma; any commit, here or elsewhere, makes the next poll read
    /// the database again.
    ///
    /// ```
    /// use connlint_runtime::session::{NewMessage, NewSession};
    /// use connlint_runtime::SessionStore;
    ///
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = SessionStore::open(dir.path().join("state.db"))?;
    /// store.create_session(&NewSession::new("s1", "cli"))?;
    /// store.append_message("s1", &NewMessage::new("user", "hello"))?;
    /// let first = store.list_importable_shared()?;
    /// let again = store.list_importable_shared()?; // nothing committed: the same listing
    /// assert!(std::sync::Arc::ptr_eq(&first, &again));
    /// store.append_message("s1", &NewMessage::new("assistant", "hi"))?;
    /// assert_eq!(store.list_importable_shared()?[0].message_count, 2);
    /// # store.database().close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_importable_shared_excluding(
        &self,
        excluded: &[&str],
    ) -> Result<Arc<Vec<SessionSummary>>> {
        // The key names the query and its argument; `\u{1f}` cannot occur in a source
        // name a caller would pass, so distinct lists give distinct keys.
        let mut key = String::from("connlint-runtime/session/list_importable");
        for source in excluded {
            key.push('\u{1f}');
            key.push_str(source);
        }
        self.db
            .read_cached(&key, |conn| list_importable_on(conn, excluded))
    }

    /// Root, tip and segment count for each of `ids` that exists. IN lists are
    /// chunked at [`IN_CHUNK`]; chains are followed at most [`MAX_HOPS`] hops.
    pub fn lineage(&self, ids: &[&str]) -> Result<HashMap<String, Lineage>> {
        self.db.read(|conn| lineage_of(conn, ids))
    }

    /// The messages of a session, ordered by timestamp then id.
    pub fn messages(&self, session_id: &str) -> Result<Vec<Message>> {
        self.db.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, session_id, role, content, tool_name, tool_calls, timestamp, token_count
                 FROM messages WHERE session_id = ?1 ORDER BY timestamp, id",
            )?;
            let rows = stmt.query_map([session_id], |r| {
                Ok(Message {
                    id: r.get(0)?,
                    session_id: r.get(1)?,
                    role: r.get(2)?,
                    content: r.get(3)?,
                    tool_name: r.get(4)?,
                    tool_calls: r.get(5)?,
                    timestamp: r.get(6)?,
                    token_count: r.get(7)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Creates a session unless one with that id (or title) exists; returns whether a
    /// row was inserted.
    pub fn create_session(&self, session: &NewSession) -> Result<bool> {
        self.db.write(|tx| insert_session(tx, session, true))
    }

    /// Appends a message and updates the session's counters in one transaction;
    /// returns the message id. Fails (and writes nothing) if the session is missing.
    pub fn append_message(&self, session_id: &str, message: &NewMessage) -> Result<i64> {
        self.db.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO messages(session_id, role, content, tool_name, tool_calls, timestamp, token_count)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                session_id,
                message.role,
                message.content,
                message.tool_name,
                message.tool_calls,
                message.timestamp,
                message.token_count
            ])?;
            let id = tx.last_insert_rowid();
            let tokens = message.token_count.unwrap_or(0);
            let (input, output) = match message.role.as_str() {
                "user" => (tokens, 0),
                "assistant" => (0, tokens),
                _ => (0, 0),
            };
            // The denormalised columns the listing reads, in the message's transaction.
            let updated = tx
                .prepare_cached(
                    "UPDATE sessions SET message_count = message_count + 1,
                        tool_call_count = tool_call_count + ?2,
                        input_tokens = input_tokens + ?3, output_tokens = output_tokens + ?4,
                        last_message_at = max(coalesce(last_message_at, ?5), ?5)
                     WHERE id = ?1",
                )?
                .execute(params![
                    session_id,
                    i64::from(message.tool_calls.is_some()),
                    input,
                    output,
                    message.timestamp
                ])?;
            if updated != 1 {
                return Err(rusqlite::Error::QueryReturnedNoRows.into());
            }
            Ok(id)
        })
    }

    /// Ends a session; the first reason wins. Returns whether this call ended it.
    pub fn end_session(&self, session_id: &str, reason: &str, ended_at: f64) -> Result<bool> {
        self.db
            .write(|tx| end_session(tx, session_id, reason, ended_at))
    }

    /// Rotates for compression in one transaction: ends `old_id` with `compression`
    /// (unless it already ended) and creates `child` as its continuation. If the child
    /// cannot be created, the end is rolled back too.
    pub fn rotate(&self, old_id: &str, child: &NewSession) -> Result<()> {
        self.db.write(|tx| {
            end_session(tx, old_id, "compression", child.started_at)?;
            let mut child = child.clone();
            child.parent_session_id = Some(old_id.to_owned());
            insert_session(tx, &child, false)?;
            Ok(())
        })
    }

    /// Deletes a session in one transaction: its children become roots, its messages
    /// are deleted, then the session. Returns whether the session existed.
    pub fn delete_session(&self, session_id: &str) -> Result<bool> {
        self.db.write(|tx| {
            tx.execute(
                "UPDATE sessions SET parent_session_id = NULL WHERE parent_session_id = ?1",
                [session_id],
            )?;
            tx.execute("DELETE FROM messages WHERE session_id = ?1", [session_id])?;
            Ok(tx.execute("DELETE FROM sessions WHERE id = ?1", [session_id])? > 0)
        })
    }

    /// One session's stored row, as a summary of itself (no chain collapsing).
    pub fn session_exists(&self, session_id: &str) -> Result<bool> {
        self.db.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT 1 FROM sessions WHERE id = ?1")?
                .query_row([session_id], |_| Ok(()))
                .optional()?
                .is_some())
        })
    }
}

fn insert_session(tx: &WriteTransaction<'_>, s: &NewSession, or_ignore: bool) -> Result<bool> {
    let verb = if or_ignore {
        "INSERT OR IGNORE"
    } else {
        "INSERT"
    };
    let sql = format!(
        "{verb} INTO sessions(id, source, user_id, model, title, parent_session_id, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    );
    let inserted = tx.prepare_cached(&sql)?.execute(params![
        s.id,
        s.source,
        s.user_id,
        s.model,
        s.title,
        s.parent_session_id,
        s.started_at
    ])?;
    Ok(inserted > 0)
}

fn end_session(tx: &WriteTransaction<'_>, id: &str, reason: &str, ended_at: f64) -> Result<bool> {
    let changed = tx
        .prepare_cached(
            "UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE id = ?1 AND ended_at IS NULL",
        )?
        .execute(params![id, ended_at, reason])?;
    Ok(changed > 0)
}

/// A piece of [`Texts`].
type Span = std::ops::Range<usize>;

/// The text columns of every listed row, in one buffer: reading a few hundred
/// sessions should not cost a few hundred allocations.
#[derive(Default)]
struct Texts(String);

impl Texts {
    /// Column `idx` of `row` as text, `None` for NULL. A value that is not valid text
    /// is read with `get::<String>` so it fails exactly as it always did.
    fn read(&mut self, row: &rusqlite::Row<'_>, idx: usize) -> Result<Option<Span>> {
        Ok(match row.get_ref(idx)? {
            ValueRef::Null => None,
            ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Some(self.push(text)),
                Err(_) => Some(self.push(&row.get::<_, String>(idx)?)),
            },
            _ => Some(self.push(&row.get::<_, String>(idx)?)),
        })
    }

    /// Like [`Texts::read`] for a NOT NULL column: NULL fails as `get::<String>` does.
    fn read_required(&mut self, row: &rusqlite::Row<'_>, idx: usize) -> Result<Span> {
        match self.read(row, idx)? {
            Some(span) => Ok(span),
            None => Ok(self.push(&row.get::<_, String>(idx)?)),
        }
    }

    fn push(&mut self, text: &str) -> Span {
        let start = self.0.len();
        self.0.push_str(text);
        start..self.0.len()
    }

    fn get(&self, span: &Span) -> &str {
        &self.0[span.clone()]
    }
}

/// One session as the listing reads it.
struct Listed {
    id: Span,
    source: Span,
    title: Option<Span>,
    parent: Option<Span>,
    started_at: f64,
    ended_at: Option<f64>,
    /// Whether `end_reason` is one of [`CONTINUATION_REASONS`].
    continuation_reason: bool,
    messages: i64,
    /// The newest message time, or the session's start while it has none.
    last_active: f64,
}

/// The sidebar query of [`SessionStore::list_importable_excluding`] on any connection to
/// a `state.db`, without the cache. The benchmark uses it to compare connection
/// strategies on identical work; applications should go through a [`SessionStore`].
///
/// It reads `sessions` alone (one pass, no join): each session's message count and
/// newest message time are the denormalised `message_count` and `last_message_at`
/// columns that [`SessionStore::append_message`] keeps current. The chains are then
/// collapsed in memory through row positions, which is linear in the number of
/// sessions (a chain walk stops after [`MAX_HOPS`] hops). The file must have the
/// current schema (any [`SessionStore`] open migrates it).
pub fn list_importable_on(conn: &Connection, excluded: &[&str]) -> Result<Vec<SessionSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source, title, parent_session_id, started_at, ended_at, end_reason,
                message_count, last_message_at
         FROM sessions",
    )?;
    let mut texts = Texts::default();
    let mut rows: Vec<Listed> = Vec::new();
    let mut query = stmt.query([])?;
    while let Some(r) = query.next()? {
        let mark = texts.0.len();
        let source = texts.read_required(r, 1)?;
        if excluded.contains(&texts.get(&source)) {
            texts.0.truncate(mark);
            continue;
        }
        let started_at: f64 = r.get(4)?;
        let last: Option<f64> = r.get(8)?;
        let reason = texts.read(r, 6)?;
        let continuation_reason = reason
            .as_ref()
            .is_some_and(|reason| CONTINUATION_REASONS.contains(&texts.get(reason)));
        rows.push(Listed {
            id: texts.read_required(r, 0)?,
            source,
            title: texts.read(r, 2)?,
            parent: texts.read(r, 3)?,
            started_at,
            ended_at: r.get(5)?,
            continuation_reason,
            messages: r.get(7)?,
            last_active: last.unwrap_or(started_at),
        });
    }
    drop(query);
    Ok(collapse(&rows, &texts))
}

/// Chains collapsed, empty ones dropped, newest first, at most [`LIST_LIMIT`]: the
/// rules of [`lineage`] (root, newest continuation child, [`MAX_HOPS`]) applied to
/// positions in `rows` instead of id lookups.
fn collapse(rows: &[Listed], texts: &Texts) -> Vec<SessionSummary> {
    let id = |i: usize| texts.get(&rows[i].id);
    let position: HashMap<&str, usize> = (0..rows.len()).map(|i| (id(i), i)).collect();
    // The parent each row continues, if that parent is listed and the link is a
    // continuation.
    let continued: Vec<Option<usize>> = rows
        .iter()
        .map(|row| {
            let parent = *position.get(texts.get(row.parent.as_ref()?))?;
            let p = &rows[parent];
            lineage::continues_at(p.continuation_reason, p.ended_at, row.started_at)
                .then_some(parent)
        })
        .collect();
    // Each row's newest continuation child: latest start, then greatest id.
    let mut newest_child: Vec<Option<usize>> = vec![None; rows.len()];
    for (child, parent) in continued.iter().enumerate() {
        let Some(parent) = *parent else { continue };
        let newer = newest_child[parent].is_none_or(|best| {
            rows[child]
                .started_at
                .total_cmp(&rows[best].started_at)
                .then_with(|| id(child).cmp(id(best)))
                .is_gt()
        });
        if newer {
            newest_child[parent] = Some(child);
        }
    }
    let mut out = Vec::new();
    let mut chain = Vec::with_capacity(MAX_HOPS + 1);
    for (i, row) in rows.iter().enumerate() {
        if root_index(i, &continued) != i {
            continue; // a continuation: reported with its chain's head
        }
        chain.clear();
        chain.push(i);
        let mut current = i;
        while chain.len() <= MAX_HOPS {
            let Some(next) = newest_child[current] else {
                break;
            };
            chain.push(next);
            current = next;
        }
        let messages: i64 = chain.iter().map(|&c| rows[c].messages).sum();
        if messages == 0 {
            continue;
        }
        out.push(SessionSummary {
            id: id(chain[chain.len() - 1]).to_owned(),
            root_id: id(i).to_owned(),
            title: chain
                .iter()
                .find_map(|&c| rows[c].title.as_ref())
                .map(|title| texts.get(title).to_owned()),
            source: texts.get(&row.source).to_owned(),
            started_at: row.started_at,
            last_active: chain
                .iter()
                .map(|&c| rows[c].last_active)
                .fold(f64::MIN, f64::max),
            message_count: messages,
            segments: chain.len(),
        });
    }
    sort_and_limit(&mut out);
    out
}

/// [`lineage::root_of`] over positions: follows continuation parents at most
/// [`MAX_HOPS`] hops.
fn root_index(mut current: usize, continued: &[Option<usize>]) -> usize {
    for _ in 0..MAX_HOPS {
        match continued[current] {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current
}

/// Newest activity first, then by id; at most [`LIST_LIMIT`] rows.
fn sort_and_limit(out: &mut Vec<SessionSummary>) {
    out.sort_by(|a, b| {
        b.last_active
            .total_cmp(&a.last_active)
            .then_with(|| a.id.cmp(&b.id))
    });
    out.truncate(LIST_LIMIT);
}

struct Row {
    link: Link,
    source: String,
    title: Option<String>,
    messages: i64,
    last_active: f64,
}

/// The listing of [`list_importable_on`] computed the original way: counts and newest
/// message times aggregated from `messages` on every call, chains collapsed through
/// id maps. Much slower; it does not depend on the denormalised columns, so it serves
/// as the reference the tests compare the fast listing with, and it is the query the
/// benchmark's "before" figure ran.
pub fn list_importable_from_messages_on(
    conn: &Connection,
    excluded: &[&str],
) -> Result<Vec<SessionSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.source, s.title, s.parent_session_id, s.started_at, s.ended_at, s.end_reason,
                coalesce(m.n, 0), m.last
         FROM sessions s
         LEFT JOIN (SELECT session_id, count(*) AS n, max(timestamp) AS last
                    FROM messages GROUP BY session_id) m ON m.session_id = s.id",
    )?;
    let mut rows: HashMap<String, Row> = HashMap::new();
    let mut query = stmt.query([])?;
    while let Some(r) = query.next()? {
        let source: String = r.get(1)?;
        if excluded.contains(&source.as_str()) {
            continue;
        }
        let started_at: f64 = r.get(4)?;
        let last: Option<f64> = r.get(8)?;
        let row = Row {
            link: Link {
                parent: r.get(3)?,
                started_at,
                ended_at: r.get(5)?,
                end_reason: r.get(6)?,
            },
            source,
            title: r.get(2)?,
            messages: r.get(7)?,
            last_active: last.unwrap_or(started_at),
        };
        rows.insert(r.get(0)?, row);
    }
    let links: HashMap<String, Link> = rows
        .iter()
        .map(|(id, row)| (id.clone(), row.link.clone()))
        .collect();
    let children = lineage::continuation_children(&links);
    let mut out = Vec::new();
    for (id, row) in &rows {
        if lineage::root_of(id, &links).0 != id {
            continue; // a continuation: reported with its chain's head
        }
        let chain = lineage::chain_from(id, &links, &children);
        let messages: i64 = chain.iter().map(|c| rows[*c].messages).sum();
        if messages == 0 {
            continue;
        }
        let tip = chain[chain.len() - 1];
        out.push(SessionSummary {
            id: tip.to_owned(),
            root_id: id.clone(),
            title: chain.iter().find_map(|c| rows[*c].title.clone()),
            source: row.source.clone(),
            started_at: row.link.started_at,
            last_active: chain
                .iter()
                .map(|c| rows[*c].last_active)
                .fold(f64::MIN, f64::max),
            message_count: messages,
            segments: chain.len(),
        });
    }
    sort_and_limit(&mut out);
    Ok(out)
}

fn lineage_of(conn: &Connection, ids: &[&str]) -> Result<HashMap<String, Lineage>> {
    let mut links: HashMap<String, Link> = HashMap::new();
    let mut frontier: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    // Upward: fetch the sessions, then their parents, at most MAX_HOPS rounds.
    for _ in 0..=MAX_HOPS {
        let wanted: Vec<String> = frontier
            .drain(..)
            .filter(|id| !links.contains_key(id))
            .collect();
        if wanted.is_empty() {
            break;
        }
        for (id, link) in fetch_links(conn, "id", &wanted)? {
            if let Some(parent) = &link.parent {
                frontier.push(parent.clone());
            }
            links.insert(id, link);
        }
    }
    // Downward: children of everything known, at most MAX_HOPS rounds.
    let mut frontier: Vec<String> = links.keys().cloned().collect();
    for _ in 0..MAX_HOPS {
        if frontier.is_empty() {
            break;
        }
        let found = fetch_links(conn, "parent_session_id", &frontier)?;
        frontier = found
            .iter()
            .filter(|(id, _)| !links.contains_key(id))
            .map(|(id, _)| id.clone())
            .collect();
        links.extend(found);
    }
    let children = lineage::continuation_children(&links);
    let mut out = HashMap::new();
    for id in ids {
        if !links.contains_key(*id) {
            continue;
        }
        let (root, _) = lineage::root_of(id, &links);
        let (tip, segments) = lineage::tip_of(root, &links, &children);
        out.insert(
            (*id).to_owned(),
            Lineage {
                root: root.to_owned(),
                tip: tip.to_owned(),
                segments,
            },
        );
    }
    Ok(out)
}

/// Sessions whose `column` is in `values`, IN lists chunked at [`IN_CHUNK`].
fn fetch_links(conn: &Connection, column: &str, values: &[String]) -> Result<Vec<(String, Link)>> {
    let mut out = Vec::new();
    for chunk in values.chunks(IN_CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "SELECT id, parent_session_id, started_at, ended_at, end_reason FROM sessions WHERE {column} IN ({marks})"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(chunk), |r| {
            Ok((
                r.get::<_, String>(0)?,
                Link {
                    parent: r.get(1)?,
                    started_at: r.get(2)?,
                    ended_at: r.get(3)?,
                    end_reason: r.get(4)?,
                },
            ))
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}
