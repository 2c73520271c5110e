pub mod shared;
pub mod store;
