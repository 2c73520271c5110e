// False positive of `connection-per-call`, from redis 0.27 (src/sentinel.rs,
// `Sentinel::try_all_sentinels` and `async_try_all_sentinels`).
//
// Each sentinel has a cache slot (`&mut Option<Connection>`); the helper
// connects only when the slot is empty and stores the connection in it, so
// the connection outlives the call and is reused next time. The loop also
// visits a different server per element and returns on the first success.
//
// Expected: no finding.
use redis::{Client, Cmd, Connection, ConnectionInfo, FromRedisValue, RedisResult};

fn reconnect(slot: &mut Option<Connection>, info: &ConnectionInfo) -> RedisResult<()> {
    let client = Client::open(info.clone())?;
    *slot = Some(client.get_connection()?);
    Ok(())
}

fn try_single_sentinel<T: FromRedisValue>(
    cmd: Cmd,
    info: &ConnectionInfo,
    cached: &mut Option<Connection>,
) -> RedisResult<T> {
    if cached.is_none() {
        reconnect(cached, info)?;
    }
    cmd.query(cached.as_mut().expect("just connected"))
}

pub struct Sentinel {
    infos: Vec<ConnectionInfo>,
    cache: Vec<Option<Connection>>,
}

impl Sentinel {
    pub fn try_all_sentinels<T: FromRedisValue>(&mut self, cmd: Cmd) -> RedisResult<T> {
        let mut last_err = None;
        for (info, cached) in self.infos.iter().zip(self.cache.iter_mut()) {
            match try_single_sentinel(cmd.clone(), info, cached) {
                Ok(result) => return Ok(result),
                Err(err) => last_err = Some(err),
            }
        }
        Err(last_err.expect("at least one sentinel"))
    }
}
