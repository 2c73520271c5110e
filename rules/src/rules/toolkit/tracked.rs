//! The values a rule follows through a function body, each with the
//! lifecycle states it may be in. A rule names its states as an enum
//! (`Open`, `Closed`…) instead of bit constants; the dataflow engine joins
//! the paths that meet, so a value holds every state some path leaves it
//! in.

use std::collections::BTreeMap;
use std::marker::PhantomData;

/// The states of a value a rule follows.
pub trait Lifecycle: Copy + Eq + std::fmt::Debug + 'static {
    /// Every state, at most eight, in a fixed order.
    const ALL: &'static [Self];

    fn bit(self) -> u8 {
        let position = Self::ALL
            .iter()
            .position(|s| *s == self)
            .expect("a state of its own lifecycle");
        1 << position
    }
}

/// The states a value may be in at one point of a function: one for each
/// path that reaches the point.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MayBe<L> {
    bits: u8,
    states: PhantomData<L>,
}

impl<L> Default for MayBe<L> {
    fn default() -> Self {
        MayBe {
            bits: 0,
            states: PhantomData,
        }
    }
}

impl<L: Lifecycle> MayBe<L> {
    /// The value is certainly in `state`.
    pub fn only(state: L) -> MayBe<L> {
        MayBe {
            bits: state.bit(),
            states: PhantomData,
        }
    }

    /// Whether some path leaves the value in `state`.
    pub fn may_be(self, state: L) -> bool {
        self.bits & state.bit() != 0
    }

    /// Adds the states of another path.
    pub fn join(&mut self, other: MayBe<L>) {
        self.bits |= other.bits;
    }

    /// Adds one state (for a value with independent facets, such as a
    /// connection that may hold a hand-written `BEGIN` and a driver
    /// transaction at once).
    pub fn add(&mut self, state: L) {
        self.bits |= state.bit();
    }

    /// Takes one state away, on every path.
    pub fn remove(&mut self, state: L) {
        self.bits &= !state.bit();
    }
}

impl<L: Lifecycle> std::fmt::Debug for MayBe<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set()
            .entries(L::ALL.iter().filter(|s| self.may_be(**s)))
            .finish()
    }
}

/// The values a rule follows, by their index in its list of values.
pub type Tracked<L> = BTreeMap<usize, MayBe<L>>;

/// Joins the states of another path into `into`.
pub fn join<L: Lifecycle>(into: &mut Tracked<L>, other: &Tracked<L>) {
    for (value, states) in other {
        into.entry(*value).or_default().join(*states);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Life {
        Open,
        Closed,
    }

    impl Lifecycle for Life {
        const ALL: &'static [Life] = &[Life::Open, Life::Closed];
    }

    #[test]
    fn paths_join_into_every_state_they_leave() {
        let mut a: Tracked<Life> = Tracked::new();
        a.insert(0, MayBe::only(Life::Open));
        let mut b: Tracked<Life> = Tracked::new();
        b.insert(0, MayBe::only(Life::Closed));
        b.insert(1, MayBe::only(Life::Open));
        join(&mut a, &b);
        assert!(a[&0].may_be(Life::Open) && a[&0].may_be(Life::Closed));
        assert!(a[&1].may_be(Life::Open) && !a[&1].may_be(Life::Closed));
        assert_eq!(format!("{:?}", a[&0]), "{Open, Closed}");
    }

    #[test]
    fn states_are_added_and_taken_away_one_at_a_time() {
        let mut states = MayBe::only(Life::Open);
        states.add(Life::Closed);
        states.remove(Life::Open);
        assert!(!states.may_be(Life::Open) && states.may_be(Life::Closed));
    }
}
