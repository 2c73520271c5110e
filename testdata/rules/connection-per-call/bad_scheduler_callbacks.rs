use clokwerk::{Scheduler, TimeUnits};
use diesel::prelude::*;
use diesel::PgConnection;
use tokio_cron_scheduler::{Job, JobScheduler};

// Scheduler callbacks run once per tick: each tick connects anew.
pub fn setup(url: String) {
    let mut scheduler = Scheduler::new();
    let hourly = url.clone();
    scheduler.every(1.hour()).run(move || {
        PgConnection::establish(&hourly) //~ connection-per-call
            .map(|mut conn| diesel::sql_query("REFRESH MATERIALIZED VIEW counts").execute(&mut conn))
            .ok();
    });
    scheduler.every(10.minutes()).at("00:30").run(move || {
        if let Ok(mut conn) = PgConnection::establish(&url) { //~ connection-per-call
            diesel::sql_query("DELETE FROM captcha WHERE expired").execute(&mut conn).ok();
        }
    });
    loop {
        scheduler.run_pending();
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

pub async fn cron(sched: &JobScheduler, path: String) -> Result<(), Box<dyn std::error::Error>> {
    sched
        .add(Job::new_async("0 */5 * * * *", move |_id, _lock| {
            let path = path.clone();
            Box::pin(async move {
                let conn = rusqlite::Connection::open(&path).unwrap(); //~ connection-per-call
                conn.execute("DELETE FROM sessions WHERE expires < unixepoch()", []).ok();
            })
        })?)
        .await?;
    Ok(())
}
