//! Saved views in the console: the picker's state (`V` on the list), the view applied to the
//! list, and the one-field form that saves the list's filter and sort under a name.

use super::form::{Check, Field, Form, Purpose};
use super::state::{Cursor, Load, State};
use super::write::WriteOp;
use crate::store::permissions::Permission;
use crate::store::query::CustomerFilter;
use crate::store::views::{SavedView, ViewDefinition};

/// Rows the picker shows at once (the rest scroll).
pub const PICKER_ROWS: u16 = 10;

/// The picker over the list: own views, then shared ones, as the store lists them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Picker {
    pub views: Load<Vec<SavedView>>,
    pub cursor: Cursor,
}

impl Picker {
    pub fn selected(&self) -> Option<&SavedView> {
        self.views.ready()?.get(self.cursor.selected)
    }
}

/// The view last applied to (or saved from) the list. Its name is shown only while the list's
/// filter is still the view's: any filter key makes it "the list" again, with no bookkeeping in
/// each filter command.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub id: i64,
    pub name: String,
    pub filter: CustomerFilter,
}

/// The name of the view the list shows now, if it shows one.
pub fn applied_name(state: &State) -> Option<&str> {
    state
        .list
        .view
        .as_ref()
        .filter(|a| a.filter == state.list.filter)
        .map(|a| a.name.as_str())
}

/// What the list shows now, as a view would keep it.
pub fn current(state: &State) -> ViewDefinition {
    ViewDefinition {
        filter: state.list.filter.clone(),
        sort: state.list.sort,
        descending: state.list.descending,
    }
}

/// The name prompt for saving the list as it is; the name of the view it shows is the default,
/// so saving again replaces that view. The "shared" choice is offered only to who may share.
pub fn save_form(state: &State) -> Form {
    let name = applied_name(state).unwrap_or("");
    let mut fields = vec![
        Field::text("name", "Name", name, Check::Line, true)
            .hint("up to 60 characters; an existing name is replaced"),
    ];
    if state.may(Permission::ShareViews).is_ok() {
        fields.push(Field::choice(
            "shared",
            "Shared with all staff",
            "no",
            &["no", "yes"],
        ));
    }
    let definition = current(state);
    let title = format!("Save view: {}", definition.describe());
    Form::new(title, Purpose::SaveView { definition }, fields)
}

pub fn save_op(form: &Form, definition: &ViewDefinition) -> WriteOp {
    WriteOp::SaveView {
        name: form.value("name").to_string(),
        shared: form.value("shared") == "yes",
        definition: definition.clone(),
    }
}
