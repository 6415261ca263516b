//! D21: the custom-fields section edits a field's label / required and deletes a field,
//! asking first.

use crossterm::event::KeyCode;

use super::update;
use super::work_tests::{ch, key, the_write, typed};
use crate::app::action::Action;
use crate::app::state::{Load, Screen, SetupSection, State};
use crate::app::write::WriteOp;
use crate::input::{Command, Key};
use crate::store::edit::CustomFieldPatch;
use crate::store::model::*;
use crate::testing::fixtures::{admin, agent, state};

fn field(id: i64, name: &str) -> CustomFieldDef {
    CustomFieldDef {
        id,
        name: name.into(),
        label: "VAT".into(),
        kind: CustomFieldKind::Text,
        choices: vec![],
        required: false,
        position: id,
    }
}

fn on_fields(staff: Staff) -> State {
    let mut s = state();
    s.staff = Some(staff);
    s.screen = Screen::Setup;
    s.setup.section = SetupSection::Fields;
    s.groups = Load::Ready(vec![]);
    s.fields = Load::Ready(vec![field(7, "vat_id"), field(8, "po_ref")]);
    s
}

#[test]
fn e_edits_the_selected_fields_label_and_required() {
    let mut s = on_fields(admin());
    assert_eq!(
        crate::app::commands::describe(&s, s.context(), Command::Edit),
        "edit the selected field"
    );
    ch(&mut s, 'e');
    let f = s.form.as_ref().expect("the field form");
    assert_eq!(f.value("label"), "VAT");
    // Clear the label and type a new one.
    for _ in 0..3 {
        key(&mut s, Key::plain(KeyCode::Backspace));
    }
    typed(&mut s, "VAT number");
    let (_, op) = the_write(&key(&mut s, Key::ctrl('s')));
    assert_eq!(
        op,
        WriteOp::UpdateField {
            id: 7,
            patch: CustomFieldPatch {
                label: Some("VAT number".into()),
                required: None
            }
        }
    );
}

#[test]
fn x_deletes_the_selected_field_after_asking() {
    let mut s = on_fields(admin());
    ch(&mut s, 'j');
    assert_eq!(
        crate::app::commands::describe(&s, s.context(), Command::Delete),
        "delete the selected field"
    );
    assert!(ch(&mut s, 'x').is_empty());
    let c = s.confirm.as_ref().expect("asks first");
    assert!(
        c.message.starts_with("Delete custom field po_ref"),
        "{}",
        c.message
    );
    let (req, op) = the_write(&ch(&mut s, 'y'));
    assert_eq!(op, WriteOp::DeleteField { id: 8 });
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(crate::app::write::Written::Done),
        },
    );
    assert_eq!(s.notice.as_deref(), Some("custom field deleted"));
    assert!(matches!(s.fields, Load::Loading(_)), "{fx:?}");
}

#[test]
fn agents_are_told_fields_are_for_admins() {
    let mut s = on_fields(agent());
    assert!(ch(&mut s, 'x').is_empty());
    assert_eq!(
        s.notice.as_deref(),
        Some("not allowed: agents cannot define custom fields (admins can)")
    );
    assert!(s.confirm.is_none());
}
