//! `patron customers duplicates|merge|link-guest-orders`: likely duplicate pairs, merging one
//! account into another, and moving guest orders to the registered account of their email.

use std::process::ExitCode;

use clap::Args;
use color_eyre::eyre::{Result, bail};
use patron_domain::sanitize::display;

use super::output::{json, thousands};
use super::staff::{acting, require};
use crate::store::DynStore;
use crate::store::permissions::Permission;
use crate::store::review::{MergeChoices, Side};

#[derive(Debug, Args)]
pub struct DuplicatesArgs {
    /// Pairs listed (text output; --json lists all).
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The account that goes away (id or email).
    pub source: String,
    /// The account that survives (id or email).
    pub target: String,
    /// Fields whose value comes from the source: email, names, phone, company, language
    /// (comma-separated). The others keep the target's value unless it is empty.
    #[arg(long, value_delimiter = ',')]
    pub from_source: Vec<String>,
    /// --dry-run shows what survives and moves; merging cannot be undone.
    #[command(flatten)]
    pub confirm: super::review::Confirm,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The registered account, by id or email.
    pub customer: String,
    #[arg(long)]
    pub yes: bool,
}

pub async fn duplicates(
    store: &DynStore,
    a: DuplicatesArgs,
    flag: Option<&str>,
) -> Result<ExitCode> {
    let me = acting(store, flag).await?;
    require(&me, Permission::ViewAudit)?;
    let pairs = store.duplicates().await?;
    let guests = store.guest_orders().await?;
    if a.json {
        let out = serde_json::json!({"pairs": pairs, "guest_orders": guests});
        println!("{}", json(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} likely duplicate pairs", thousands(pairs.len() as i64));
    for p in pairs.iter().take(a.limit) {
        let reasons: Vec<&str> = p
            .reasons
            .iter()
            .map(|r| match r {
                crate::store::review::DuplicateReason::SameEmail => "same email",
                crate::store::review::DuplicateReason::SamePhone => "same phone",
                crate::store::review::DuplicateReason::SameNameAndPostalCode => {
                    "same name and postal code"
                }
            })
            .collect();
        println!("  #{:<9} #{:<9} {}", p.first, p.second, reasons.join(", "));
    }
    println!(
        "{} registered accounts have guest orders under their email",
        thousands(guests.len() as i64)
    );
    for g in guests.iter().take(a.limit) {
        println!(
            "  #{:<9} {} guest orders  {}",
            g.account_id,
            g.orders,
            display(&g.email)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn choices(from_source: &[String]) -> Result<MergeChoices> {
    let mut c = MergeChoices::default();
    for f in from_source
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let slot = match f {
            "email" => &mut c.email,
            "names" | "name" => &mut c.names,
            "phone" => &mut c.phone,
            "company" => &mut c.company,
            "language" => &mut c.language,
            other => bail!(
                "--from-source: unknown field {:?} (email, names, phone, company, language)",
                display(other)
            ),
        };
        *slot = Side::Source;
    }
    Ok(c)
}

pub async fn merge(store: &DynStore, a: MergeArgs, flag: Option<&str>) -> Result<ExitCode> {
    a.confirm.check("merge")?;
    let me = acting(store, flag).await?;
    require(&me, Permission::Merge)?;
    let choices = choices(&a.from_source)?;
    let source = store.resolve(&a.source).await?;
    let target = store.resolve(&a.target).await?;
    let preview = store.merge_preview(source.id, target.id, &choices).await?;
    if a.confirm.dry_run {
        if a.confirm.json {
            println!("{}", json(&preview)?);
            return Ok(ExitCode::SUCCESS);
        }
        println!("merge #{} into #{} (dry run):", source.id, target.id);
        for f in &preview.fields {
            let from = match f.survives {
                Side::Source => "source",
                Side::Target => "target",
            };
            println!("  {:<9} {:<7} {}", f.field, from, display(&f.value));
        }
        let m = &preview.moves;
        println!(
            "  moves: {} orders, {} addresses, {} library items, {} wishlist items ({} already on the target), \
             {} transactions, {} emails, {} notes, {} group memberships ({} already on the target)",
            m.orders,
            m.addresses,
            m.library_items,
            m.wishlist_items,
            m.wishlist_dropped,
            m.transactions,
            m.emails,
            m.notes,
            m.group_memberships,
            m.group_memberships_dropped
        );
        return Ok(ExitCode::SUCCESS);
    }
    let r = store
        .merge_customers(me.id, source.id, target.id, &choices)
        .await?;
    if a.confirm.json {
        println!("{}", json(&r)?);
    } else {
        println!(
            "merged #{} into #{} ({} orders moved) by {}; #{} and {} now resolve to #{}",
            source.id,
            target.id,
            r.moves.orders,
            display(&me.username),
            source.id,
            display(&source.email),
            target.id
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn link_guest_orders(
    store: &DynStore,
    a: LinkArgs,
    flag: Option<&str>,
) -> Result<ExitCode> {
    if !a.yes {
        bail!("refusing to link guest orders without --yes");
    }
    let me = acting(store, flag).await?;
    require(&me, Permission::Merge)?;
    let c = store.resolve(&a.customer).await?;
    let n = store.link_guest_orders(me.id, c.id).await?;
    println!(
        "linked {n} guest orders to customer #{} <{}> by {}",
        c.id,
        display(&c.email),
        display(&me.username)
    );
    Ok(ExitCode::SUCCESS)
}
