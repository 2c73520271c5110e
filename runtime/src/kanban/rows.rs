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
    pub scheduled_at: Option<f64>,
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
    /// Where the task starts: `ready`/`todo` (the default), `triage`, or `scheduled`.
    pub initial: Initial,
}

/// The status a new task starts in.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Initial {
    /// `ready`, or `todo` while a parent is unfinished.
    #[default]
    Auto,
    /// `triage`: someone looks at it first
    /// ([`KanbanStore::accept`](super::KanbanStore::accept) lets it go on).
    Triage,
    /// `scheduled` until `at` (seconds since the epoch); the dispatcher makes it
    /// ready once that time has come.
    Scheduled {
        /// When it becomes ready.
        at: f64,
    },
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
    /// Scheduled tasks whose time had come (now `ready`, or `todo` while a parent is
    /// unfinished).
    pub due: Vec<String>,
}

/// A `task_comments` row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Comment {
    /// Increasing id.
    pub id: i64,
    /// The task.
    pub task_id: String,
    /// Who wrote it, if known.
    pub author: Option<String>,
    /// The text.
    pub body: String,
    /// Time, seconds since the epoch.
    pub created_at: f64,
}

/// A task's links: the tasks it waits for and the tasks that wait for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Links {
    /// Tasks that must finish before this one (by id).
    pub parents: Vec<String>,
    /// Tasks waiting for this one (by id).
    pub children: Vec<String>,
}

/// A `task_runs` row: one claim of a task, from start to end.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[allow(missing_docs)] // the columns of `task_runs`, named as in the schema
pub struct Run {
    pub id: i64,
    pub task_id: String,
    /// `running`, `done`, `review`, `blocked`, `failed` or `released`.
    pub status: String,
    /// The worker that claimed it.
    pub claim: Option<String>,
    pub pid: Option<i64>,
    pub heartbeat_at: Option<f64>,
    pub started_at: f64,
    pub ended_at: Option<f64>,
    pub outcome: Option<String>,
    pub summary: Option<String>,
    pub error: Option<String>,
}

/// Where a page of [`KanbanStore::tasks_page`](super::KanbanStore::tasks_page) ended:
/// the next page starts after this task in the listing order (priority, highest
/// first, then age, then id). Its text form ([`Display`](std::fmt::Display) and
/// [`FromStr`](std::str::FromStr)) is an opaque token for URLs.
///
/// Keyset paging rather than offsets: a page does not skip or repeat tasks when tasks
/// are created or finish between two requests, and a deep page costs what the first
/// one does.
///
/// ```
/// use connlint_runtime::kanban::TaskCursor;
///
/// let token = "p3.40d0000000000000.t_0000abcd";
/// let cursor: TaskCursor = token.parse()?;
/// assert_eq!(cursor.to_string(), token);
/// assert!("garbage".parse::<TaskCursor>().is_err());
/// # Ok::<(), connlint_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TaskCursor {
    pub(crate) priority: i64,
    pub(crate) created_at: f64,
    pub(crate) id: String,
}

impl TaskCursor {
    pub(crate) fn after(task: &Task) -> TaskCursor {
        TaskCursor {
            priority: task.priority,
            created_at: task.created_at,
            id: task.id.clone(),
        }
    }
}

impl std::fmt::Display for TaskCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p{}.{:016x}.{}",
            self.priority,
            self.created_at.to_bits(),
            self.id
        )
    }
}

impl std::str::FromStr for TaskCursor {
    type Err = crate::Error;

    fn from_str(text: &str) -> Result<TaskCursor, crate::Error> {
        let invalid = || crate::Error::InvalidCursor {
            cursor: text.to_owned(),
        };
        let rest = text.strip_prefix('p').ok_or_else(invalid)?;
        let (priority, rest) = rest.split_once('.').ok_or_else(invalid)?;
        let (bits, id) = rest.split_once('.').ok_or_else(invalid)?;
        if bits.len() != 16 || id.is_empty() {
            return Err(invalid());
        }
        Ok(TaskCursor {
            priority: priority.parse().map_err(|_| invalid())?,
            created_at: f64::from_bits(u64::from_str_radix(bits, 16).map_err(|_| invalid())?),
            id: id.to_owned(),
        })
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for TaskCursor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One page of [`KanbanStore::tasks_page`](super::KanbanStore::tasks_page).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TaskPage {
    /// The tasks, in listing order.
    pub tasks: Vec<Task>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<TaskCursor>,
}
