mod database;

fn main() {
    database::fill(3);
}
