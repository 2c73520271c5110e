#!/usr/bin/env run-cargo-script
fn main() { let c = rusqlite::Connection::open("a").unwrap(); std::mem::forget(c); }
