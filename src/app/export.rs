//! The list's Export dialog and "more filters" form (their fields and how their values become a
//! filter or an export request), and the state of a running export.

use chrono::NaiveDate;
use patron_export::Format;

use super::form::{Check, Field, Form, Purpose};
use crate::export::What;
use crate::store::query::{CustomerFilter, MinSpent, SortColumn};

pub const FORMATS: [&str; 6] = ["csv", "csv-excel", "xlsx", "jsonl", "json", "html"];

/// What the console asks the runtime to export: the list as it shows (filter, sort, and the
/// search when one is showing).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub what: What,
    pub format: Format,
    /// As typed; a relative name is put in the export directory by the runtime.
    pub file: String,
    pub fields: Option<String>,
    pub filter: CustomerFilter,
    pub sort: SortColumn,
    pub descending: bool,
    /// The search whose results are exported instead of the whole list.
    pub search: Option<String>,
}

/// A running export, shown over the list until it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportJob {
    pub req: u64,
    pub file: String,
    pub progress: crate::export::Progress,
    /// Esc was pressed; the job stops at its next page and removes its partial file.
    pub cancelling: bool,
}

/// The Export dialog, its file name proposed from the format and today's date.
pub fn export_form(what_shows: String, today: NaiveDate) -> Form {
    let mut f = Form::new(
        format!("Export {what_shows}"),
        Purpose::Export { today },
        vec![
            Field::choice("what", "Rows", "customers", &["customers", "orders"]),
            Field::choice("format", "Format", "csv", &FORMATS),
            Field::text(
                "file",
                "File",
                &default_file("customers", "csv", today),
                Check::Line,
                true,
            )
            .hint("a name goes in the export folder; or a full path"),
            Field::text("fields", "Fields", "", Check::Line, false)
                .hint("comma-separated (see `patron export customers --fields help`); empty: all"),
            // At a million rows customer-number order reads the table front to back, about
            // twice as fast as the list's order (BENCHMARKS.md); a search keeps its ranking.
            Field::choice(
                "order",
                "Order",
                "as listed",
                &["as listed", "by customer id"],
            ),
        ],
    );
    f.focus = 1;
    f
}

fn default_file(what: &str, format: &str, today: NaiveDate) -> String {
    let ext = Format::parse(format).map_or("csv", |f| f.extension());
    format!("{what}-{}.{ext}", today.format("%Y-%m-%d"))
}

/// Keeps the proposed file name in step with the rows and format chosen, until the user types
/// their own.
pub fn adjust(form: &mut Form, today: NaiveDate) {
    let what = form.value("what").to_string();
    let format = form.value("format").to_string();
    let proposed = default_file(&what, &format, today);
    if let Some(file) = form.field_mut("file") {
        let untouched = FORMATS.iter().any(|fmt| {
            ["customers", "orders"]
                .iter()
                .any(|w| file.value == default_file(w, fmt, today))
        });
        if untouched && file.value != proposed {
            file.value = proposed.clone();
            file.original = proposed.clone();
            file.cursor = proposed.chars().count();
        }
    }
}

pub fn export_request(
    form: &Form,
    filter: &CustomerFilter,
    sort: SortColumn,
    descending: bool,
    search: Option<String>,
) -> Result<ExportRequest, (String, String)> {
    let what = match form.value("what") {
        "orders" => What::Orders,
        _ => What::Customers,
    };
    let format = Format::parse(form.value("format"))
        .ok_or_else(|| ("format".to_string(), "pick a format".to_string()))?;
    let fields = Some(form.value("fields").to_string()).filter(|f| !f.is_empty());
    let (sort, descending) = match form.value("order") {
        "by customer id" => (SortColumn::Id, false),
        _ => (sort, descending),
    };
    crate::export::check_fields(what, fields.as_deref())
        .map_err(|e| ("fields".to_string(), e.to_string()))?;
    Ok(ExportRequest {
        what,
        format,
        file: form.value("file").to_string(),
        fields,
        filter: filter.clone(),
        sort,
        descending,
        search,
    })
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The filters a key cannot cycle through: group, date ranges, bought SKUs, orders, spent.
pub fn filter_form(f: &CustomerFilter) -> Form {
    Form::new(
        "More filters",
        Purpose::ListFilter,
        vec![
            Field::text(
                "group",
                "Group",
                f.group.as_deref().unwrap_or(""),
                Check::Line,
                false,
            )
            .hint("active members of this group"),
            Field::text(
                "joined_since",
                "Joined since",
                &day(f.joined_since),
                Check::Date,
                false,
            )
            .hint("YYYY-MM-DD, inclusive"),
            Field::text(
                "joined_until",
                "Joined until",
                &day(f.joined_until),
                Check::Date,
                false,
            )
            .hint("YYYY-MM-DD, inclusive"),
            Field::text(
                "ordered_since",
                "Ordered since",
                &day(f.ordered_since),
                Check::Date,
                false,
            )
            .hint("an order on or after this day"),
            Field::text(
                "ordered_until",
                "Ordered until",
                &day(f.ordered_until),
                Check::Date,
                false,
            )
            .hint("an order on or before this day"),
            Field::text(
                "bought",
                "Bought SKU",
                &f.bought.join(", "),
                Check::Line,
                false,
            )
            .hint("comma-separated: bought any of them"),
            Field::text(
                "min_orders",
                "Min. orders",
                &f.min_orders.map(|n| n.to_string()).unwrap_or_default(),
                Check::Number,
                false,
            ),
            Field::text(
                "min_spent",
                "Min. spent",
                &f.min_spent
                    .as_ref()
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                Check::Line,
                false,
            )
            .hint("250, or 250 EUR"),
        ],
    )
}

/// The form's values over the list's filter (account, status and scores stay as they are);
/// `Err((field, why))` for a value the field's own check lets through but the filter cannot use.
pub fn apply_filter_form(
    form: &Form,
    base: &CustomerFilter,
) -> Result<CustomerFilter, (String, String)> {
    let date = |k: &str| NaiveDate::parse_from_str(form.value(k), "%Y-%m-%d").ok();
    let mut f = base.clone();
    f.group = Some(form.value("group").to_string()).filter(|g| !g.is_empty());
    f.joined_since = date("joined_since");
    f.joined_until = date("joined_until");
    f.ordered_since = date("ordered_since");
    f.ordered_until = date("ordered_until");
    f.bought = form
        .value("bought")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    f.min_orders = match form.value("min_orders") {
        "" => None,
        v => Some(v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            (
                "min_orders".to_string(),
                "a whole number, 0 or more".to_string(),
            )
        })?),
    };
    f.min_spent = match form.value("min_spent") {
        "" => None,
        v => Some(MinSpent::parse(v).map_err(|e| ("min_spent".to_string(), e))?),
    };
    for (a, b, key) in [
        (f.joined_since, f.joined_until, "joined_until"),
        (f.ordered_since, f.ordered_until, "ordered_until"),
    ] {
        if let (Some(a), Some(b)) = (a, b)
            && a > b
        {
            return Err((key.to_string(), format!("before the start, {a}")));
        }
    }
    Ok(f)
}
