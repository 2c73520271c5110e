// The crate's own module named like a driver is not the driver.
mod redis {
    pub struct Client {
        pub url: String,
    }

    impl Client {
        pub fn get_multiplexed_async_connection(&self) -> usize {
            self.url.len()
        }
    }
}

pub struct Cache {
    client: crate::redis::Client,
}

impl Cache {
    pub fn get(&self) -> usize {
        self.client.get_multiplexed_async_connection()
    }

    pub fn set(&self) -> usize {
        self.client.get_multiplexed_async_connection() + 1
    }
}

pub fn poll(cache: &Cache) {
    loop {
        let _ = cache.get();
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
