//! `SavedViews`: named filters and sorts of the customer list, each owned by one staff member or
//! shared with all (owner NULL), stored as JSON (`saved_views`, migration 0010).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::query::{CustomerFilter, SortColumn};
use super::{Result, StoreError, rules};

/// The longest view name, in characters.
pub const NAME_MAX: usize = 60;

/// What a view applies to the list. Stored as JSON, so it has to read back after the list has
/// grown: a field missing from an older definition takes its default, a field this build does
/// not know (a newer build wrote it) is ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewDefinition {
    pub filter: CustomerFilter,
    pub sort: SortColumn,
    pub descending: bool,
}

impl ViewDefinition {
    /// "guests only, 2+ orders; by total spent, descending".
    pub fn describe(&self) -> String {
        let filter = self
            .filter
            .describe()
            .unwrap_or_else(|| "all customers".into());
        let dir = if self.descending { ", descending" } else { "" };
        format!("{filter}; by {}{dir}", self.sort.label())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    /// `None`: shared with every staff member.
    pub owner_id: Option<i64>,
    pub shared: bool,
    /// `None` when the stored JSON cannot be read; `unreadable` says why. Such a view is still
    /// listed (so it can be deleted or saved again) but cannot be applied.
    pub definition: Option<ViewDefinition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// Username of whoever saved it first.
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl SavedView {
    /// The definition, or an error naming the view when it cannot be read.
    pub fn usable(&self) -> Result<&ViewDefinition> {
        self.definition.as_ref().ok_or_else(|| {
            StoreError::Invalid(format!(
                "saved view {:?} cannot be read ({}); save it again",
                self.name,
                self.unreadable.as_deref().unwrap_or("no definition")
            ))
        })
    }
}

/// Decodes a stored definition; the error is the reason, for `SavedView::unreadable`.
pub fn read_definition(stored: Value) -> std::result::Result<ViewDefinition, String> {
    if stored.is_null() {
        return Err("its definition is not JSON".into());
    }
    serde_json::from_value(stored).map_err(|e| e.to_string())
}

/// A view's name as stored: trimmed, 1 to `NAME_MAX` characters, no control or invisible
/// characters (it is shown in titles and typed on the command line).
pub fn clean_name(name: &str) -> Result<String> {
    let n = rules::line("name", name, NAME_MAX, true)?;
    Ok(n.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The view `name` names for this staff member among `views` (own and shared, as `views`
/// returns them): their own first, then a shared one; failing an exact match, the only one whose
/// name matches ignoring case.
pub fn pick<'a>(views: &'a [SavedView], name: &str) -> Result<&'a SavedView> {
    let n = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let exact = |shared: bool| views.iter().find(|v| v.shared == shared && v.name == n);
    if let Some(v) = exact(false).or_else(|| exact(true)) {
        return Ok(v);
    }
    let folded: Vec<&SavedView> = views
        .iter()
        .filter(|v| v.name.to_lowercase() == n.to_lowercase())
        .collect();
    match folded.as_slice() {
        [one] => Ok(*one),
        [own, ..] if !own.shared => Ok(*own),
        _ if views.is_empty() => Err(StoreError::NotFound(format!(
            "no saved view named {n:?}: there are no saved views yet (patron views save NAME)"
        ))),
        _ => {
            let names: Vec<String> = views
                .iter()
                .map(|v| {
                    if v.shared {
                        format!("{:?} (shared)", v.name)
                    } else {
                        format!("{:?}", v.name)
                    }
                })
                .collect();
            Err(StoreError::NotFound(format!(
                "no saved view named {n:?}; the saved views are {}",
                names.join(", ")
            )))
        }
    }
}

#[async_trait]
pub trait SavedViews: Send + Sync {
    /// Creates the staff member's own view of that name or replaces it (same id, new
    /// definition); `shared` saves (or replaces) the shared one instead, which needs
    /// `ShareViews`. Audited as "view.save" in the same transaction.
    async fn save_view(
        &self,
        staff: i64,
        name: &str,
        shared: bool,
        definition: &ViewDefinition,
    ) -> Result<SavedView>;
    /// The staff member's own views, then the shared ones, each by name.
    async fn views(&self, staff: i64) -> Result<Vec<SavedView>>;
    /// Their own view of this name, else the shared one (see [`pick`]); `NotFound` lists the
    /// names there are, `Invalid` names a view whose definition cannot be read.
    async fn view_by_name(&self, staff: i64, name: &str) -> Result<SavedView> {
        let views = self.views(staff).await?;
        let v = pick(&views, name)?;
        v.usable()?;
        Ok(v.clone())
    }
    /// Deletes one of their own views, or a shared one with `ShareViews`; someone else's
    /// private view is `NotFound`. Audited as "view.delete".
    async fn delete_view(&self, staff: i64, id: i64) -> Result<()>;
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::query::AccountFilter;

    #[test]
    fn definitions_read_with_fields_missing_and_unknown_ones_ignored() {
        let old = json!({"filter": {"account": "guests", "min_orders": 2, "from_the_future": [1]},
            "sort": "total_spent", "mood": "sunny"});
        let d = read_definition(old).unwrap();
        assert_eq!(d.filter.account, AccountFilter::Guests);
        assert_eq!(d.filter.min_orders, Some(2));
        assert_eq!(d.sort, SortColumn::TotalSpent);
        assert!(!d.descending);
        assert_eq!(
            read_definition(json!({})).unwrap(),
            ViewDefinition::default()
        );
        let bad = read_definition(json!({"sort": "shoe size"})).unwrap_err();
        assert!(bad.contains("shoe size"), "{bad}");
        assert_eq!(
            read_definition(Value::Null).unwrap_err(),
            "its definition is not JSON"
        );
    }

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(clean_name("  VIP   at risk ").unwrap(), "VIP at risk");
        assert!(clean_name("   ").is_err());
        assert!(clean_name(&"x".repeat(61)).is_err());
        assert_eq!(clean_name(&"é".repeat(60)).unwrap().chars().count(), 60);
        assert!(clean_name("bad\u{202e}name").is_err());
    }

    fn view(id: i64, name: &str, shared: bool) -> SavedView {
        SavedView {
            id,
            name: name.into(),
            owner_id: (!shared).then_some(5),
            shared,
            definition: Some(ViewDefinition::default()),
            unreadable: None,
            created_by: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_name_picks_ones_own_view_before_a_shared_one() {
        let vs = [
            view(1, "VIP", false),
            view(2, "VIP", true),
            view(3, "Lost", true),
        ];
        assert_eq!(pick(&vs, "VIP").unwrap().id, 1);
        assert_eq!(pick(&vs, " lost ").unwrap().id, 3);
        let e = pick(&vs, "Gone").unwrap_err().to_string();
        assert_eq!(
            e,
            "not found: no saved view named \"Gone\"; the saved views are \"VIP\", \"VIP\" (shared), \"Lost\" (shared)"
        );
        let none = pick(&[], "x").unwrap_err().to_string();
        assert!(none.contains("there are no saved views yet"), "{none}");
    }
}
