//! The readable page of an access export (`patron gdpr export` and the console's access export):
//! every section of the JSON as a table, rendered by minijinja with HTML auto-escaping.
//!
//! Escaping makes markup inert; it does not make ESC sequences or bidi overrides harmless to
//! whoever reads the page, so every text first passes through the project's one sanitizer, as
//! every other output does (`⟨U+202E⟩` instead of the character).

use color_eyre::eyre::{Result, WrapErr};
use minijinja::{AutoEscape, Environment, context};
use patron_domain::sanitize;
use serde_json::Value;

use crate::store::privacy::CustomerExport;

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Personal data held about customer #{{ id }}</title>
<style>
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #999; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
td { white-space: pre-wrap; }
</style>
</head>
<body>
<h1>Personal data held about customer #{{ id }}</h1>
<p>Generated {{ generated }}. The file customer-{{ id }}.json next to this page holds the same data in machine-readable form.</p>
{% for s in sections %}
<section>
<h2>{{ s.title }} ({{ s.rows|length }})</h2>
{% if s.rows %}<table>
<thead><tr>{% for c in s.columns %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for r in s.rows %}<tr>{% for cell in r %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>{% else %}<p>None.</p>{% endif %}
</section>
{% endfor %}
</body>
</html>
"#;

#[derive(Debug)]
struct Section {
    title: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The page for `export`.
pub fn render(export: &CustomerExport) -> Result<String> {
    let v = serde_json::to_value(export)?;
    let mut env = Environment::new();
    // Whatever the template is called: every value is escaped.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("page", PAGE)?;
    let page = env
        .get_template("page")?
        .render(context! {
            id => export.customer.id,
            generated => export.generated_at.to_rfc3339(),
            sections => sections(&v)
                .into_iter()
                .map(|s| context! {title => s.title, columns => s.columns, rows => s.rows})
                .collect::<Vec<_>>(),
        })
        .wrap_err("cannot render the export page")?;
    Ok(page)
}

fn sections(v: &Value) -> Vec<Section> {
    let mut out = vec![fields("Profile", &v["customer"])];
    let order_rows: Vec<Value> = v["orders"]
        .as_array()
        .map(|a| a.iter().map(|o| o["order"].clone()).collect())
        .unwrap_or_default();
    let item_rows: Vec<Value> = v["orders"]
        .as_array()
        .map(|a| {
            a.iter()
                .flat_map(|o| {
                    let number = o["order"]["number"].clone();
                    o["items"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .map(move |mut it| {
                            it["order"] = number.clone();
                            it
                        })
                })
                .collect()
        })
        .unwrap_or_default();
    out.push(table("Orders", &order_rows));
    out.push(table("Order items", &item_rows));
    let ticket_rows: Vec<Value> = v["tickets"]
        .as_array()
        .map(|a| a.iter().map(|t| t["ticket"].clone()).collect())
        .unwrap_or_default();
    let message_rows: Vec<Value> = v["tickets"]
        .as_array()
        .map(|a| {
            a.iter()
                .flat_map(|t| {
                    let id = t["ticket"]["external_id"].clone();
                    t["conversation"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .map(move |mut m| {
                            m["ticket"] = id.clone();
                            m
                        })
                })
                .collect()
        })
        .unwrap_or_default();
    for (key, title) in [
        ("addresses", "Addresses"),
        ("groups", "Group memberships"),
        ("transactions", "Transactions"),
        ("library", "Library"),
        ("downloads", "Downloads"),
        ("wishlist", "Wishlist"),
        ("emails", "Emails"),
        ("notes", "Notes"),
        ("consent", "Consent"),
        ("events", "Engagement events"),
        ("merged_accounts", "Merged accounts"),
        ("privacy_requests", "Privacy requests"),
        ("audit", "Audit entries"),
    ] {
        let rows = v[key].as_array().cloned().unwrap_or_default();
        out.push(table(title, &rows));
    }
    out.push(table("Support tickets", &ticket_rows));
    out.push(table("Ticket conversations", &message_rows));
    if !v["score"].is_null() {
        out.push(fields("Customer-value score", &v["score"]));
    }
    out
}

/// One object as (field, value) rows; nested objects as `outer.inner`.
fn fields(title: &str, obj: &Value) -> Section {
    fn walk(prefix: &str, v: &Value, rows: &mut Vec<Vec<String>>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let name = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&name, x, rows);
                }
            }
            other => rows.push(vec![clean(prefix, prefix), cell(prefix, other)]),
        }
    }
    let mut rows = Vec::new();
    walk("", obj, &mut rows);
    Section {
        title: title.into(),
        columns: vec!["field".into(), "value".into()],
        rows,
    }
}

/// Objects as rows, their keys (in first-seen order) as columns.
fn table(title: &str, rows: &[Value]) -> Section {
    let mut columns: Vec<String> = Vec::new();
    for r in rows {
        for k in r.as_object().into_iter().flat_map(|m| m.keys()) {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let cells = rows
        .iter()
        .map(|r| columns.iter().map(|c| cell(c, &r[c.as_str()])).collect())
        .collect();
    Section {
        title: title.into(),
        columns: columns.iter().map(|c| clean(c, c)).collect(),
        rows: cells,
    }
}

fn cell(key: &str, v: &Value) -> String {
    let text = match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    clean(key, &text)
}

/// Bodies keep their line breaks (the cell wraps them); everything else is one line.
fn clean(key: &str, text: &str) -> String {
    if key == "body" || key.ends_with(".body") {
        sanitize::multiline(text).into_owned()
    } else {
        sanitize::display(text).into_owned()
    }
}
