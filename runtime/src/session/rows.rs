//! The rows and arguments of the session store.

use super::now;

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

/// Root, tip and length of one session's chain, from
/// [`SessionStore::lineage`](super::SessionStore::lineage).
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

/// A stored session row, as [`SessionStore::session`](super::SessionStore::session)
/// returns it (no chain collapsing).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[allow(missing_docs)] // the columns of `sessions`, named as in the schema
pub struct Session {
    pub id: String,
    pub source: String,
    pub user_id: Option<String>,
    pub model: Option<String>,
    pub title: Option<String>,
    pub parent_session_id: Option<String>,
    pub started_at: f64,
    pub ended_at: Option<f64>,
    pub end_reason: Option<String>,
    pub message_count: i64,
    pub tool_call_count: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    /// The newest message time (`None` while the session has no message).
    pub last_message_at: Option<f64>,
}

/// A message found by [`SessionStore::search_messages`](super::SessionStore::search_messages).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SearchHit {
    /// The message.
    pub message: Message,
    /// The matching part of its text, matches marked with `[` and `]`.
    pub snippet: String,
    /// FTS5's bm25 rank: lower is a better match.
    pub rank: f64,
}
