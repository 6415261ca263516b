//! Shared fixtures for the integration tests.
#![allow(dead_code)]

use patron_search::{CustomerDoc, Index, IndexBuilder, SearchResult};

pub fn doc(id: i64, first: &str, last: &str, email: &str, phone: &str) -> CustomerDoc {
    CustomerDoc {
        id,
        first_name: first.into(),
        last_name: last.into(),
        email: email.into(),
        phone: phone.into(),
        activity: 1_700_000_000,
        ..Default::default()
    }
}

pub fn sample() -> Vec<CustomerDoc> {
    let mut v = vec![
        doc(
            1,
            "John",
            "Smith",
            "john.smith87@example.com",
            "+1 (555) 123-4567",
        ),
        doc(2, "Jane", "Doe", "jane@doe.org", "555-987-6543"),
        doc(
            3,
            "Johnny",
            "Smithers",
            "jsmithers@gmail.com",
            "+44 20 7946 0958",
        ),
        doc(4, "Maria", "García", "maria.garcia@correo.es", ""),
        doc(
            5,
            "Alexander",
            "Hamilton",
            "ahamilton@treasury.gov",
            "212-555-0100",
        ),
        doc(6, "Sam", "Francis", "sam@francis.io", ""),
        doc(7, "Bob", "Stone", "bob.stone@acme.com", ""),
    ];
    v[0].company = "Acme Widgets".into();
    v[0].cities = vec!["San Francisco".into()];
    v[0].order_numbers = vec!["100234".into(), "#1001".into(), "R-2024-0001".into()];
    v[1].cities = vec!["Smithville".into()];
    v[1].order_numbers = vec!["100235".into()];
    v[3].cities = vec!["Zürich".into()];
    v[4].order_numbers = vec!["0042".into()];
    v[6].company = "Acme Corp".into();
    v[6].cities = vec!["Portland".into()];
    v
}

pub fn build(docs: Vec<CustomerDoc>) -> Index {
    let mut b = IndexBuilder::new();
    for d in docs.into_iter().rev() {
        b.add(d);
    }
    b.finish()
}

pub fn search(ix: &Index, q: &str) -> SearchResult {
    ix.search(q, 50, &|| false)
}

pub fn ids(ix: &Index, q: &str) -> Vec<i64> {
    search(ix, q).hits.iter().map(|h| h.id).collect()
}
