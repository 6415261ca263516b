//! Unit tests of the forms: fields filled from rows, patches with only what changed, conflicts.

use super::*;
use crate::app::form::Edit;
use crate::testing::fixtures::john;

#[test]
fn edit_sends_only_changed_fields() {
    let c = john();
    let mut f = edit_customer(&c, &[]);
    assert_eq!(to_op(&f, &[]).unwrap(), None, "nothing changed");
    f.focus = 3;
    f.edit(Edit::Clear);
    f.insert_str("+44 20 7946 0958");
    let Some(WriteOp::UpdateCustomer { id, version, patch }) = to_op(&f, &[]).unwrap() else {
        panic!("expected an update");
    };
    assert_eq!((id, version), (c.id, c.version));
    assert_eq!(patch.phone.as_deref(), Some("+44 20 7946 0958"));
    assert_eq!(patch.email, None);
    assert_eq!(patch.custom_fields, None);
}

#[test]
fn conflict_keeps_our_edit_and_shows_theirs() {
    let c = john();
    let mut f = edit_customer(&c, &[]);
    f.focus = 3;
    f.edit(Edit::Clear);
    f.insert_str("+1 555 0100");
    let mut now = c.clone();
    now.version += 1;
    now.phone = "+1 555 0199".into();
    now.company = "Acme".into();
    show_conflict(&mut f, &now);
    assert_eq!(f.value("phone"), "+1 555 0100", "ours is kept");
    assert_eq!(f.fields[3].theirs.as_deref(), Some("+1 555 0199"));
    assert_eq!(
        f.value("company"),
        "Acme",
        "an untouched field follows theirs"
    );
    let err = f.error.clone().unwrap();
    assert!(err.contains("Phone → \"+1 555 0199\""), "{err}");
    let Some(WriteOp::UpdateCustomer { version, patch, .. }) = to_op(&f, &[]).unwrap() else {
        panic!()
    };
    assert_eq!(version, now.version);
    assert_eq!(patch.company, None, "theirs is not written back");
}

#[test]
fn create_resolves_group_names() {
    let mut f = create_customer(true);
    f.field_mut("groups").unwrap().value = "vip, Nope".into();
    let vip = Group {
        id: 7,
        name: "VIP".into(),
        kind: GroupKind::Vip,
        active: true,
        discount_bps: 500,
        description: String::new(),
        members: 0,
    };
    assert_eq!(
        to_op(&f, std::slice::from_ref(&vip)).unwrap_err().0,
        "groups"
    );
    f.field_mut("groups").unwrap().value = "vip".into();
    let Some(WriteOp::CreateCustomer(n)) = to_op(&f, &[vip]).unwrap() else {
        panic!()
    };
    assert_eq!(n.group_ids, vec![7]);
    assert!(n.has_account);
}

#[test]
fn percent_round_trips() {
    assert_eq!(format_percent(1250), "12.5");
    assert_eq!(format_percent(1205), "12.05");
    assert_eq!(format_percent(0), "0");
}
