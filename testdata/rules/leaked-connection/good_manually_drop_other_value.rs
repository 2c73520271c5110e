// `ManuallyDrop` of something that is not a connection is not this rule's
// business, in a struct without `Drop` or not.
use std::mem::ManuallyDrop;

pub struct Names {
    names: ManuallyDrop<Vec<String>>,
}

pub fn make() -> Names {
    Names {
        names: ManuallyDrop::new(Vec::new()),
    }
}
