//! The sidebar listing: sessions with their message counts, continuation chains
//! collapsed into one row, newest activity first.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::lineage::{self, Link, CONTINUATION_REASONS, MAX_HOPS};
use super::{SessionSummary, LIST_LIMIT};
use crate::Result;

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

/// The sidebar query of
/// [`SessionStore::list_importable_excluding`](super::SessionStore::list_importable_excluding)
/// on any connection to a `state.db`, without the cache. The benchmark uses it to
/// compare connection strategies on identical work; applications should go through a
/// [`SessionStore`](super::SessionStore).
///
/// It reads `sessions` alone (one pass, no join): each session's message count and
/// newest message time are the denormalised `message_count` and `last_message_at`
/// columns that [`SessionStore::append_message`](super::SessionStore::append_message)
/// keeps current. The chains are then collapsed in memory through row positions,
/// which is linear in the number of sessions (a chain walk stops after [`MAX_HOPS`]
/// hops). The file must have the current schema (any
/// [`SessionStore`](super::SessionStore) open migrates it).
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
/// rules of the lineage module (root, newest continuation child, [`MAX_HOPS`])
/// applied to positions in `rows` instead of id lookups.
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

/// `lineage::root_of` over positions: follows continuation parents at most
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
