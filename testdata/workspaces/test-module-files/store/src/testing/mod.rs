mod seed;

pub use seed::seed_all;
