//! Continuation chains ("lineage"): a compressed or closed session continues in a
//! child whose `started_at` is at or after the parent's `ended_at`, and whose parent
//! ended with `compression` or `cli_close`. The chain is one conversation.

use std::collections::HashMap;

use rusqlite::{params_from_iter, Connection};

use super::{Lineage, IN_CHUNK};
use crate::Result;

/// The end reasons that make a child a continuation of its parent.
pub const CONTINUATION_REASONS: [&str; 2] = ["compression", "cli_close"];

/// Parent chains are followed at most this many hops (a guard against cycles and
/// pathological chains in old data).
pub const MAX_HOPS: usize = 20;

/// The fields of a session that decide lineage.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub(crate) parent: Option<String>,
    pub(crate) started_at: f64,
    pub(crate) ended_at: Option<f64>,
    pub(crate) end_reason: Option<String>,
}

/// Whether `child` continues `parent`.
pub(crate) fn continues(parent: &Link, child: &Link) -> bool {
    let reason_ok = parent
        .end_reason
        .as_deref()
        .is_some_and(|reason| CONTINUATION_REASONS.contains(&reason));
    continues_at(reason_ok, parent.ended_at, child.started_at)
}

/// [`continues`] on the deciding facts: the parent ended for a continuation reason at
/// `parent_ended`, and the child started at `child_started`.
pub(crate) fn continues_at(
    parent_reason_ok: bool,
    parent_ended: Option<f64>,
    child_started: f64,
) -> bool {
    parent_reason_ok && parent_ended.is_some_and(|ended| child_started >= ended)
}

/// The head of `id`'s chain: follows continuation parents at most [`MAX_HOPS`] hops,
/// within the sessions known in `links`. Returns the root and the hops taken.
pub(crate) fn root_of<'a>(id: &'a str, links: &'a HashMap<String, Link>) -> (&'a str, usize) {
    let mut current = id;
    let mut hops = 0;
    while hops < MAX_HOPS {
        let Some(link) = links.get(current) else {
            break;
        };
        let Some(parent_id) = link.parent.as_deref() else {
            break;
        };
        let Some(parent) = links.get(parent_id) else {
            break;
        };
        if !continues(parent, link) {
            break;
        }
        current = parent_id;
        hops += 1;
    }
    (current, hops)
}

/// For each session id, the continuation children known in `links`.
pub(crate) fn continuation_children(links: &HashMap<String, Link>) -> HashMap<&str, Vec<&str>> {
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, link) in links {
        if let Some(parent_id) = link.parent.as_deref() {
            if let Some(parent) = links.get(parent_id) {
                if continues(parent, link) {
                    children.entry(parent_id).or_default().push(id.as_str());
                }
            }
        }
    }
    children
}

/// The chain that starts at `root`: follows the newest continuation child at most
/// [`MAX_HOPS`] hops. The first element is `root`, the last the tip.
pub(crate) fn chain_from<'a>(
    root: &'a str,
    links: &'a HashMap<String, Link>,
    children: &HashMap<&'a str, Vec<&'a str>>,
) -> Vec<&'a str> {
    let started = |id: &str| links.get(id).map_or(f64::MIN, |l| l.started_at);
    let mut chain = vec![root];
    let mut current = root;
    while chain.len() <= MAX_HOPS {
        let Some(kids) = children.get(current) else {
            break;
        };
        let newest = kids
            .iter()
            .copied()
            .max_by(|a, b| started(a).total_cmp(&started(b)).then_with(|| a.cmp(b)));
        let Some(next) = newest else { break };
        chain.push(next);
        current = next;
    }
    chain
}

/// The tip of the chain that starts at `root`, and the number of segments.
pub(crate) fn tip_of<'a>(
    root: &'a str,
    links: &'a HashMap<String, Link>,
    children: &HashMap<&'a str, Vec<&'a str>>,
) -> (&'a str, usize) {
    let chain = chain_from(root, links, children);
    (chain[chain.len() - 1], chain.len())
}

/// Root, tip and segment count of each of `ids` that exists (see
/// [`SessionStore::lineage`](super::SessionStore::lineage)).
pub(crate) fn lineage_of(conn: &Connection, ids: &[&str]) -> Result<HashMap<String, Lineage>> {
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
    let children = continuation_children(&links);
    let mut out = HashMap::new();
    for id in ids {
        if !links.contains_key(*id) {
            continue;
        }
        let (root, _) = root_of(id, &links);
        let (tip, segments) = tip_of(root, &links, &children);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn link(parent: Option<&str>, started: f64, ended: Option<f64>, reason: Option<&str>) -> Link {
        Link {
            parent: parent.map(str::to_owned),
            started_at: started,
            ended_at: ended,
            end_reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn chains_collapse_only_through_continuations() {
        let mut links = HashMap::new();
        links.insert(
            "a".to_owned(),
            link(None, 1.0, Some(2.0), Some("compression")),
        );
        links.insert(
            "b".to_owned(),
            link(Some("a"), 2.0, Some(3.0), Some("cli_close")),
        );
        links.insert("c".to_owned(), link(Some("b"), 3.5, None, None));
        // A child of an ordinary ended session is its own conversation.
        links.insert(
            "d".to_owned(),
            link(None, 1.0, Some(2.0), Some("user_exit")),
        );
        links.insert("e".to_owned(), link(Some("d"), 3.0, None, None));
        assert_eq!(root_of("c", &links), ("a", 2));
        assert_eq!(root_of("e", &links), ("e", 0));
        let children = continuation_children(&links);
        assert_eq!(tip_of("a", &links, &children), ("c", 3));
    }

    #[test]
    fn hops_are_bounded() {
        let mut links = HashMap::new();
        for i in 0..50 {
            let parent = (i > 0).then(|| format!("s{}", i - 1));
            let l = link(
                parent.as_deref(),
                i as f64,
                Some(i as f64),
                Some("compression"),
            );
            links.insert(format!("s{i}"), l);
        }
        assert_eq!(root_of("s49", &links).1, MAX_HOPS);
    }
}
