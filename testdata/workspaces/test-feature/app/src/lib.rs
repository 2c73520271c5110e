pub fn start() {
    shared_core::reload(1);
}
