use clokwerk::{Scheduler, TimeUnits};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::PgConnection;
use tokio_cron_scheduler::Job;

// Ticks that check a connection out of a pool built once, a one-shot job,
// and a connection opened once before the scheduler and shared.
pub fn setup(pool: Pool<ConnectionManager<PgConnection>>, url: String) {
    let mut scheduler = Scheduler::new();
    let shared = std::sync::Mutex::new(PgConnection::establish(&url).unwrap());
    scheduler.every(1.hour()).run(move || {
        let mut conn = pool.get().unwrap();
        diesel::sql_query("REFRESH MATERIALIZED VIEW counts").execute(&mut conn).ok();
    });
    scheduler.every(1.day()).run(move || {
        let mut conn = shared.lock().unwrap();
        diesel::sql_query("VACUUM").execute(&mut *conn).ok();
    });
    loop {
        scheduler.run_pending();
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

pub fn warm_up(path: String) -> Result<Job, Box<dyn std::error::Error>> {
    Ok(Job::new_one_shot(std::time::Duration::from_secs(5), move |_id, _lock| {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA optimize").ok();
    })?)
}

// `run` of something that is not a schedule.
pub fn not_a_schedule(runner: &Runner, path: String) {
    runner.run(move || {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA optimize").ok();
    });
}

pub struct Runner;

impl Runner {
    pub fn run(&self, f: impl FnOnce()) {
        f()
    }
}
