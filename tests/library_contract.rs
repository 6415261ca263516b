//! Library grants from the console: finding the product by SKU (the console's grant form names
//! a SKU) and granting it. Runs on SQLite always and on PostgreSQL when PATRON_TEST_POSTGRES_URL
//! is set.

mod common;

use common::*;
use patron::store::model::*;
use patron::store::review::*;

const ADMIN: i64 = 1;

#[tokio::test]
async fn products_are_found_by_exact_sku() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let p = st.product_by_sku("EBOOK-1").await.unwrap();
        let p = p.unwrap_or_else(|| panic!("{}: EBOOK-1 not found", s.name));
        assert_eq!(
            (p.id, p.sku.as_str(), p.kind),
            (1, "EBOOK-1", ProductKind::Digital),
            "{}",
            s.name
        );
        // Surrounding spaces from a form do not matter; anything else must match exactly.
        assert_eq!(
            st.product_by_sku("  EBOOK-1 ").await.unwrap().map(|p| p.id),
            Some(1),
            "{}",
            s.name
        );
        assert_eq!(
            st.product_by_sku("EBOOK-").await.unwrap(),
            None,
            "{}",
            s.name
        );
        assert_eq!(st.product_by_sku("").await.unwrap(), None, "{}", s.name);
        assert_eq!(
            st.product_by_sku("x' OR '1'='1").await.unwrap(),
            None,
            "{}",
            s.name
        );
        // The found product is what a grant needs.
        let new = NewLibraryItem {
            product_id: p.id,
            source: LibrarySource::Manual,
            note: "goodwill".into(),
            expires_at: None,
        };
        let item = st.add_library_item(ADMIN, 2, &new).await.unwrap();
        assert_eq!(
            (item.sku.as_str(), item.source),
            ("EBOOK-1", LibrarySource::Manual),
            "{}",
            s.name
        );
    }
}
