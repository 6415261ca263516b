//! Who is really at the keyboard when a write is made as someone else: the one value every audit
//! entry reads from its surroundings rather than from an argument.
//!
//! Why ambient: an admin's `patron --as dan …` (or a console opened that way) makes every write
//! of the run as dan, and each audit entry must also name the admin. Every write already takes
//! the staff member it is made as; threading a second id through the ~50 write methods of both
//! backends would change every signature for a value that is the same for the whole run. So the
//! CLI and the console's runtime set it once around the work they do (`scope`, `set`), and
//! `sql::tx::audit` reads it. Only code that has checked that the real staff member is an admin
//! sets it (`cli::staff::resolve`); nothing a user types reaches it.

use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static REAL: Cell<Option<i64>>;
}

/// Runs `work` with `real` as the staff member really acting (`None`: nobody else; the staff
/// member each write names is the real one). The CLI opens the scope before it knows who acts
/// and fills it in with `set` once it has checked; the console's runtime opens one per effect.
pub async fn scope<F: Future>(real: Option<i64>, work: F) -> F::Output {
    REAL.scope(Cell::new(real), work).await
}

/// Records who really acts for the rest of the current scope. False outside any scope: the
/// caller must then refuse to act for someone else, or the audit would name only one of them.
pub fn set(real: Option<i64>) -> bool {
    REAL.try_with(|c| c.set(real)).is_ok()
}

/// The real staff member of the work running now, if someone acts for another.
pub fn real() -> Option<i64> {
    REAL.try_with(Cell::get).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_real_staff_member_is_seen_only_inside_its_scope() {
        assert_eq!(real(), None);
        assert!(!set(Some(3)), "no scope, nothing to set");
        assert_eq!(real(), None);
        assert_eq!(scope(Some(7), async { real() }).await, Some(7));
        assert_eq!(scope(None, async { real() }).await, None);
        let later = scope(None, async {
            let before = real();
            assert!(set(Some(9)));
            (before, real())
        })
        .await;
        assert_eq!(later, (None, Some(9)));
        assert_eq!(real(), None);
    }
}
