//! Word lists for the synthetic customer generator (names, cities, domains,
//! companies), including some diacritics so folding is exercised. Lists are
//! '|'-separated strings to keep this file short.

pub(crate) const FIRST_NAMES: &str = "James|Mary|John|Patricia|Robert|Jennifer|Michael|Linda|William|Elizabeth|David|Barbara|\
     Richard|Susan|Joseph|Jessica|Thomas|Sarah|Charles|Karen|Christopher|Nancy|Daniel|Lisa|\
     Matthew|Betty|Anthony|Margaret|Mark|Sandra|Donald|Ashley|Steven|Kimberly|Paul|Emily|\
     Andrew|Donna|Joshua|Michelle|Kenneth|Dorothy|Kevin|Carol|Brian|Amanda|George|Melissa|\
     Edward|Deborah|Ronald|Stephanie|Timothy|Rebecca|Jason|Sharon|Jeffrey|Laura|Ryan|Cynthia|\
     Jacob|Kathleen|Gary|Amy|Nicholas|Shirley|Eric|Angela|Jonathan|Helen|Stephen|Anna|Larry|\
     Brenda|Justin|Pamela|Scott|Nicole|Brandon|Emma|Benjamin|Samantha|Samuel|Katherine|\
     Gregory|Christine|Frank|Debra|Alexander|Rachel|Raymond|Catherine|Patrick|Carolyn|Jack|\
     Janet|Dennis|Ruth|Jerry|Maria|Tyler|Heather|Aaron|Diane|Jose|Virginia|Adam|Julie|Henry|\
     Joyce|Nathan|Victoria|Douglas|Olivia|Zachary|Kelly|Peter|Christina|Kyle|Lauren|Walter|\
     Joan|Ethan|Evelyn|Jeremy|Judith|Harold|Megan|Keith|Cheryl|Christian|Andrea|Roger|Hannah|\
     Noah|Martha|Gerald|Jacqueline|Carl|Frances|Terry|Gloria|Sean|Ann|Austin|Teresa|Arthur|\
     Kathryn|Lawrence|Sara|Jesse|Janice|Dylan|Jean|Bryan|Alice|Joe|Madison|Jordan|Doris|Billy|\
     Abigail|Bruce|Julia|Albert|Judy|Willie|Grace|Gabriel|Denise|José|Zoë|Chloé|Björn|Søren|\
     François|Jürgen|Renée|Noël|Ángel|Łukasz|Mårten|Inès|Raphaël|Hélène|Øystein|Dvořák|Ümit|\
     Çağla|Siobhán|Wei|Yuki|Priya|Ahmed|Fatima|Omar|Aisha|Mateo|Lucía|Sofía";

pub(crate) const LAST_NAMES_REAL: &str = "Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|\
     Lopez|Gonzalez|Wilson|Anderson|Thomas|Taylor|Moore|Jackson|Martin|Lee|Perez|Thompson|\
     White|Harris|Sanchez|Clark|Ramirez|Lewis|Robinson|Walker|Young|Allen|King|Wright|Scott|\
     Torres|Nguyen|Hill|Flores|Green|Adams|Nelson|Baker|Hall|Rivera|Campbell|Mitchell|Carter|\
     Roberts|Gomez|Phillips|Evans|Turner|Diaz|Parker|Cruz|Edwards|Collins|Reyes|Stewart|\
     Morris|Morales|Murphy|Cook|Rogers|Gutierrez|Ortiz|Morgan|Cooper|Peterson|Bailey|Reed|\
     Kelly|Howard|Ramos|Kim|Cox|Ward|Richardson|Watson|Brooks|Chavez|Wood|James|Bennett|Gray|\
     Mendoza|Ruiz|Hughes|Price|Alvarez|Castillo|Sanders|Patel|Myers|Long|Ross|Foster|Jimenez|\
     Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Dubois|\
     Lefèvre|Moreau|Laurent|Girard|Bonnet|Dupont|Lambert|Fontaine|Rousseau|Rossi|Russo|\
     Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Kowalski|Nowak|Wiśniewski|\
     Wójcik|Kowalczyk|Kamiński|Lewandowski|Zieliński|Szymański|Woźniak|Andersson|Johansson|\
     Karlsson|Nilsson|Eriksson|Larsson|Olsson|Persson|Svensson|Gustafsson|Jensen|Nielsen|\
     Hansen|Pedersen|Andersen|Christensen|Larsen|Sørensen|Rasmussen|Jørgensen|O'Brien|\
     O'Connor|McCarthy|Ó Súilleabháin|Fitzgerald|Sullivan|Walsh|Byrne|Ryan|Doyle|Tanaka|\
     Suzuki|Takahashi|Watanabe|Ito|Yamamoto|Nakamura|Kobayashi|Sato|Kato|Wang|Li|Zhang|Liu|\
     Chen|Yang|Huang|Zhao|Wu|Zhou|Singh|Kumar|Sharma|Gupta|Khan|Ali|Hussain|Rahman|Das|Bose";

pub(crate) const LAST_HEADS: &str = "Ash|Black|Brook|Clay|Dal|East|Fair|Gold|Green|Hart|Hol|Kings|Lang|Mar|North|Oak|Red|Rock|\
     Stan|West|Whit|Win|Thorn|Brad|Crom";

pub(crate) const LAST_TAILS: &str = "ford|wood|well|ton|by|field|ley|man|son|worth|more|ridge|bridge|stone|hill|dale|brook|\
     wick|land|er|ham|shaw|combe|croft|gate|holt|mere|stead|thorpe|wright|ward|ing";

pub(crate) const CITIES_REAL: &str = "New York|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas|\
     San Jose|Austin|Jacksonville|San Francisco|Columbus|Fort Worth|Indianapolis|Charlotte|\
     Seattle|Denver|Washington|Boston|El Paso|Nashville|Detroit|Portland|Las Vegas|Memphis|\
     Louisville|Baltimore|Milwaukee|Albuquerque|Tucson|Fresno|Sacramento|Kansas City|Atlanta|\
     Miami|Raleigh|Omaha|Oakland|Minneapolis|Tulsa|Cleveland|Wichita|New Orleans|Tampa|\
     Honolulu|Anaheim|St. Louis|Pittsburgh|Cincinnati|Orlando|Buffalo|Salt Lake City|London|\
     Manchester|Birmingham|Leeds|Glasgow|Edinburgh|Dublin|Paris|Lyon|Marseille|Montréal|\
     Québec|Toronto|Vancouver|Berlin|München|Köln|Düsseldorf|Zürich|Genève|Wien|Salzburg|\
     Kraków|Warszawa|Łódź|Gdańsk|Praha|Brno|København|Århus|Malmö|Göteborg|Stockholm|Oslo|\
     Helsinki|Reykjavík|Madrid|Barcelona|Sevilla|Málaga|Lisboa|Porto|São Paulo|Rio de Janeiro|\
     Bogotá|Ciudad de México|Milano|Roma|Napoli";

pub(crate) const CITY_PREFIXES: &str = "New|Port|Fort|Lake|North|South|East|West|Mount|Glen";

pub(crate) const CITY_STEMS: &str = "Haven|Springs|Falls|Harbor|Ridge|Valley|Bend|Crossing|Meadows|Heights|Point|Landing|\
     Grove|Creek|Rapids|Shores|Hollow|Bluff|Junction|Prairie";

pub(crate) const DOMAINS: &str = "gmail.com|yahoo.com|outlook.com|hotmail.com|icloud.com|aol.com|proton.me|gmx.de|web.de|\
     mail.ru|comcast.net|verizon.net|att.net|live.com|msn.com|me.com|fastmail.com|zoho.com|\
     yandex.ru|orange.fr|free.fr|btinternet.com|sky.com|shaw.ca|rogers.com|bigpond.com|\
     optusnet.com.au|t-online.de|libero.it|example.com";

pub(crate) const COMPANY_HEADS: &str = "Acme|Globex|Initech|Umbrella|Hooli|Vandelay|Stark|Wayne|Wonka|Soylent|Cyberdyne|Tyrell|\
     Aperture|Massive Dynamic|Pied Piper|Dunder Mifflin|Oscorp|Monarch|Nakatomi|Blue Sun|\
     Gekko|Virtucon|Prestige Worldwide|Bluth|Sterling Cooper|Wernham Hogg|Krusty Krab|\
     Los Pollos Hermanos|Cogswell|Spacely";

pub(crate) const COMPANY_TAILS: &str =
    "Inc|LLC|GmbH|Ltd|Co|Corp|Group|Labs|Trading|Logistics|Widgets|Supply";
