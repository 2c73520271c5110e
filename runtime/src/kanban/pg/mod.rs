//! The task board on PostgreSQL: the same operations as the SQLite modules beside
//! this one, in PostgreSQL's SQL and with its tools where they fit.
//!
//! - Status changes are the same compare-and-swap `UPDATE ... WHERE status = <from>`
//!   checked against [`TRANSITIONS`](super::TRANSITIONS), with the event appended
//!   in the same transaction (written at its end, see `crate::pg::tx`).
//! - A claim locks the task row with `SELECT ... FOR UPDATE SKIP LOCKED`: a worker
//!   never waits for a row another worker is claiming, and of two racing claims
//!   exactly one finds the row.
//! - What SQLite serialized by having one writer is serialized here where it
//!   matters: links take an advisory lock (two links racing on two machines could
//!   otherwise close a cycle together), notifier ticks take one (two gateways'
//!   ticks would otherwise offer one event twice), completing a task locks its
//!   waiting children before counting their unfinished parents (two parents
//!   completing at once would otherwise each see the other unfinished), and
//!   live idempotency keys are unique.

pub(crate) mod notifier;
pub(crate) mod planning;
pub(crate) mod reads;
pub(crate) mod runs;
pub(crate) mod schema;
pub(crate) mod transition;

/// Advisory lock of schema creation ("cl_migra").
pub(crate) const MIGRATE_LOCK: i64 = 0x636c_5f6d_6967_7261;
/// Advisory lock of links ("cl_links").
pub(crate) const LINK_LOCK: i64 = 0x636c_5f6c_696e_6b73;
/// Advisory lock of notifier ticks ("cl_notif").
pub(crate) const TICK_LOCK: i64 = 0x636c_5f6e_6f74_6966;
