use std::mem::{self, ManuallyDrop};

// Leaking values that are not connections is none of this rule's business.
pub fn leak_string() -> &'static str {
    Box::leak(String::from("config").into_boxed_str())
}

pub fn forget_buffer(buffer: Vec<u8>) {
    mem::forget(buffer);
}

pub fn manual(value: String) -> usize {
    let value = ManuallyDrop::new(value);
    value.len()
}
