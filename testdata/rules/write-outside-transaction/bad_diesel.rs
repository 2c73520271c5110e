use diesel::prelude::*;
use diesel::PgConnection;

pub fn add_member(conn: &mut PgConnection, team: i32, user: i32) -> QueryResult<()> {
    diesel::insert_into(members::table) //~ write-outside-transaction
        .values((members::team_id.eq(team), members::user_id.eq(user)))
        .execute(conn)?;
    diesel::update(teams::table.find(team))
        .set(teams::size.eq(teams::size + 1))
        .execute(conn)?;
    Ok(())
}
