mod helpers;
mod shared;

#[test]
fn imports() {
    helpers::seed(3);
}
