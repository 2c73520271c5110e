// False positive of `write-outside-transaction`, from matrix-sdk-sqlite 0.10
// (src/state_store.rs, `remove_room_state_events` and `remove_room_members`).
//
// The two DELETE statements are in the two arms of one `if`/`else`: exactly
// one of them runs per call, so there is never a second write that a failure
// could separate from the first. The rule counts writes on mutually
// exclusive branches as if they ran in sequence.
//
// Expected: no finding.
use rusqlite::Connection;

pub fn remove_room_members(
    conn: &Connection,
    room_id: &[u8],
    stripped: Option<bool>,
) -> rusqlite::Result<()> {
    if let Some(stripped) = stripped {
        conn.prepare_cached("DELETE FROM member WHERE room_id = ? AND stripped = ?")?
            .execute((room_id, stripped))?;
    } else {
        conn.prepare_cached("DELETE FROM member WHERE room_id = ?")?
            .execute((room_id,))?;
    }
    Ok(())
}
