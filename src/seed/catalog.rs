//! The fixed part of the demo store: staff accounts, the product catalog and customer groups.

use rand::seq::SliceRandom;

use super::rng::{STREAM_CATALOG, pick, rng_for, span};
use crate::store::model::{Group, GroupKind, Product, ProductKind, Staff, StaffRole};

pub struct Catalog {
    pub products: Vec<Product>,
    /// Per product (same index): delivered as a download, so buying it grants a library item and needs
    /// no shipping.
    pub digital: Vec<bool>,
    /// Indices of digital products, for gifts and manual grants.
    pub digital_ids: Vec<usize>,
}

struct Line {
    prefix: &'static str,
    category: &'static str,
    nouns: &'static [&'static str],
    cents: (i64, i64),
    count: usize,
}

#[rustfmt::skip]
const PHYSICAL: &[Line] = &[
    Line { prefix: "APP", category: "Apparel", count: 36, cents: (1_500, 12_000), nouns: &["T-Shirt", "Hoodie", "Rain Jacket", "Chinos", "Wool Socks", "Beanie", "Flannel Shirt", "Denim Jacket", "Polo Shirt", "Fleece Vest", "Leggings", "Scarf"] },
    Line { prefix: "FTW", category: "Footwear", count: 20, cents: (3_000, 18_000), nouns: &["Trail Runners", "Leather Boots", "Canvas Sneakers", "Slippers", "Sandals", "Hiking Boots", "Loafers"] },
    Line { prefix: "HOM", category: "Home & Kitchen", count: 36, cents: (1_200, 20_000), nouns: &["Chef's Knife", "Cast Iron Skillet", "French Press", "Dutch Oven", "Cutting Board", "Bath Towel Set", "Throw Blanket", "Ceramic Mug Set", "Table Lamp", "Duvet Cover"] },
    Line { prefix: "ELE", category: "Electronics", count: 32, cents: (1_500, 35_000), nouns: &["Wireless Earbuds", "USB-C Hub", "Mechanical Keyboard", "Bluetooth Speaker", "Webcam", "Phone Charger", "Smart Plug", "Noise-Cancelling Headphones", "Portable SSD", "E-Reader"] },
    Line { prefix: "OUT", category: "Outdoor", count: 26, cents: (1_500, 30_000), nouns: &["2-Person Tent", "Sleeping Bag", "Headlamp", "Water Bottle", "Daypack", "Camp Stove", "Trekking Poles", "Hammock"] },
    Line { prefix: "BTY", category: "Beauty", count: 18, cents: (600, 6_000), nouns: &["Face Serum", "Lip Balm", "Shampoo Bar", "Hand Cream", "Beard Oil", "Sunscreen SPF 50"] },
    Line { prefix: "TOY", category: "Toys & Games", count: 18, cents: (900, 8_000), nouns: &["1000-Piece Puzzle", "Board Game", "Building Blocks Set", "Plush Bear", "Kite", "Card Game"] },
    Line { prefix: "BOK", category: "Books", count: 18, cents: (900, 4_500), nouns: &["Hardcover Cookbook", "Paperback Novel", "Travel Guide", "Field Guide", "Colouring Book"] },
    Line { prefix: "SPT", category: "Sports", count: 20, cents: (1_000, 15_000), nouns: &["Yoga Mat", "Dumbbell Pair", "Jump Rope", "Tennis Racket", "Cycling Gloves", "Foam Roller"] },
    Line { prefix: "GRD", category: "Garden", count: 16, cents: (800, 12_000), nouns: &["Pruning Shears", "Watering Can", "Seed Starter Kit", "Garden Gloves", "Raised Bed Kit"] },
];

const ADJECTIVES: &[&str] = &[
    "Classic",
    "Everyday",
    "Pro",
    "Ultralight",
    "Heritage",
    "Essential",
    "Deluxe",
    "Compact",
    "Organic",
    "Premium",
    "Vintage",
    "Urban",
];
const BRANDS: &[&str] = &[
    "Northpeak",
    "Lumen & Co",
    "Brightwater",
    "Cedar Lane",
    "Kestrel",
    "Ironwood",
    "Solstice",
    "Halcyon",
    "Tidewater",
    "Fjällmark",
    "Maison Rêve",
    "Kōbō",
];
const EBOOK_TOPICS: &[&str] = &[
    "Sourdough",
    "Slow Travel",
    "Home Brewing",
    "Minimalism",
    "Public Speaking",
    "Houseplants",
    "Bookkeeping",
    "Watercolor",
    "Negotiation",
    "Sleep",
    "Beekeeping",
    "Chess",
    "Woodworking",
    "Running",
    "Fermentation",
];
const EBOOK_FORMS: &[&str] = &["The Art of", "The Science of", "The Joy of"];
const COURSE_TOPICS: &[&str] = &[
    "Rust",
    "Photography",
    "Spanish",
    "Guitar",
    "Excel",
    "Data Analysis",
    "UX Design",
    "Pottery",
    "Yoga",
    "Marketing",
    "Python",
    "Drawing",
    "Piano",
    "SQL",
    "Japanese",
];
const COURSE_FORMS: &[&str] = &["Intro to", "Mastering"];
const SOFTWARE: &[&str] = &[
    "PhotoForge",
    "TaskPilot",
    "CodeNest",
    "SoundLab",
    "VaultGuard",
    "SyncBox",
    "PageCraft",
    "NoteHive",
    "MapMaker",
    "InvoiceIQ",
];
const EDITIONS: &[&str] = &["Personal", "Pro", "Team"];
const ARTISTS: &[&str] = &[
    "Velvet Lanterns",
    "Mira Okoye",
    "The Slow Tides",
    "Blue Harbour",
    "Dr. Kettle",
    "Saoirse Lynn",
    "Neon Orchard",
    "Los Pájaros",
    "Yuki & the Owls",
    "Brass Meridian",
];
const ALBUMS: &[&str] = &[
    "Night Swim",
    "Golden Hour",
    "Paper Moons",
    "Static Bloom",
    "Northern Lines",
    "Second Wind",
];
const PHYSICAL_BUNDLES: &[&str] = &[
    "Holiday Gift Set",
    "Camping Starter Bundle",
    "Kitchen Essentials Bundle",
    "Home Office Bundle",
    "Spa Day Gift Box",
    "Family Game Night Bundle",
    "Gardener's Starter Kit",
    "Runner's Bundle",
    "Coffee Lover's Box",
    "Winter Warmers Set",
    "New Home Bundle",
    "Travel Kit",
    "Back to School Bundle",
];
const DIGITAL_BUNDLES: &[&str] = &[
    "Complete Rust Course Bundle",
    "E-book Bundle: Home & Garden",
    "Creative Suite Bundle",
    "Language Learning Bundle",
    "Productivity Software Bundle",
    "Music Discovery Pack",
    "Data Skills Bundle",
    "Cookbook Collection (e-books)",
    "Photography Masterclass Bundle",
    "Mindfulness Audio Collection",
    "Developer Tools Bundle",
    "Kids' Learning Bundle",
];

/// (prefix, category, kind, digital, brand, name, price range)
type Spec = (
    &'static str,
    &'static str,
    ProductKind,
    bool,
    &'static str,
    String,
    (i64, i64),
);

const DIGITAL_BRANDS: &[&str] = &[
    "Patron Digital",
    "Lumen Press",
    "Skillforge",
    "Open Notes Music",
];

impl Catalog {
    pub fn new(seed: u64) -> Self {
        let mut rng = rng_for(seed, 0, STREAM_CATALOG);
        let mut specs: Vec<Spec> = Vec::with_capacity(400);
        for line in PHYSICAL {
            for _ in 0..line.count {
                let brand = *pick(&mut rng, BRANDS);
                let name = format!(
                    "{brand} {} {}",
                    pick(&mut rng, ADJECTIVES),
                    pick(&mut rng, line.nouns)
                );
                specs.push((
                    line.prefix,
                    line.category,
                    ProductKind::Physical,
                    false,
                    brand,
                    name,
                    line.cents,
                ));
            }
        }
        let digital = ProductKind::Digital;
        for topic in EBOOK_TOPICS {
            for form in EBOOK_FORMS {
                specs.push((
                    "EBK",
                    "E-books",
                    digital,
                    true,
                    "Lumen Press",
                    format!("{form} {topic} (e-book)"),
                    (499, 2_499),
                ));
            }
        }
        for topic in COURSE_TOPICS {
            for form in COURSE_FORMS {
                specs.push((
                    "CRS",
                    "Online courses",
                    digital,
                    true,
                    "Skillforge",
                    format!("{form} {topic} - online course"),
                    (1_900, 19_900),
                ));
            }
        }
        for app in SOFTWARE {
            for edition in EDITIONS {
                let name = format!("{app} {edition} licence (1 year)");
                specs.push((
                    "SWL",
                    "Software",
                    digital,
                    true,
                    "Patron Digital",
                    name,
                    (2_900, 29_900),
                ));
            }
        }
        for artist in ARTISTS {
            for album in ALBUMS.iter().take(3) {
                specs.push((
                    "MUS",
                    "Music",
                    digital,
                    true,
                    "Open Notes Music",
                    format!("{artist} - {album} (FLAC download)"),
                    (799, 1_499),
                ));
            }
        }
        for name in PHYSICAL_BUNDLES {
            specs.push((
                "BND",
                "Bundles",
                ProductKind::Bundle,
                false,
                "Patron Gifts",
                (*name).to_string(),
                (4_900, 24_900),
            ));
        }
        // Delivered as a download, so the store sees them as digital: the library rebuild grants
        // exactly what the seed grants (it goes by `order_items.kind = 'digital'`).
        for name in DIGITAL_BUNDLES {
            specs.push((
                "BND",
                "Bundles",
                digital,
                true,
                *pick(&mut rng, DIGITAL_BRANDS),
                (*name).to_string(),
                (2_900, 39_900),
            ));
        }
        // Popularity follows product id (low ids sell most), so shuffle to spread it over every category.
        specs.shuffle(&mut rng);
        let mut products = Vec::with_capacity(specs.len());
        let mut flags = Vec::with_capacity(specs.len());
        let mut digital_ids = Vec::new();
        for (i, (prefix, category, kind, is_digital, brand, name, (lo, hi))) in
            specs.into_iter().enumerate()
        {
            let id = i as i64 + 1;
            // Shop prices end in 99.
            let price = (span(&mut rng, lo, hi) / 100) * 100 + 99;
            products.push(Product {
                id,
                sku: format!("{prefix}-{id:05}"),
                name,
                category: category.to_string(),
                brand: brand.to_string(),
                kind,
                price,
                currency: "USD".to_string(),
            });
            flags.push(is_digital);
            if is_digital {
                digital_ids.push(i);
            }
        }
        Catalog {
            products,
            digital: flags,
            digital_ids,
        }
    }
}

pub fn staff() -> Vec<Staff> {
    let person = |id, username: &str, display: &str, role| Staff {
        id,
        username: username.to_string(),
        display_name: display.to_string(),
        role,
        active: true,
        login: Some(username.to_string()),
    };
    vec![
        person(1, "alice", "Alice Admin", StaffRole::Admin),
        person(2, "bob", "Bob Agent", StaffRole::Agent),
        person(3, "carol", "Carol Agent", StaffRole::Agent),
    ]
}

/// Group ids used by membership generation; keep in step with `groups()`.
pub const WHOLESALE_1: i64 = 1;
pub const WHOLESALE_2: i64 = 2;
pub const VIP_GOLD: i64 = 3;
pub const VIP_PLATINUM: i64 = 4;
pub const CORPORATE: i64 = 5;
pub const EU: i64 = 6;
pub const PACIFIC_NW: i64 = 7;
pub const BETA: i64 = 8;
pub const LEGACY: i64 = 9;

pub fn groups() -> Vec<Group> {
    #[rustfmt::skip]
    let rows: [(i64, &str, GroupKind, bool, i64, &str); 9] = [
        (WHOLESALE_1, "Wholesale Tier 1", GroupKind::Wholesale, true, 1500, "Resellers buying 50+ units a month"),
        (WHOLESALE_2, "Wholesale Tier 2", GroupKind::Wholesale, true, 2500, "High-volume resellers with net-30 terms"),
        (VIP_GOLD, "VIP Gold", GroupKind::Vip, true, 1000, "Spent over $1,000 in the last year"),
        (VIP_PLATINUM, "VIP Platinum", GroupKind::Vip, true, 1500, "Spent over $5,000 in the last year; priority support"),
        (CORPORATE, "Corporate Accounts", GroupKind::Corporate, true, 500, "Invoiced business customers"),
        (EU, "EU Customers", GroupKind::Regional, true, 0, "Ships from the Rotterdam warehouse; prices include VAT"),
        (PACIFIC_NW, "Pacific Northwest", GroupKind::Regional, true, 0, "Same-day delivery area around Seattle and Portland"),
        (BETA, "Beta Testers", GroupKind::Custom, true, 0, "Early access to new features and products"),
        (LEGACY, "Legacy Partners", GroupKind::Custom, false, 2000, "Programme retired; kept for historical orders"),
    ];
    rows.iter()
        .map(
            |&(id, name, kind, active, discount_bps, description)| Group {
                id,
                name: name.to_string(),
                kind,
                active,
                discount_bps,
                description: description.to_string(),
                members: 0,
            },
        )
        .collect()
}
