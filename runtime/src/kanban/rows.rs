//! The rows and arguments of the task board.

use super::Status;

/// A task row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[allow(missing_docs)] // the columns of `tasks`, named as in the schema
pub struct Task {
    pub id: String,
    pub title: String,
    pub body: Option<String>,
    pub assignee: Option<String>,
    pub status: Status,
    pub priority: i64,
    pub created_by: Option<String>,
    pub created_at: f64,
    pub started_at: Option<f64>,
    pub completed_at: Option<f64>,
    pub claim_lock: Option<String>,
    pub claim_expires: Option<f64>,
    pub worker_pid: Option<i64>,
    pub current_run_id: Option<i64>,
    pub idempotency_key: Option<String>,
    pub result: Option<String>,
}

/// A task to create.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    /// The title.
    pub title: String,
    /// Details.
    pub body: Option<String>,
    /// Who should do it.
    pub assignee: Option<String>,
    /// Higher runs first.
    pub priority: i64,
    /// Who asked.
    pub created_by: Option<String>,
    /// A create with the key of a live task returns that task instead.
    pub idempotency_key: Option<String>,
    /// Tasks that must finish first; while one is unfinished the task waits in `todo`.
    pub parents: Vec<String>,
}

impl NewTask {
    /// A task with just a title.
    pub fn new(title: impl Into<String>) -> NewTask {
        NewTask {
            title: title.into(),
            ..NewTask::default()
        }
    }
}

/// A successful claim.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Claim {
    /// The claimed task.
    pub task_id: String,
    /// The `task_runs` row made for this claim.
    pub run_id: i64,
    /// The claiming worker.
    pub worker: String,
    /// When the claim lapses without a heartbeat.
    pub claim_expires: f64,
}

/// A `task_events` row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Event {
    /// Increasing id: the cursor.
    pub id: i64,
    /// The task.
    pub task_id: String,
    /// The run, for run events.
    pub run_id: Option<i64>,
    /// `created`, `claimed`, `completed`, `blocked`, `released`, ...
    pub kind: String,
    /// Details (`from->to` for status changes).
    pub payload: Option<String>,
    /// Time, seconds since the epoch.
    pub created_at: f64,
}

/// A notification subscription: where a task's events are sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Subscription {
    /// The watched task.
    pub task_id: String,
    /// The chat platform.
    pub platform: String,
    /// The chat.
    pub chat_id: String,
    /// The thread in the chat ("" for none).
    pub thread_id: String,
}

/// What one dispatcher tick did.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DispatchReport {
    /// Tasks whose stale claim was released.
    pub released: Vec<String>,
    /// Tasks that moved from todo to ready.
    pub readied: usize,
    /// Claims made, at most the cap.
    pub claimed: Vec<Claim>,
}
