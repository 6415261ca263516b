//! The customer list's filters and sort as command-line flags, shared by `customers list` and
//! `export`, and turned into the store's `CustomerFilter` in one place.

use chrono::NaiveDate;
use clap::Args;
use color_eyre::eyre::{Result, eyre};

use crate::store::model::{ChurnRisk, CustomerStatus, SegmentKey};
use crate::store::query::{AccountFilter, CustomerFilter, MinSpent, SortColumn};

#[derive(Debug, Args, Default, Clone)]
pub struct FilterArgs {
    /// Only customers with a storefront account (yes) or guests (no).
    #[arg(long, value_name = "yes|no")]
    pub has_account: Option<String>,
    /// active, disabled, locked, merged or anonymized.
    #[arg(long)]
    pub status: Option<String>,
    /// Active members of this group (its name, any case).
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// Joined on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub joined_since: Option<String>,
    /// Joined on or before this day.
    #[arg(long, value_name = "DATE")]
    pub joined_until: Option<String>,
    /// Placed an order on or after this day.
    #[arg(long, value_name = "DATE")]
    pub ordered_since: Option<String>,
    /// Placed an order on or before this day.
    #[arg(long, value_name = "DATE")]
    pub ordered_until: Option<String>,
    /// Bought this SKU; repeat for "any of these".
    #[arg(long, value_name = "SKU")]
    pub bought: Vec<String>,
    /// At least this many orders.
    #[arg(long, value_name = "N")]
    pub min_orders: Option<i64>,
    /// Spent at least this much: "250", "250.50 EUR" (without a code, in each customer's own
    /// currency).
    #[arg(long, value_name = "AMOUNT")]
    pub min_spent: Option<String>,
    /// RFM segment from the last `analytics fit` (champions, loyal, at_risk, ...).
    #[arg(long)]
    pub segment: Option<String>,
    /// Churn risk from the last fit: low, medium or high.
    #[arg(long, value_name = "RISK")]
    pub churn_risk: Option<String>,
    /// Win-back: customers whose last order is at least N days old.
    #[arg(long, value_name = "N")]
    pub inactive_days: Option<u32>,
}

#[derive(Debug, Args, Default, Clone)]
pub struct SortArgs {
    /// name, email, account, status, orders, spent, joined, last_order, clv, segment, churn
    /// or id (the default of an export: customer number order, the fastest to read).
    #[arg(long)]
    pub sort: Option<String>,
    /// Largest, latest or last first.
    #[arg(long)]
    pub desc: bool,
}

fn day(flag: &str, text: &Option<String>) -> Result<Option<NaiveDate>> {
    text.as_deref()
        .map(|t| {
            NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                .map_err(|_| eyre!("--{flag} {t:?}: give a day as YYYY-MM-DD"))
        })
        .transpose()
}

fn one_of<T: Copy>(
    flag: &str,
    text: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<T> {
    let t = text.trim().to_ascii_lowercase().replace('-', "_");
    all.iter().copied().find(|v| name(*v) == t).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
        eyre!("--{flag} {text:?}: use one of {}", names.join(", "))
    })
}

impl FilterArgs {
    /// Applied over `base` (a saved view's filter): only the flags given change it.
    pub fn apply(&self, mut f: CustomerFilter) -> Result<CustomerFilter> {
        if let Some(a) = &self.has_account {
            f.account = match a.trim().to_ascii_lowercase().as_str() {
                "yes" | "true" | "y" => AccountFilter::Registered,
                "no" | "false" | "n" => AccountFilter::Guests,
                "all" | "any" => AccountFilter::All,
                _ => return Err(eyre!("--has-account {a:?}: use yes, no or all")),
            };
        }
        if let Some(s) = &self.status {
            f.status = Some(one_of("status", s, CustomerStatus::ALL, |v| v.as_str())?);
        }
        if let Some(g) = &self.group {
            f.group = Some(g.trim().to_string()).filter(|g| !g.is_empty());
        }
        f.joined_since = day("joined-since", &self.joined_since)?.or(f.joined_since);
        f.joined_until = day("joined-until", &self.joined_until)?.or(f.joined_until);
        f.ordered_since = day("ordered-since", &self.ordered_since)?.or(f.ordered_since);
        f.ordered_until = day("ordered-until", &self.ordered_until)?.or(f.ordered_until);
        if !self.bought.is_empty() {
            f.bought = self
                .bought
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
        }
        if let Some(n) = self.min_orders {
            if n < 0 {
                return Err(eyre!("--min-orders {n}: cannot be negative"));
            }
            f.min_orders = Some(n);
        }
        if let Some(m) = &self.min_spent {
            f.min_spent = Some(MinSpent::parse(m).map_err(|e| eyre!("--min-spent {e}"))?);
        }
        if let Some(s) = &self.segment {
            f.segment = Some(one_of("segment", s, SegmentKey::ALL, |v| v.as_str())?);
        }
        if let Some(c) = &self.churn_risk {
            let risks = [ChurnRisk::Low, ChurnRisk::Medium, ChurnRisk::High];
            f.churn = Some(one_of("churn-risk", c, &risks, |v| v.as_str())?);
        }
        if let Some(d) = self.inactive_days {
            f.inactive_days = Some(d);
        }
        for (a, b, what) in [
            (f.joined_since, f.joined_until, "joined"),
            (f.ordered_since, f.ordered_until, "ordered"),
        ] {
            if let (Some(a), Some(b)) = (a, b)
                && a > b
            {
                return Err(eyre!("--{what}-since {a} is after --{what}-until {b}"));
            }
        }
        Ok(f)
    }
}

impl SortArgs {
    /// `None` keeps the view's (or the default) sort.
    pub fn column(&self) -> Result<Option<SortColumn>> {
        let Some(s) = &self.sort else {
            return Ok(None);
        };
        let t = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let col = match t.as_str() {
            "spent" | "total_spent" => SortColumn::TotalSpent,
            "last_order" => SortColumn::LastOrder,
            "churn_risk" => SortColumn::Churn,
            "id" => SortColumn::Id,
            _ => SortColumn::ALL
                .iter()
                .copied()
                .find(|c| c.label().replace(' ', "_") == t || format!("{c:?}").to_ascii_lowercase() == t)
                .ok_or_else(|| eyre!("--sort {s:?}: use name, email, account, status, orders, spent, joined, last_order, clv, segment, churn or id"))?,
        };
        Ok(Some(col))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_become_the_stores_filter_and_bad_ones_say_what_to_give() {
        let a = FilterArgs {
            has_account: Some("no".into()),
            group: Some(" VIP ".into()),
            joined_since: Some("2024-01-31".into()),
            bought: vec!["SKU-1".into(), " ".into(), "SKU-2".into()],
            min_spent: Some("250.5 eur".into()),
            churn_risk: Some("High".into()),
            ..FilterArgs::default()
        };
        let f = a.apply(CustomerFilter::default()).unwrap();
        assert_eq!(f.account, AccountFilter::Guests);
        assert_eq!(f.group.as_deref(), Some("VIP"));
        assert_eq!(f.joined_since, NaiveDate::from_ymd_opt(2024, 1, 31));
        assert_eq!(f.bought, vec!["SKU-1".to_string(), "SKU-2".to_string()]);
        assert_eq!(
            f.min_spent,
            Some(MinSpent {
                milli: 250_500,
                currency: Some("EUR".into())
            })
        );
        assert_eq!(f.churn, Some(ChurnRisk::High));

        let bad = |a: FilterArgs| a.apply(CustomerFilter::default()).unwrap_err().to_string();
        assert_eq!(
            bad(FilterArgs {
                joined_since: Some("31/01/2024".into()),
                ..FilterArgs::default()
            }),
            "--joined-since \"31/01/2024\": give a day as YYYY-MM-DD"
        );
        assert_eq!(
            bad(FilterArgs {
                ordered_since: Some("2024-02-01".into()),
                ordered_until: Some("2024-01-01".into()),
                ..FilterArgs::default()
            }),
            "--ordered-since 2024-02-01 is after --ordered-until 2024-01-01"
        );
        assert!(
            bad(FilterArgs {
                status: Some("gone".into()),
                ..FilterArgs::default()
            })
            .starts_with("--status \"gone\": use one of active, ")
        );
    }

    #[test]
    fn flags_given_override_a_base_filter_and_the_rest_of_it_stays() {
        let base = CustomerFilter {
            group: Some("Wholesale".into()),
            min_orders: Some(3),
            ..CustomerFilter::default()
        };
        let f = FilterArgs {
            min_orders: Some(5),
            ..FilterArgs::default()
        }
        .apply(base)
        .unwrap();
        assert_eq!(f.group.as_deref(), Some("Wholesale"));
        assert_eq!(f.min_orders, Some(5));
    }

    #[test]
    fn sort_names_are_the_columns_labels() {
        let col = |s: &str| {
            SortArgs {
                sort: Some(s.into()),
                desc: false,
            }
            .column()
            .unwrap()
        };
        assert_eq!(col("spent"), Some(SortColumn::TotalSpent));
        assert_eq!(col("last-order"), Some(SortColumn::LastOrder));
        assert_eq!(col("clv"), Some(SortColumn::Clv));
        assert_eq!(col("joined"), Some(SortColumn::Joined));
        assert_eq!(col("Name"), Some(SortColumn::Name));
        assert_eq!(col("id"), Some(SortColumn::Id));
        assert!(SortArgs::default().column().unwrap().is_none());
    }
}
