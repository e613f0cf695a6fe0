//! The one mount registry both UI modules keep (each of its own mounts): a second mount on
//! the same element replaces the first, an unmount forgets its mount, and a hand-over to the
//! full widget moves every live mount of the first module at once.
//!
//! A mount lives in a [`Slot`]: empty once it is unmounted or handed over, so late async work
//! that still holds the slot finds nothing to act on.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::Element;

use super::Host;

/// Where one mount lives (empty once unmounted or handed over).
pub type Slot<T> = Rc<RefCell<Option<T>>>;

/// What the registry needs of a mount: the host element it is mounted on.
pub trait Mounted {
    /// The mount's host.
    fn host(&self) -> &Host;
}

/// The live mounts of one module, in the order they were made.
pub struct Registry<T> {
    slots: RefCell<Vec<Slot<T>>>,
}

impl<T: Mounted> Default for Registry<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Mounted> Registry<T> {
    /// An empty registry (for a `thread_local!`).
    pub const fn new() -> Self {
        Self {
            slots: RefCell::new(Vec::new()),
        }
    }

    /// Registers a live mount.
    pub fn add(&self, slot: Slot<T>) {
        self.slots.borrow_mut().push(slot);
    }

    /// Takes the mounts on `el` out of the registry (a new mount there replaces them; the
    /// caller tears each down). Never held while the caller runs: teardown may run page code.
    pub fn take_on(&self, el: &Element) -> Vec<Slot<T>> {
        let mut slots = self.slots.borrow_mut();
        let (on, rest): (Vec<_>, Vec<_>) = slots.drain(..).partition(|s| {
            s.borrow()
                .as_ref()
                .is_some_and(|m| m.host().element().is_same_node(Some(el)))
        });
        *slots = rest;
        on
    }

    /// Forgets `slot` (unmounted).
    pub fn forget(&self, slot: &Slot<T>) {
        self.slots.borrow_mut().retain(|s| !Rc::ptr_eq(s, slot));
    }

    /// Takes every mount out of the registry (a hand-over moves them all).
    pub fn take_all(&self) -> Vec<Slot<T>> {
        std::mem::take(&mut *self.slots.borrow_mut())
    }
}
