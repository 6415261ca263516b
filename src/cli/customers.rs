//! `patron customers search|show|...`: the same search engine and store calls the console uses;
//! the writes are in `customer_edit.rs`.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::Result;
use patron_domain::sanitize::{display, multiline};
use serde::Serialize;

use super::customer_edit::{self as edit, AddArgs, EditArgs, NoteArgs, StatusArgs};
use super::filters::{FilterArgs, SortArgs};
use super::output::{cell, date, json, money, thousands, time};
use crate::store::DynStore;
use crate::store::model::{Customer, CustomerDetail};
use crate::store::query::{ListQuery, PageFrom, SortColumn};

#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// Rank customers for a fragment of a name, email, phone, company, city or order number.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// The customer list, filtered and sorted as in the console (keyset pages, any depth).
    List(ListArgs),
    /// Everything about one customer, by id or email.
    Show {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// Create a customer (--group needs an admin).
    Add(AddArgs),
    /// Add a note to a customer, by id or email.
    Note(NoteArgs),
    /// Activate, disable or lock an account (admins only).
    SetStatus(StatusArgs),
    /// Change contact details; refused if someone changed the customer in the meantime.
    Edit(EditArgs),
    /// Likely duplicate pairs, and registered accounts with guest orders under their email.
    Duplicates(super::merge::DuplicatesArgs),
    /// Merge SOURCE into TARGET (admins only; cannot be undone).
    Merge(super::merge::MergeArgs),
    /// Move guest orders placed under the account's email to the account (admins only).
    LinkGuestOrders(super::merge::LinkArgs),
}

pub async fn run(
    store: &DynStore,
    cmd: CustomersCommand,
    acting: Option<&str>,
) -> Result<ExitCode> {
    match cmd {
        CustomersCommand::Add(a) => edit::add(store, a, acting).await?,
        CustomersCommand::Note(a) => edit::note(store, a, acting).await?,
        CustomersCommand::SetStatus(a) => edit::set_status(store, a, acting).await?,
        CustomersCommand::Edit(a) => edit::edit(store, a, acting).await?,
        CustomersCommand::Duplicates(a) => return super::merge::duplicates(store, a, acting).await,
        CustomersCommand::Merge(a) => return super::merge::merge(store, a, acting).await,
        CustomersCommand::LinkGuestOrders(a) => {
            return super::merge::link_guest_orders(store, a, acting).await;
        }
        CustomersCommand::Search {
            query,
            limit,
            json: as_json,
        } => return search(store, &query, limit, as_json).await,
        CustomersCommand::List(a) => list(store, a, acting).await?,
        CustomersCommand::Show { key, json: as_json } => {
            let c = store.resolve(&key).await?;
            let detail = store.customer_detail(c.id).await?;
            if as_json {
                println!("{}", json(&detail)?);
            } else {
                print_detail(&detail);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Start from this saved view's filter and sort (`patron views`); flags given override it.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sort: SortArgs,
    /// At most this many rows.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    #[arg(long)]
    pub json: bool,
}

async fn list(store: &DynStore, a: ListArgs, acting: Option<&str>) -> Result<()> {
    let (filter, sort, descending) = super::views::list_query(
        store,
        a.view.as_deref(),
        &a.filter,
        &a.sort,
        SortColumn::Name,
        acting,
    )
    .await?;
    let query = ListQuery {
        filter,
        sort,
        descending,
        from: PageFrom::Start,
        limit: a.limit.clamp(0, 100_000),
    };
    let rows = store.list_customers(&query).await?;
    let total = store.count_customers(&query.filter).await?;
    if a.json {
        println!(
            "{}",
            json(&serde_json::json!({"total": total, "customers": rows}))?
        );
        return Ok(());
    }
    println!(
        "{:>8}  {}  {}  {}  {}  {:>6}  {:>12}  last order",
        "id",
        cell("name", 24),
        cell("email", 32),
        cell("account", 7),
        cell("status", 10),
        "orders",
        "spent"
    );
    for c in &rows {
        println!(
            "{:>8}  {}  {}  {}  {}  {:>6}  {:>12}  {}",
            c.id,
            cell(&c.full_name(), 24),
            cell(&c.email, 32),
            cell(if c.has_account { "yes" } else { "guest" }, 7),
            cell(c.status.as_str(), 10),
            c.stats.order_count,
            money(c.stats.total_spent, &c.stats.currency),
            date(c.stats.last_order_at)
        );
    }
    let what = query
        .filter
        .describe()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    println!(
        "{} of {} {}{what}",
        rows.len(),
        thousands(total),
        plural(total, "customer", "customers")
    );
    Ok(())
}

#[derive(Serialize)]
struct SearchHit {
    rank: usize,
    score: u32,
    exact: Option<String>,
    customer: Customer,
}

async fn search(store: &DynStore, query: &str, limit: usize, as_json: bool) -> Result<ExitCode> {
    let tty = std::io::stderr().is_terminal();
    let index = crate::runtime::index::load(store, |n| {
        if tty {
            eprint!("\rindexing customers: {}", thousands(n as i64));
        }
    })
    .await?;
    if tty {
        eprint!("\r\x1b[2K");
    }
    let result = index.search(query, limit, &|| false);
    let ids: Vec<i64> = result.hits.iter().map(|h| h.id).collect();
    let customers = store.customers_by_ids(&ids).await?;
    let hits: Vec<SearchHit> = result
        .hits
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let customer = customers.iter().find(|c| c.id == h.id)?.clone();
            Some(SearchHit {
                rank: i + 1,
                score: h.score,
                exact: h.exact.map(|e| format!("{e:?}")),
                customer,
            })
        })
        .collect();
    if as_json {
        println!(
            "{}",
            json(&serde_json::json!({"query": query, "total": result.total, "hits": hits}))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        println!("no customer matches {:?}", display(query));
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:>3}  {:>8}  {}  {}  {}  {:>6}  match",
        "#",
        "id",
        cell("name", 24),
        cell("email", 32),
        cell("phone", 18),
        "orders"
    );
    for h in &hits {
        let c = &h.customer;
        println!(
            "{:>3}  {:>8}  {}  {}  {}  {:>6}  {}",
            h.rank,
            c.id,
            cell(&c.full_name(), 24),
            cell(&c.email, 32),
            cell(&c.phone, 18),
            c.stats.order_count,
            h.exact.as_deref().unwrap_or("")
        );
    }
    println!(
        "{} of {} matching {}",
        hits.len(),
        thousands(result.total as i64),
        plural(result.total as i64, "customer", "customers")
    );
    Ok(ExitCode::SUCCESS)
}

fn print_detail(d: &CustomerDetail) {
    let c = &d.customer;
    let s = &c.stats;
    println!(
        "{} <{}>  #{}",
        display(&c.full_name()),
        display(&c.email),
        c.id
    );
    let account = if c.has_account { "registered" } else { "guest" };
    println!(
        "  {account}, {}  {}",
        c.status,
        c.status_reason.as_deref().map(display).unwrap_or_default()
    );
    if !c.phone.is_empty() {
        println!("  phone    {}", display(&c.phone));
    }
    if !c.company.is_empty() {
        println!("  company  {}", display(&c.company));
    }
    println!(
        "  joined   {}   last login {}   language {}",
        date(Some(c.created_at)),
        date(c.last_login_at),
        display(&c.language)
    );
    println!(
        "  orders   {}   spent {}   average {}   first {}   last {}",
        s.order_count,
        money(s.total_spent, &s.currency),
        s.average_order_value()
            .map(|a| money(a, &s.currency))
            .unwrap_or_else(|| "-".into()),
        date(s.first_order_at),
        date(s.last_order_at)
    );
    if !d.groups.is_empty() {
        let g: Vec<String> = d
            .groups
            .iter()
            .map(|m| format!("{} ({}, {})", display(&m.group_name), m.kind, m.status))
            .collect();
        println!("  groups   {}", g.join(", "));
    }
    section("Addresses", d.addresses.len());
    for a in &d.addresses {
        let mut flags = vec![a.kind.as_str()];
        if a.is_default_billing {
            flags.push("default billing");
        }
        if a.is_default_shipping {
            flags.push("default shipping");
        }
        println!(
            "  {}  [{}; {}]",
            display(&a.one_line()),
            flags.join(", "),
            a.verification
        );
    }
    // The newest orders only: say how many there are in all.
    let shown = d.recent_orders.len();
    if (shown as i64) < s.order_count {
        println!();
        println!("Recent orders ({shown} of {})", thousands(s.order_count));
    } else {
        section("Recent orders", shown);
    }
    for o in &d.recent_orders {
        println!(
            "  #{}  {}  {:>14}  {} / {} / {}",
            display(&o.number),
            time(o.placed_at),
            money(o.total, &o.currency),
            o.status,
            o.payment_status,
            o.fulfillment_status
        );
    }
    section("Library", d.library.len());
    for l in &d.library {
        let state = if l.revoked_at.is_some() {
            "revoked"
        } else {
            "active"
        };
        println!(
            "  {}  {}  via {}  {}  {} {}",
            display(&l.name),
            l.kind,
            l.source,
            state,
            l.downloads,
            plural(l.downloads, "download", "downloads")
        );
    }
    section("Wishlist", d.wishlist.len());
    for w in &d.wishlist {
        let bought = if w.purchased_at.is_some() {
            "purchased"
        } else {
            ""
        };
        println!(
            "  {}  {}  added {}  {bought}",
            display(&w.name),
            money(w.price, &w.currency),
            date(Some(w.added_at))
        );
    }
    section("Transactions", d.transactions.len());
    for t in &d.transactions {
        let order = t
            .order_number
            .as_deref()
            .map(|n| format!("#{}", display(n)))
            .unwrap_or_default();
        println!(
            "  {}  {:<8} {:>14}  {}  {}  {}",
            time(t.created_at),
            t.kind,
            money(t.amount, &t.currency),
            display(&t.method),
            order,
            display(&t.description)
        );
    }
    section("Emails", d.emails.len());
    for e in &d.emails {
        let err = e
            .error
            .as_deref()
            .map(|x| format!("  ({})", display(x)))
            .unwrap_or_default();
        println!(
            "  {}  {:<9}  {}{err}",
            time(e.created_at),
            e.status,
            display(&e.subject)
        );
    }
    section("Notes", d.notes.len());
    for n in &d.notes {
        let pin = if n.pinned { "📌 " } else { "" };
        let author = n.author.as_deref().map(display).unwrap_or("unknown".into());
        println!("  {pin}{} by {}", time(n.created_at), author);
        for line in multiline(&n.body).lines() {
            println!("    {line}");
        }
    }
}

/// "1 download", "2 downloads".
fn plural(n: i64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn section(title: &str, n: usize) {
    println!();
    println!("{title} ({n})");
}
