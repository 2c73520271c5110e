//! `board-gateway`: the task board's gateway process.
//!
//! Runs the notifier and the dispatcher over one board, as the platform's gateway
//! does, through one registry handle for its whole life. The board is a file path
//! (SQLite) or a `postgres://` URL (PostgreSQL); several gateways on several
//! machines can share one PostgreSQL board. The dispatcher runs every M ms; the
//! notifier ticks as soon as events commit (`KanbanStore::wait_for_news`:
//! `LISTEN/NOTIFY` on PostgreSQL, a cheap look every 20 ms on SQLite) and at
//! least every N ms. Every write
//! is printed on stdout after it committed ("acknowledged"), one line each:
//!
//! ```text
//! ack create <task>            a task made by --create
//! ack claim <task> <run>       the dispatcher claimed a task
//! ack complete <task> <run>    the simulated worker finished it
//! ack notify <task> <cursor> <ids>   the notifier offered events <ids> (comma-separated)
//!                                 to a subscription and moved its cursor
//! ```
//!
//! Usage: `board-gateway <board.db | postgres://...> <notifier-ms> <dispatcher-ms> [duration-ms]
//! [--create N] [--cap N] [--worker NAME] [--no-complete] [--checkpoint]`. Without a
//! duration it runs until SIGTERM or SIGINT, which stop it gracefully: the tick in
//! progress finishes, the board is closed (its WAL checkpointed), and it exits with
//! status 0. `--checkpoint` truncates the WAL after every dispatcher tick.

#[path = "support/stderr_log.rs"]
mod stderr_log;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use connlint_runtime::kanban::{KanbanStore, NewTask, Subscription};

struct Args {
    board: String,
    notifier: Duration,
    dispatcher: Duration,
    duration: Option<Duration>,
    create: usize,
    cap: usize,
    worker: String,
    complete: bool,
    checkpoint: bool,
}

const USAGE: &str =
    "usage: board-gateway <board.db | postgres://url> <notifier-ms> <dispatcher-ms> [duration-ms] \
                     [--create N] [--cap N] [--worker NAME] [--no-complete] [--checkpoint]";

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut args = Args {
        board: String::new(),
        notifier: Duration::ZERO,
        dispatcher: Duration::ZERO,
        duration: None,
        create: 0,
        cap: 8,
        worker: format!("gateway-{}", std::process::id()),
        complete: true,
        checkpoint: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--create" => args.create = number(&value("--create")?)?,
            "--cap" => args.cap = number(&value("--cap")?)?,
            "--worker" => args.worker = value("--worker")?,
            "--no-complete" => args.complete = false,
            "--checkpoint" => args.checkpoint = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ => positional.push(arg),
        }
    }
    if !(3..=4).contains(&positional.len()) {
        return Err(USAGE.to_owned());
    }
    args.board = positional[0].clone();
    args.notifier = Duration::from_millis(number(&positional[1])? as u64);
    args.dispatcher = Duration::from_millis(number(&positional[2])? as u64);
    if let Some(ms) = positional.get(3) {
        args.duration = Some(Duration::from_millis(number(ms)? as u64));
    }
    Ok(args)
}

fn number(text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("not a number: {text}\n{USAGE}"))
}

fn main() -> ExitCode {
    stderr_log::init();
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(errors) => {
            eprintln!("board-gateway: {errors} tick(s) failed");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("board-gateway: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The longest the loop sleeps before looking at the stop flag again.
const STOP_CHECK: Duration = Duration::from_millis(20);

/// A flag that SIGTERM and SIGINT set (the handler only stores to an atomic).
fn stop_flag() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        if let Err(e) = signal_hook::flag::register(signal, stop.clone()) {
            eprintln!("board-gateway: cannot handle signal {signal}: {e}");
        }
    }
    stop
}

/// Runs until the duration is over or a stop signal came; returns how many ticks
/// failed.
fn run(args: &Args) -> Result<usize, connlint_runtime::Error> {
    let stop = stop_flag();
    let start = Instant::now();
    println!("started pid={}", std::process::id());
    let mut next_notify = start;
    let mut next_dispatch = start;
    let (mut notifier_ticks, mut dispatcher_ticks, mut errors) = (0u64, 0u64, 0usize);
    let mut news = false;
    loop {
        if stop.load(Ordering::SeqCst) || args.duration.is_some_and(|d| start.elapsed() >= d) {
            break;
        }
        let now = Instant::now();
        if news || now >= next_notify {
            // A registry lookup per tick: cheap, and the same handle every time.
            if let Err(e) = KanbanStore::open(&args.board).and_then(|board| notify(&board)) {
                eprintln!("error notifier: {e}");
                errors += 1;
            }
            notifier_ticks += 1;
            next_notify = now + args.notifier;
        }
        if now >= next_dispatch {
            if let Err(e) = KanbanStore::open(&args.board).and_then(|board| dispatch(&board, args))
            {
                eprintln!("error dispatcher: {e}");
                errors += 1;
            }
            dispatcher_ticks += 1;
            next_dispatch = now + args.dispatcher;
        }
        // Wait for news (or the next tick's time), looking at the stop flag at
        // least every STOP_CHECK.
        let wait = next_notify
            .min(next_dispatch)
            .saturating_duration_since(Instant::now())
            .min(STOP_CHECK);
        news = match KanbanStore::open(&args.board).and_then(|board| board.wait_for_news(wait)) {
            Ok(news) => news,
            Err(e) => {
                eprintln!("error waiting for news: {e}");
                errors += 1;
                thread::sleep(wait);
                false
            }
        };
    }
    println!("summary notifier_ticks={notifier_ticks} dispatcher_ticks={dispatcher_ticks} errors={errors}");
    // Closing checkpoints the WAL (nothing is left in `<board>-wal` after exit), or
    // ends the PostgreSQL pool's sessions.
    connlint_runtime::close_all()?;
    let report = connlint_runtime::leak_report();
    if !report.is_empty() {
        eprintln!("{report}");
    }
    Ok(errors)
}

fn notify(board: &KanbanStore) -> Result<(), connlint_runtime::Error> {
    for (sub, events) in board.notifier_tick(100)? {
        if let Some(last) = events.last() {
            let ids: Vec<String> = events.iter().map(|e| e.id.to_string()).collect();
            println!("ack notify {} {} {}", sub.task_id, last.id, ids.join(","));
        }
    }
    Ok(())
}

fn dispatch(board: &KanbanStore, args: &Args) -> Result<(), connlint_runtime::Error> {
    for n in 0..args.create {
        let mut task = NewTask::new(format!("gateway task {n}"));
        task.created_by = Some(args.worker.clone());
        let task = board.create(&task)?;
        println!("ack create {}", task.id);
        board.subscribe(&Subscription {
            task_id: task.id.clone(),
            platform: "gateway".to_owned(),
            chat_id: "log".to_owned(),
            thread_id: String::new(),
        })?;
    }
    let report = board.dispatcher_tick(&args.worker, args.cap)?;
    for claim in &report.claimed {
        println!("ack claim {} {}", claim.task_id, claim.run_id);
    }
    if args.complete {
        for claim in &report.claimed {
            if board.complete(&claim.task_id, Some(claim.run_id), Some("done by gateway"))? {
                println!("ack complete {} {}", claim.task_id, claim.run_id);
            }
        }
    }
    if let Some(db) = board.database().filter(|_| args.checkpoint) {
        if db.checkpoint()? {
            println!("checkpoint");
        }
    }
    Ok(())
}
