use super::*;

const NOW: i64 = 1_800_000_000;

fn facts(id: i64) -> AccountFacts {
    AccountFacts {
        id,
        email: format!("ann.smith{id}@example.com"),
        first_name: "Ann".into(),
        last_name: "Smith".into(),
        created_at: NOW - 400 * DAY,
        has_account: true,
        ..Default::default()
    }
}

fn one(f: AccountFacts, rules: &ReviewRules) -> Classified {
    classify_all(&[f], rules, NOW).remove(0)
}

#[test]
fn activity_makes_an_account_active_with_its_reasons() {
    let mut f = facts(1);
    f.order_count = 3;
    f.wishlist_count = 1;
    let c = one(f, &ReviewRules::default());
    assert_eq!(c.class, Class::Active);
    assert_eq!(
        c.reasons,
        vec![
            Reason::HasOrders { count: 3 },
            Reason::HasWishlist { count: 1 }
        ]
    );
    let mut f = facts(2);
    f.last_login_at = Some(f.created_at + 5);
    assert_eq!(one(f, &ReviewRules::default()).reasons, [Reason::LoggedIn]);
    // A login stamped at registration is the registration itself.
    let mut f = facts(3);
    f.last_login_at = Some(f.created_at);
    assert_eq!(one(f, &ReviewRules::default()).class, Class::Unused);
}

#[test]
fn unused_depends_on_the_configured_age() {
    let mut f = facts(1);
    f.created_at = NOW - 100 * DAY;
    let rules = ReviewRules::default();
    assert_eq!(one(f.clone(), &rules).class, Class::Recent);
    let rules = ReviewRules {
        unused_after_days: 90,
        ..Default::default()
    };
    let c = one(f, &rules);
    assert_eq!(c.class, Class::Unused);
    assert_eq!(
        c.reasons,
        vec![Reason::NoActivity, Reason::OlderThan { days: 90 }]
    );
}

#[test]
fn disposable_domains_include_configured_ones() {
    let mut f = facts(1);
    f.email = "x@mailinator.com".into();
    let c = one(f, &ReviewRules::default());
    assert_eq!(c.class, Class::Spam);
    assert_eq!(c.reasons, vec![Reason::DisposableEmail, Reason::NoActivity]);

    let mut f = facts(2);
    f.email = "x@mx.junkmail.test".into();
    assert_eq!(one(f.clone(), &ReviewRules::default()).class, Class::Unused);
    let rules = ReviewRules {
        extra_disposable_domains: vec!["@JunkMail.test".into()],
        ..Default::default()
    };
    assert_eq!(one(f, &rules).class, Class::Spam);
}

#[test]
fn rules_can_be_switched_off() {
    let mut f = facts(1);
    f.email = "x@yopmail.com".into();
    f.first_name = "Buy cheap pills".into();
    f.last_name = "http://spam.example".into();
    let mut rules = ReviewRules::default();
    assert_eq!(
        one(f.clone(), &rules).reasons,
        vec![
            Reason::DisposableEmail,
            Reason::UrlInName,
            Reason::NoActivity
        ]
    );
    rules.disposable_email.on = false;
    rules.url_in_name.on = false;
    assert_eq!(one(f.clone(), &rules).class, Class::Unused);
    // Two signals needed: one is not enough.
    let rules = ReviewRules {
        no_activity: Rule {
            on: true,
            threshold: 3,
        },
        ..Default::default()
    };
    assert_eq!(one(f, &rules).class, Class::Unused);
}

#[test]
fn activity_protects_from_spam_unless_that_rule_is_off() {
    let mut f = facts(1);
    f.email = "x@yopmail.com".into();
    f.order_count = 1;
    assert_eq!(one(f.clone(), &ReviewRules::default()).class, Class::Active);
    let mut rules = ReviewRules::default();
    rules.no_activity.on = false;
    let c = one(f, &rules);
    assert_eq!(c.class, Class::Spam);
    assert_eq!(c.reasons, vec![Reason::DisposableEmail]);
}

#[test]
fn many_registrations_from_one_ip() {
    let mut all: Vec<AccountFacts> = (1..=6).map(facts).collect();
    for f in &mut all[..5] {
        f.registration_ip = Some("10.0.0.9".into());
    }
    all[5].registration_ip = Some("10.0.0.1".into());
    let out = classify_all(&all, &ReviewRules::default(), NOW);
    assert!(out[..5].iter().all(|c| c.class == Class::Spam));
    assert_eq!(out[0].reasons[0], Reason::SharedIp { registrations: 5 });
    assert_eq!(out[5].class, Class::Unused);
    let mut rules = ReviewRules::default();
    rules.shared_ip.threshold = 6;
    let out = classify_all(&all, &rules, NOW);
    assert!(out.iter().all(|c| c.class == Class::Unused));
}

#[test]
fn random_names_and_urls() {
    for junk in ["Xkqzrtf", "bcdfg", "Hjkl", "abc123", "Qxzbcdfa"] {
        assert!(looks_random(junk, 5), "{junk}");
    }
    for real in [
        "Ann",
        "Smith",
        "O'Brien",
        "Nguyen",
        "Lynn",
        "Strauss",
        "Knightley",
        "山田",
        "Élodie",
        "Jean-Luc",
        "",
    ] {
        assert!(!looks_random(real, 5), "{real}");
    }
    for url in [
        "http://spam.example",
        "Casino www.win",
        "win-big.example",
        "visit x.ru",
    ] {
        assert!(has_url(url), "{url}");
    }
    for name in ["Ann", "J. R. R.", "St. John"] {
        assert!(!has_url(name), "{name}");
    }
}

#[test]
fn anonymized_accounts_are_never_spam() {
    let mut f = facts(1);
    f.email = "x@yopmail.com".into();
    f.anonymized = true;
    assert_eq!(one(f, &ReviewRules::default()).class, Class::Unused);
}

#[test]
fn breakdown_counts_and_percentages() {
    let mut all: Vec<AccountFacts> = (1..=4).map(facts).collect();
    all[0].order_count = 1;
    all[1].email = "a@yopmail.com".into();
    all[2].created_at = NOW;
    let b = breakdown(&classify_all(&all, &ReviewRules::default(), NOW));
    assert_eq!(b.total, 4);
    let counts: Vec<(Class, usize, f64)> = b
        .classes
        .iter()
        .map(|c| (c.class, c.count, c.percent))
        .collect();
    assert_eq!(
        counts,
        vec![
            (Class::Active, 1, 25.0),
            (Class::Unused, 1, 25.0),
            (Class::Spam, 1, 25.0),
            (Class::Recent, 1, 25.0)
        ]
    );
    assert_eq!(breakdown(&[]).classes[0].percent, 0.0);
}

#[test]
fn the_two_thread_path_keeps_order_and_results() {
    let mut all: Vec<AccountFacts> = (1..=(PARALLEL_FROM as i64 + 7)).map(facts).collect();
    for (i, f) in all.iter_mut().enumerate() {
        match i % 3 {
            0 => f.order_count = 1,
            1 => f.email = format!("x{i}@yopmail.com"),
            _ => {}
        }
    }
    let rules = ReviewRules::default();
    let out = classify_all(&all, &rules, NOW);
    assert_eq!(out.len(), all.len());
    for (i, (f, c)) in all.iter().zip(&out).enumerate() {
        assert_eq!(c.id, f.id);
        let want = [Class::Active, Class::Spam, Class::Unused][i % 3];
        assert_eq!(c.class, want, "account {}", f.id);
    }
}
