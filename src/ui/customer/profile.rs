//! Tab 1: the profile as label/value lines, groups, custom fields and default addresses.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::text::{date, datetime, money, safe};
use super::super::theme::Theme;
use crate::app::forms::custom_text;
use crate::app::state::{CustomerView, Load};
use crate::store::model::{ConsentEvent, CustomFieldDef, CustomerStatus, consent_state};

/// Events shown on the profile; the rest are one `patron consent show` away.
const CONSENT_SHOWN: usize = 8;

/// Each purpose's state and the ledger newest first: who recorded what, when, from where.
fn consent_lines(lines: &mut Vec<Line<'static>>, consent: &Load<Vec<ConsentEvent>>, theme: &Theme) {
    let events = match consent {
        Load::Ready(e) => e,
        Load::Failed(e) => {
            lines.push(Line::raw(format!(
                " Consent           cannot load: {}",
                safe(e)
            )));
            return;
        }
        _ => {
            lines.push(Line::raw(" Consent           loading…"));
            return;
        }
    };
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(" Consent", theme.dim())));
    for (purpose, latest) in consent_state(events) {
        let state = match latest {
            Some(e) if e.granted => format!("granted {}", date(Some(e.at))),
            Some(e) => format!("withdrawn {}", date(Some(e.at))),
            None => "never given".into(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("   {:<18}", purpose.label()), theme.dim()),
            Span::raw(state),
        ]));
    }
    for e in events.iter().rev().take(CONSENT_SHOWN) {
        let who = e
            .staff
            .as_deref()
            .map(|s| format!("by {} ", safe(s)))
            .unwrap_or_default();
        let note = if e.note.is_empty() {
            String::new()
        } else {
            format!(": {}", safe(&e.note))
        };
        lines.push(Line::raw(format!(
            "   {} {} {} {who}({}){note}",
            datetime(e.at),
            if e.granted { "granted" } else { "withdrew" },
            e.purpose.label(),
            e.source.as_str(),
        )));
    }
    if events.len() > CONSENT_SHOWN {
        lines.push(Line::from(Span::styled(
            match events.len() - CONSENT_SHOWN {
                1 => "   1 older event: patron consent show".to_string(),
                n => format!("   {n} older events: patron consent show"),
            },
            theme.dim(),
        )));
    }
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    v: &CustomerView,
    defs: &[CustomFieldDef],
    theme: &Theme,
) {
    let Load::Ready((c, groups)) = &v.customer else {
        frame.render_widget(Paragraph::new(" Loading profile…"), area);
        return;
    };
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!(" {label:<18}"), theme.dim()),
            Span::raw(value),
        ])
    };
    let opt = |s: &Option<String>| {
        s.as_deref()
            .map(|x| safe(x).into_owned())
            .unwrap_or_else(|| "—".into())
    };
    let mut lines = vec![
        row("First name", safe(&c.first_name).into_owned()),
        row("Last name", safe(&c.last_name).into_owned()),
        row("Email", safe(&c.email).into_owned()),
        row("Phone", safe(&c.phone).into_owned()),
        row("Company", safe(&c.company).into_owned()),
        row("Language", safe(&c.language).into_owned()),
        row(
            "Account",
            if c.has_account && c.status == CustomerStatus::Active {
                "registered (can log in)".into()
            } else if c.has_account {
                format!("registered (cannot log in: {})", c.status)
            } else {
                "guest (no login)".into()
            },
        ),
        row(
            "Status",
            format!(
                "{}{}",
                c.status,
                c.status_reason
                    .as_deref()
                    .map(|r| format!(" — {}", safe(r)))
                    .unwrap_or_default()
            ),
        ),
        row(
            "Marketing consent",
            if c.marketing_consent {
                "yes".into()
            } else {
                "no".into()
            },
        ),
        row("Created", datetime(c.created_at)),
        row("Updated", datetime(c.updated_at)),
        row("Last login", date(c.last_login_at)),
        row("Registration IP", opt(&c.registration_ip)),
        row("Last login IP", opt(&c.last_login_ip)),
    ];
    let groups_text = if groups.is_empty() {
        "—".to_string()
    } else {
        groups
            .iter()
            .map(|g| {
                format!(
                    "{} ({}, {}{})",
                    safe(&g.group_name),
                    g.kind,
                    g.status,
                    if g.group_active {
                        ""
                    } else {
                        ", group disabled"
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    lines.push(row("Groups", groups_text));
    // Defined fields by their labels (empty ones too, so staff see what is missing), then any
    // stored value whose definition is gone, by its key.
    for d in defs {
        let value = custom_text(&c.custom_fields, &d.name);
        let label = if d.label.is_empty() {
            &d.name
        } else {
            &d.label
        };
        let shown = match (value.is_empty(), d.required) {
            (true, true) => "— (required)".to_string(),
            (true, false) => "—".to_string(),
            _ => safe(&value).into_owned(),
        };
        lines.push(row(&safe(label), shown));
    }
    if let Some(fields) = c.custom_fields.as_object() {
        for k in fields
            .keys()
            .filter(|k| !defs.iter().any(|d| &d.name == *k))
        {
            lines.push(row(
                &safe(k),
                safe(&custom_text(&c.custom_fields, k)).into_owned(),
            ));
        }
    }
    match &v.addresses {
        Load::Ready(addrs) => {
            let find = |f: fn(&crate::store::model::Address) -> bool| {
                addrs
                    .iter()
                    .find(|a| f(a))
                    .map(|a| safe(&a.one_line()).into_owned())
                    .unwrap_or_else(|| "—".into())
            };
            lines.push(row("Default billing", find(|a| a.is_default_billing)));
            lines.push(row("Default shipping", find(|a| a.is_default_shipping)));
        }
        _ => lines.push(row("Addresses", "loading…".into())),
    }
    let scroll = v.cursors[0].selected as u16;
    // Last, so a short terminal cuts it before the addresses. The header's "Spent" is the
    // same figure: the order totals, not net of refunds.
    lines.push(row(
        "Spent",
        format!(
            "{} (order totals; refunds not subtracted)",
            money(c.stats.total_spent, &c.stats.currency)
        ),
    ));
    consent_lines(&mut lines, &v.consent, theme);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}
