//! Where people live: cities with matching province, postal prefix and dialling code, plus street and
//! phone formatting per country.

use rand::Rng;

use super::rng::{below, pick, weighted};

/// (city, province, postal prefix, area or city dialling code)
pub type City = (&'static str, &'static str, &'static str, &'static str);

pub struct Country {
    pub code: &'static str,
    pub cities: &'static [City],
}

#[rustfmt::skip]
const US: &[City] = &[
    ("New York", "NY", "100", "212"), ("Brooklyn", "NY", "112", "718"), ("Buffalo", "NY", "142", "716"),
    ("Rochester", "NY", "146", "585"), ("Albany", "NY", "122", "518"), ("Syracuse", "NY", "132", "315"),
    ("Los Angeles", "CA", "900", "213"), ("San Francisco", "CA", "941", "415"), ("San Diego", "CA", "921", "619"),
    ("San Jose", "CA", "951", "408"), ("Sacramento", "CA", "958", "916"), ("Oakland", "CA", "946", "510"),
    ("Fresno", "CA", "937", "559"), ("Long Beach", "CA", "908", "562"), ("Irvine", "CA", "926", "949"),
    ("Pasadena", "CA", "911", "626"), ("Santa Barbara", "CA", "931", "805"), ("Berkeley", "CA", "947", "510"),
    ("Riverside", "CA", "925", "951"), ("Santa Monica", "CA", "904", "310"), ("Chicago", "IL", "606", "312"),
    ("Springfield", "IL", "627", "217"), ("Naperville", "IL", "605", "630"), ("Peoria", "IL", "616", "309"),
    ("Evanston", "IL", "602", "847"), ("Houston", "TX", "770", "713"), ("Dallas", "TX", "752", "214"),
    ("Austin", "TX", "787", "512"), ("San Antonio", "TX", "782", "210"), ("Fort Worth", "TX", "761", "817"),
    ("El Paso", "TX", "799", "915"), ("Plano", "TX", "750", "972"), ("Lubbock", "TX", "794", "806"),
    ("Corpus Christi", "TX", "784", "361"), ("Phoenix", "AZ", "850", "602"), ("Tucson", "AZ", "857", "520"),
    ("Scottsdale", "AZ", "852", "480"), ("Mesa", "AZ", "852", "480"), ("Flagstaff", "AZ", "860", "928"),
    ("Philadelphia", "PA", "191", "215"), ("Pittsburgh", "PA", "152", "412"), ("Allentown", "PA", "181", "610"),
    ("Harrisburg", "PA", "171", "717"), ("Erie", "PA", "165", "814"), ("Jacksonville", "FL", "322", "904"),
    ("Miami", "FL", "331", "305"), ("Tampa", "FL", "336", "813"), ("Orlando", "FL", "328", "407"),
    ("Tallahassee", "FL", "323", "850"), ("Fort Lauderdale", "FL", "333", "954"), ("St. Petersburg", "FL", "337", "727"),
    ("Gainesville", "FL", "326", "352"), ("Columbus", "OH", "432", "614"), ("Cleveland", "OH", "441", "216"),
    ("Cincinnati", "OH", "452", "513"), ("Toledo", "OH", "436", "419"), ("Akron", "OH", "443", "330"),
    ("Dayton", "OH", "454", "937"), ("Charlotte", "NC", "282", "704"), ("Raleigh", "NC", "276", "919"),
    ("Durham", "NC", "277", "919"), ("Greensboro", "NC", "274", "336"), ("Asheville", "NC", "288", "828"),
    ("Wilmington", "NC", "284", "910"), ("Indianapolis", "IN", "462", "317"), ("Fort Wayne", "IN", "468", "260"),
    ("Bloomington", "IN", "474", "812"), ("Seattle", "WA", "981", "206"), ("Spokane", "WA", "992", "509"),
    ("Tacoma", "WA", "984", "253"), ("Bellevue", "WA", "980", "425"), ("Olympia", "WA", "985", "360"),
    ("Denver", "CO", "802", "303"), ("Boulder", "CO", "803", "303"), ("Colorado Springs", "CO", "809", "719"),
    ("Fort Collins", "CO", "805", "970"), ("Washington", "DC", "200", "202"), ("Boston", "MA", "021", "617"),
    ("Cambridge", "MA", "021", "617"), ("Worcester", "MA", "016", "508"), ("Springfield", "MA", "011", "413"),
    ("Nashville", "TN", "372", "615"), ("Memphis", "TN", "381", "901"), ("Knoxville", "TN", "379", "865"),
    ("Chattanooga", "TN", "374", "423"), ("Detroit", "MI", "482", "313"), ("Grand Rapids", "MI", "495", "616"),
    ("Ann Arbor", "MI", "481", "734"), ("Lansing", "MI", "489", "517"), ("Portland", "OR", "972", "503"),
    ("Eugene", "OR", "974", "541"), ("Salem", "OR", "973", "503"), ("Bend", "OR", "977", "541"),
    ("Las Vegas", "NV", "891", "702"), ("Reno", "NV", "895", "775"), ("Henderson", "NV", "890", "702"),
    ("Louisville", "KY", "402", "502"), ("Lexington", "KY", "405", "859"), ("Baltimore", "MD", "212", "410"),
    ("Annapolis", "MD", "214", "410"), ("Bethesda", "MD", "208", "301"), ("Milwaukee", "WI", "532", "414"),
    ("Madison", "WI", "537", "608"), ("Green Bay", "WI", "543", "920"), ("Albuquerque", "NM", "871", "505"),
    ("Santa Fe", "NM", "875", "505"), ("Oklahoma City", "OK", "731", "405"), ("Tulsa", "OK", "741", "918"),
    ("Kansas City", "MO", "641", "816"), ("St. Louis", "MO", "631", "314"), ("Springfield", "MO", "658", "417"),
    ("Atlanta", "GA", "303", "404"), ("Savannah", "GA", "314", "912"), ("Athens", "GA", "306", "706"),
    ("Minneapolis", "MN", "554", "612"), ("St. Paul", "MN", "551", "651"), ("Duluth", "MN", "558", "218"),
    ("Rochester", "MN", "559", "507"), ("New Orleans", "LA", "701", "504"), ("Baton Rouge", "LA", "708", "225"),
    ("Omaha", "NE", "681", "402"), ("Lincoln", "NE", "685", "402"), ("Birmingham", "AL", "352", "205"),
    ("Huntsville", "AL", "358", "256"), ("Mobile", "AL", "366", "251"), ("Salt Lake City", "UT", "841", "801"),
    ("Provo", "UT", "846", "801"), ("Des Moines", "IA", "503", "515"), ("Iowa City", "IA", "522", "319"),
    ("Honolulu", "HI", "968", "808"), ("Anchorage", "AK", "995", "907"), ("Boise", "ID", "837", "208"),
    ("Richmond", "VA", "232", "804"), ("Virginia Beach", "VA", "234", "757"), ("Arlington", "VA", "222", "703"),
    ("Charlottesville", "VA", "229", "434"), ("Newark", "NJ", "071", "973"), ("Jersey City", "NJ", "073", "201"),
    ("Princeton", "NJ", "085", "609"), ("Hoboken", "NJ", "070", "201"), ("Hartford", "CT", "061", "860"),
    ("New Haven", "CT", "065", "203"), ("Stamford", "CT", "069", "203"), ("Providence", "RI", "029", "401"),
    ("Burlington", "VT", "054", "802"), ("Portland", "ME", "041", "207"), ("Manchester", "NH", "031", "603"),
    ("Charleston", "SC", "294", "843"), ("Columbia", "SC", "292", "803"), ("Greenville", "SC", "296", "864"),
    ("Little Rock", "AR", "722", "501"), ("Jackson", "MS", "392", "601"), ("Wichita", "KS", "672", "316"),
    ("Lawrence", "KS", "660", "785"), ("Sioux Falls", "SD", "571", "605"), ("Fargo", "ND", "581", "701"),
    ("Billings", "MT", "591", "406"), ("Missoula", "MT", "598", "406"), ("Cheyenne", "WY", "820", "307"),
    ("Charleston", "WV", "253", "304"), ("Wilmington", "DE", "198", "302"), ("Sarasota", "FL", "342", "941"),
    ("Palo Alto", "CA", "943", "650"), ("Burbank", "CA", "915", "818"), ("Yonkers", "NY", "107", "914"),
    ("Aurora", "CO", "800", "720"), ("Arlington", "TX", "760", "817"), ("Chandler", "AZ", "852", "480"),
    ("Durango", "CO", "813", "970"), ("Ithaca", "NY", "148", "607"), ("Savannah", "TN", "383", "731"),
];

#[rustfmt::skip]
const CA: &[City] = &[
    ("Toronto", "ON", "M5V", "416"), ("Ottawa", "ON", "K1P", "613"), ("Mississauga", "ON", "L5B", "905"),
    ("Hamilton", "ON", "L8P", "905"), ("London", "ON", "N6A", "519"), ("Kitchener", "ON", "N2G", "519"),
    ("Montréal", "QC", "H2X", "514"), ("Québec", "QC", "G1R", "418"), ("Laval", "QC", "H7N", "450"),
    ("Gatineau", "QC", "J8X", "819"), ("Vancouver", "BC", "V6B", "604"), ("Victoria", "BC", "V8W", "250"),
    ("Surrey", "BC", "V3T", "604"), ("Kelowna", "BC", "V1Y", "250"), ("Calgary", "AB", "T2P", "403"),
    ("Edmonton", "AB", "T5J", "780"), ("Red Deer", "AB", "T4N", "403"), ("Winnipeg", "MB", "R3C", "204"),
    ("Saskatoon", "SK", "S7K", "306"), ("Regina", "SK", "S4P", "306"), ("Halifax", "NS", "B3H", "902"),
    ("St. John's", "NL", "A1C", "709"), ("Fredericton", "NB", "E3B", "506"), ("Moncton", "NB", "E1C", "506"),
    ("Charlottetown", "PE", "C1A", "902"),
];

#[rustfmt::skip]
const GB: &[City] = &[
    ("London", "England", "SW1A", "20"), ("London", "England", "EC1A", "20"), ("London", "England", "N1", "20"),
    ("Manchester", "England", "M1", "161"), ("Birmingham", "England", "B1", "121"), ("Leeds", "England", "LS1", "113"),
    ("Liverpool", "England", "L1", "151"), ("Bristol", "England", "BS1", "117"), ("Sheffield", "England", "S1", "114"),
    ("Newcastle upon Tyne", "England", "NE1", "191"), ("Nottingham", "England", "NG1", "115"),
    ("Leicester", "England", "LE1", "116"), ("Brighton", "England", "BN1", "1273"), ("Oxford", "England", "OX1", "1865"),
    ("Cambridge", "England", "CB1", "1223"), ("York", "England", "YO1", "1904"), ("Bath", "England", "BA1", "1225"),
    ("Norwich", "England", "NR1", "1603"), ("Southampton", "England", "SO14", "23"), ("Plymouth", "England", "PL1", "1752"),
    ("Reading", "England", "RG1", "118"), ("Exeter", "England", "EX1", "1392"), ("Canterbury", "England", "CT1", "1227"),
    ("Edinburgh", "Scotland", "EH1", "131"), ("Glasgow", "Scotland", "G1", "141"), ("Aberdeen", "Scotland", "AB10", "1224"),
    ("Dundee", "Scotland", "DD1", "1382"), ("Cardiff", "Wales", "CF10", "29"), ("Swansea", "Wales", "SA1", "1792"),
    ("Belfast", "Northern Ireland", "BT1", "28"),
];

#[rustfmt::skip]
const DE: &[City] = &[
    ("Berlin", "Berlin", "10", "30"), ("Hamburg", "Hamburg", "20", "40"), ("München", "Bayern", "80", "89"),
    ("Köln", "Nordrhein-Westfalen", "50", "221"), ("Frankfurt am Main", "Hessen", "60", "69"),
    ("Stuttgart", "Baden-Württemberg", "70", "711"), ("Düsseldorf", "Nordrhein-Westfalen", "40", "211"),
    ("Dortmund", "Nordrhein-Westfalen", "44", "231"), ("Essen", "Nordrhein-Westfalen", "45", "201"),
    ("Leipzig", "Sachsen", "04", "341"), ("Bremen", "Bremen", "28", "421"), ("Dresden", "Sachsen", "01", "351"),
    ("Hannover", "Niedersachsen", "30", "511"), ("Nürnberg", "Bayern", "90", "911"),
    ("Duisburg", "Nordrhein-Westfalen", "47", "203"), ("Bochum", "Nordrhein-Westfalen", "44", "234"),
    ("Wuppertal", "Nordrhein-Westfalen", "42", "202"), ("Bielefeld", "Nordrhein-Westfalen", "33", "521"),
    ("Bonn", "Nordrhein-Westfalen", "53", "228"), ("Münster", "Nordrhein-Westfalen", "48", "251"),
    ("Karlsruhe", "Baden-Württemberg", "76", "721"), ("Mannheim", "Baden-Württemberg", "68", "621"),
    ("Augsburg", "Bayern", "86", "821"), ("Freiburg im Breisgau", "Baden-Württemberg", "79", "761"),
    ("Heidelberg", "Baden-Württemberg", "69", "6221"),
];

#[rustfmt::skip]
const FR: &[City] = &[
    ("Paris", "Île-de-France", "750", "1"), ("Marseille", "Provence-Alpes-Côte d'Azur", "130", "4"),
    ("Lyon", "Auvergne-Rhône-Alpes", "690", "4"), ("Toulouse", "Occitanie", "310", "5"),
    ("Nice", "Provence-Alpes-Côte d'Azur", "060", "4"), ("Nantes", "Pays de la Loire", "440", "2"),
    ("Strasbourg", "Grand Est", "670", "3"), ("Montpellier", "Occitanie", "340", "4"),
    ("Bordeaux", "Nouvelle-Aquitaine", "330", "5"), ("Lille", "Hauts-de-France", "590", "3"),
    ("Rennes", "Bretagne", "350", "2"), ("Reims", "Grand Est", "511", "3"), ("Le Havre", "Normandie", "766", "2"),
    ("Saint-Étienne", "Auvergne-Rhône-Alpes", "420", "4"), ("Toulon", "Provence-Alpes-Côte d'Azur", "830", "4"),
    ("Grenoble", "Auvergne-Rhône-Alpes", "380", "4"), ("Dijon", "Bourgogne-Franche-Comté", "210", "3"),
    ("Angers", "Pays de la Loire", "490", "2"), ("Nîmes", "Occitanie", "300", "4"),
    ("Aix-en-Provence", "Provence-Alpes-Côte d'Azur", "131", "4"),
];

#[rustfmt::skip]
const AU: &[City] = &[
    ("Sydney", "NSW", "20", "2"), ("Melbourne", "VIC", "30", "3"), ("Brisbane", "QLD", "40", "7"),
    ("Perth", "WA", "60", "8"), ("Adelaide", "SA", "50", "8"), ("Gold Coast", "QLD", "42", "7"),
    ("Canberra", "ACT", "26", "2"), ("Newcastle", "NSW", "23", "2"), ("Hobart", "TAS", "70", "3"),
    ("Darwin", "NT", "08", "8"), ("Geelong", "VIC", "32", "3"), ("Townsville", "QLD", "48", "7"),
    ("Cairns", "QLD", "48", "7"), ("Wollongong", "NSW", "25", "2"), ("Ballarat", "VIC", "33", "3"),
];

#[rustfmt::skip]
const JP: &[City] = &[
    ("Tokyo", "Tokyo", "100", "3"), ("Shibuya", "Tokyo", "150", "3"), ("Yokohama", "Kanagawa", "220", "45"),
    ("Osaka", "Osaka", "530", "6"), ("Nagoya", "Aichi", "450", "52"), ("Sapporo", "Hokkaido", "060", "11"),
    ("Fukuoka", "Fukuoka", "810", "92"), ("Kobe", "Hyogo", "650", "78"), ("Kyoto", "Kyoto", "600", "75"),
    ("Kawasaki", "Kanagawa", "210", "44"), ("Saitama", "Saitama", "330", "48"), ("Hiroshima", "Hiroshima", "730", "82"),
    ("Sendai", "Miyagi", "980", "22"), ("Chiba", "Chiba", "260", "43"), ("Naha", "Okinawa", "900", "98"),
];

pub const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        cities: US,
    },
    Country {
        code: "CA",
        cities: CA,
    },
    Country {
        code: "GB",
        cities: GB,
    },
    Country {
        code: "DE",
        cities: DE,
    },
    Country {
        code: "FR",
        cities: FR,
    },
    Country {
        code: "AU",
        cities: AU,
    },
    Country {
        code: "JP",
        cities: JP,
    },
];

/// Index into `COUNTRIES`; the store is US-centric with a long international tail.
pub fn country(rng: &mut impl Rng) -> usize {
    weighted(
        rng,
        &[(0, 70), (1, 8), (2, 8), (3, 5), (4, 3), (5, 3), (6, 3)],
    )
}

pub fn city(country: usize, index: usize) -> (&'static str, City) {
    let c = &COUNTRIES[country.min(COUNTRIES.len() - 1)];
    (c.code, c.cities[index % c.cities.len()])
}

const US_STREETS: &[&str] = &[
    "Maple",
    "Oak",
    "Pine",
    "Cedar",
    "Elm",
    "Washington",
    "Lake",
    "Hill",
    "Park",
    "Main",
    "Church",
    "Highland",
    "Sunset",
    "River",
    "Spring",
    "Ridge",
    "Meadow",
    "Forest",
    "Lincoln",
    "Jefferson",
    "Madison",
    "Franklin",
    "Willow",
    "Cherry",
    "Walnut",
    "Chestnut",
    "Birch",
    "Dogwood",
    "Magnolia",
    "Sycamore",
];
const US_SUFFIXES: &[&str] = &["St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Ct", "Way", "Pl"];
const GB_STREETS: &[&str] = &[
    "High", "Station", "Church", "Victoria", "Park", "Mill", "London", "Queen's", "King's",
    "Manor", "Green", "Bridge", "Castle", "Market",
];
const GB_SUFFIXES: &[&str] = &[
    "Street", "Road", "Lane", "Avenue", "Close", "Gardens", "Crescent", "Terrace",
];
const DE_STREETS: &[&str] = &[
    "Haupt", "Bahnhof", "Schul", "Garten", "Berg", "Kirch", "Linden", "Wald", "Goethe", "Schiller",
    "Birken", "Mühlen", "Rosen",
];
const DE_SUFFIXES: &[&str] = &["straße", "weg", "allee", "ring"];
const FR_STREETS: &[&str] = &[
    "rue de la Paix",
    "rue Victor Hugo",
    "avenue des Champs",
    "boulevard Saint-Michel",
    "rue du Moulin",
    "place de la République",
    "rue Pasteur",
    "rue de l'Église",
    "avenue Jean Jaurès",
    "rue des Lilas",
    "allée des Tilleuls",
    "chemin des Vignes",
];
const JP_DISTRICTS: &[&str] = &[
    "Chuo", "Minato", "Nishi", "Higashi", "Kita", "Minami", "Sakae", "Honcho", "Midori", "Aoba",
];

pub fn street(rng: &mut impl Rng, country: &str) -> String {
    let n = 1 + below(rng, 180);
    match country {
        "GB" => format!("{n} {} {}", pick(rng, GB_STREETS), pick(rng, GB_SUFFIXES)),
        "DE" => format!("{}{} {n}", pick(rng, DE_STREETS), pick(rng, DE_SUFFIXES)),
        "FR" => format!("{n} {}", pick(rng, FR_STREETS)),
        "JP" => format!(
            "{}-{}-{} {}",
            1 + below(rng, 5),
            1 + below(rng, 30),
            1 + below(rng, 20),
            pick(rng, JP_DISTRICTS)
        ),
        _ => format!(
            "{} {} {}",
            1 + below(rng, 9_899),
            pick(rng, US_STREETS),
            pick(rng, US_SUFFIXES)
        ),
    }
}

const GB_INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
const CA_LETTERS: &[u8] = b"ABCEGHJKLMNPRSTVWXYZ";

/// A full postal code in the country's format, sharing the city's prefix so it looks local.
pub fn postal(rng: &mut impl Rng, country: &str, prefix: &str) -> String {
    let letter = |rng: &mut _, set: &[u8]| char::from(*pick(rng, set));
    match country {
        "CA" => format!(
            "{prefix} {}{}{}",
            below(rng, 10),
            letter(rng, CA_LETTERS),
            below(rng, 10)
        ),
        "GB" => format!(
            "{prefix} {}{}{}",
            below(rng, 10),
            letter(rng, GB_INWARD),
            letter(rng, GB_INWARD)
        ),
        "DE" => format!("{prefix}{:03}", below(rng, 1000)),
        "JP" => format!("{prefix}-{:04}", below(rng, 10_000)),
        "AU" => format!("{prefix}{:02}", below(rng, 100)),
        _ => format!("{prefix}{:02}", below(rng, 100)),
    }
}

/// Subscriber numbers come from a bijection of the customer id so two customers never share a phone by
/// accident: shared phones in the data are deliberate duplicate fixtures.
pub fn phone(seed: u64, id: u64, country: &str, dial: &str) -> String {
    const SPAN: u64 = 8_000_000;
    // Odd and not a multiple of 5, hence coprime with SPAN = 2^9 * 5^6: multiplication permutes residues.
    let n = (id % SPAN)
        .wrapping_mul(2_654_437)
        .wrapping_add(seed % SPAN)
        % SPAN;
    let (hi, lo) = (n / 10_000, n % 10_000);
    match country {
        "GB" => format!("+44 {dial} {hi:04} {lo:04}"),
        "DE" => format!("+49 {dial} {n:07}"),
        "FR" => format!(
            "+33 {dial} {:02} {:02} {:02} {:02}",
            hi / 100,
            hi % 100,
            lo / 100,
            lo % 100
        ),
        "AU" => format!("+61 {dial} {hi:04} {lo:04}"),
        "JP" => format!("+81 {dial}-{hi:04}-{lo:04}"),
        _ => format!("+1 ({dial}) {:03}-{lo:04}", 200 + hi),
    }
}
