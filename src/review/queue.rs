//! The order rules come up in a review: rules with findings first, errors before warnings, then
//! by name; rules already decided on their current source are left out, changed ones come back.

use super::ReviewStatus;
use crate::registry::Severity;

/// What the queue needs to know about a rule.
#[derive(Debug, Clone)]
pub struct ReviewItem {
    pub name: String,
    /// The most severe finding, if any.
    pub worst: Option<Severity>,
    pub status: ReviewStatus,
}

/// Indices of `items` still to review, in the order to review them.
pub fn review_order(items: &[ReviewItem]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len())
        .filter(|&i| {
            !matches!(
                items[i].status,
                ReviewStatus::Decided(super::Decision::Accepted | super::Decision::Rejected)
            )
        })
        .collect();
    let rank = |item: &ReviewItem| match item.worst {
        Some(Severity::Error) => 0,
        Some(Severity::Warning) => 1,
        Some(Severity::Info) => 2,
        None => 3,
    };
    order.sort_by(|&a, &b| {
        rank(&items[a])
            .cmp(&rank(&items[b]))
            .then_with(|| items[a].name.cmp(&items[b].name))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Decision;

    fn item(name: &str, worst: Option<Severity>, status: ReviewStatus) -> ReviewItem {
        ReviewItem {
            name: name.to_string(),
            worst,
            status,
        }
    }

    #[test]
    fn errors_come_first_and_decided_rules_stay_done_unless_changed() {
        let items = [
            item("clean", None, ReviewStatus::Undecided),
            item("warn", Some(Severity::Warning), ReviewStatus::Undecided),
            item("error", Some(Severity::Error), ReviewStatus::Undecided),
            item(
                "done",
                Some(Severity::Error),
                ReviewStatus::Decided(Decision::Accepted),
            ),
            item(
                "later",
                Some(Severity::Warning),
                ReviewStatus::Decided(Decision::Skipped),
            ),
            item(
                "changed",
                Some(Severity::Info),
                ReviewStatus::Changed(Decision::Rejected),
            ),
        ];
        let order: Vec<&str> = review_order(&items)
            .into_iter()
            .map(|i| items[i].name.as_str())
            .collect();
        assert_eq!(order, ["error", "later", "warn", "changed", "clean"]);
    }
}
