fn main() {
    let jobs = vec!["a", "b", "c"];
    for job in jobs {
        let conn = db::open("jobs.db").unwrap();
        conn.execute("UPDATE jobs SET done = 1 WHERE name = ?1", [job])
            .unwrap();
    }
}
