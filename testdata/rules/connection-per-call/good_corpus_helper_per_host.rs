// False positive of `connection-per-call`, from redis 0.27 (src/sentinel.rs,
// `find_valid_master`, `async_find_valid_master`,
// `get_valid_replicas_addresses`: three findings).
//
// Each iteration asks a *different* server (the address comes from the loop
// element) for its role through a helper that connects, runs `ROLE` and
// returns a bool; the loop returns as soon as one server qualifies. The
// rule's documentation excludes "opens whose database depends on the loop
// element"; that exclusion works for an open written in the loop but is lost
// when the open is inside a helper called with an argument derived from the
// element.
//
// Expected: no finding.
use redis::{Client, ConnectionInfo, RedisResult, Value};

fn check_role(connection_info: &ConnectionInfo, target_role: &str) -> bool {
    if let Ok(client) = Client::open(connection_info.clone()) {
        if let Ok(mut conn) = client.get_connection() {
            let result: RedisResult<Vec<Value>> = redis::cmd("ROLE").query(&mut conn);
            return matches!(result, Ok(v) if !v.is_empty()) && !target_role.is_empty();
        }
    }
    false
}

fn info_for(ip: &str, port: u16) -> ConnectionInfo {
    redis::ConnectionAddr::Tcp(ip.to_string(), port).into()
}

pub fn find_valid_master(masters: Vec<(String, u16)>) -> Option<ConnectionInfo> {
    for (ip, port) in masters {
        let connection_info = info_for(&ip, port);
        if check_role(&connection_info, "master") {
            return Some(connection_info);
        }
    }
    None
}

pub fn valid_replicas(replicas: Vec<(String, u16)>) -> Vec<ConnectionInfo> {
    replicas
        .iter()
        .map(|(ip, port)| info_for(ip, *port))
        .filter(|connection_info| check_role(connection_info, "slave"))
        .collect()
}
