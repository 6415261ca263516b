//! Word lists for people: first and last names, companies, email domains and spam fodder.

/// Mixed origins on purpose: diacritics, apostrophes and hyphens exercise search folding and width handling.
#[rustfmt::skip]
pub const FIRST_NAMES: &[&str] = &[
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles", "Christopher",
    "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin",
    "Brian", "George", "Timothy", "Ronald", "Edward", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric",
    "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Alexander",
    "Frank", "Patrick", "Raymond", "Jack", "Dennis", "Tyler", "Aaron", "Henry", "Adam", "Nathan", "Peter", "Zachary",
    "Kyle", "Ethan", "Noah", "Liam", "Owen", "Lucas", "Mason", "Logan", "Oliver", "Elijah", "Mary", "Patricia",
    "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Lisa", "Nancy", "Margaret",
    "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle", "Carol", "Amanda", "Dorothy", "Melissa", "Deborah",
    "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia", "Kathleen", "Amy", "Angela", "Anna", "Brenda", "Pamela",
    "Emma", "Nicole", "Helen", "Samantha", "Katherine", "Christine", "Rachel", "Catherine", "Heather", "Diane",
    "Ruth", "Julie", "Olivia", "Victoria", "Kelly", "Lauren", "Christina", "Megan", "Andrea", "Hannah", "Jacqueline",
    "Martha", "Gloria", "Teresa", "Madison", "Abigail", "Alice", "Sophia", "Grace", "Natalie", "Charlotte", "Ava",
    "Mia", "Chloe", "Harper", "Ella", "Nora", "Lily", "Layla", "José", "Zoë", "María", "Sofía", "Lucía", "Javier",
    "Alejandro", "Diego", "Carlos", "Miguel", "Camila", "Valentina", "Mateo", "Santiago", "João", "André", "Chloé",
    "Renée", "François", "Amélie", "Léa", "Hélène", "Jérôme", "Søren", "Björn", "Åsa", "Jürgen", "Günter", "Jörg",
    "Lukas", "Anja", "Katharina", "Maximilian", "Sven", "Ingrid", "Siobhán", "Seán", "Niamh", "Aoife", "Ciarán",
    "Priya", "Arjun", "Rohan", "Ananya", "Aisha", "Fatima", "Omar", "Ahmed", "Mohammed", "Yusuf", "Leila", "Hassan",
    "Olamide", "Chinedu", "Ngozi", "Kwame", "Amara", "Dmitri", "Olga", "Natasha", "Wojciech", "Agnieszka", "Zofia",
    "Tomáš", "Hiroshi", "Yuki", "Kenji", "Akira", "Mei", "Wei", "Linh", "Thanh", "Min-jun", "Ji-woo", "Mary-Kate",
    "Jean-Luc", "Anne-Marie", "Kai", "Noé", "Inés",
];

/// Common US surnames first (they dominate real data), then a long tail of other origins.
#[rustfmt::skip]
pub const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
    "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
    "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
    "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz",
    "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers",
    "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox",
    "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz",
    "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes",
    "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
    "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis",
    "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez",
    "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb", "Tucker",
    "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw",
    "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd",
    "Rose", "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson",
    "Nichols", "Stephens", "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer",
    "Hawkins", "Arnold", "Pierce", "Vazquez", "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott",
    "Cunningham", "Duncan", "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Alvarado", "Ray",
    "Delgado", "Berry", "Perkins", "Hoffman", "Johnston", "Matthews", "Pena", "Richards", "Contreras", "Willis",
    "Carpenter", "Lawrence", "Sandoval", "Guerrero", "George", "Chapman", "Rios", "Estrada", "Ortega", "Watkins",
    "Greene", "Nunez", "Wheeler", "Valdez", "Harper", "Burke", "Larson", "Santiago", "Maldonado", "Morrison",
    "Franklin", "Carlson", "Austin", "Dominguez", "Carr", "Lawson", "Jacobs", "O'Brien", "Lynch", "Singh", "Vega",
    "Bishop", "Montgomery", "Oliver", "Jensen", "Harvey", "Williamson", "Gilbert", "Dean", "Sims", "Espinoza",
    "Howell", "Li", "Wong", "Reid", "Hanson", "Le", "McCoy", "Garrett", "Burton", "Fuller", "Wang", "Weber", "Welch",
    "Rojas", "Lucas", "Marquez", "Fields", "Park", "Yang", "Little", "Banks", "Padilla", "Day", "Walsh", "Bowman",
    "Schultz", "Luna", "Fowler", "Mejia", "Davidson", "Acosta", "Brewer", "May", "Holland", "Juarez", "Newman",
    "Pearson", "Curtis", "Cortez", "Douglas", "Schneider", "Joseph", "Barrett", "Navarro", "Figueroa", "Keller",
    "Avila", "Wade", "Molina", "Stanley", "Hopkins", "Campos", "Barnett", "Bates", "Chambers", "Caldwell", "Beck",
    "Lambert", "Miranda", "Byrd", "Craig", "Ayala", "Lowe", "Frazier", "Powers", "Neal", "Leonard", "Gregory",
    "Carrillo", "Sutton", "Fleming", "Rhodes", "Shelton", "Schwartz", "Norris", "Jennings", "Watts", "Duran",
    "Walters", "Cohen", "McDaniel", "Moran", "Parks", "Steele", "Vaughn", "Becker", "Holt", "DeLeon", "Barker",
    "Terry", "Hale", "Leon", "Hail", "Benson", "Haynes", "Horton", "Miles", "Lyons", "Pham", "Graves", "Bush",
    "Thornton", "Wolfe", "Warner", "Cabrera", "McKinney", "Mann", "Zimmerman", "Dawson", "Lara", "Fletcher", "Page",
    "McCarthy", "Love", "Robles", "Cervantes", "Solis", "Erickson", "Reeves", "Chang", "Klein", "Salinas", "Fuentes",
    "Baldwin", "Daniel", "Simon", "Velasquez", "Hardy", "Higgins", "Aguirre", "Lin", "Cummings", "Chandler", "Sharp",
    "Barber", "Bowen", "Ochoa", "Dennis", "Robbins", "Liu", "Ramsey", "Francis", "Griffith", "Paul", "Blair",
    "O'Connor", "Cardenas", "Pacheco", "Cross", "Calderon", "Quinn", "Moss", "Swanson", "Chan", "Rivas", "Khan",
    "Rodgers", "Serrano", "Fitzgerald", "Rosales", "Stevenson", "Christensen", "Manning", "Gill", "Curry",
    "McLaughlin", "Harmon", "McGee", "Gross", "Doyle", "Garner", "Newton", "Burgess", "Reese", "Walton", "Blake",
    "Trujillo", "Adkins", "Brady", "Goodman", "Roman", "Webster", "Goodwin", "Fischer", "Huang", "Potter", "Delacruz",
    "Montoya", "Todd", "Wu", "Hines", "Mullins", "Castaneda", "Malone", "Cannon", "Tate", "Mack", "Sherman",
    "Hubbard", "Hodges", "Zhang", "Guerra", "Wolf", "Valencia", "Saunders", "Franco", "Rowe", "Gallagher", "Farmer",
    "Hammond", "Hampton", "Townsend", "Ingram", "Wise", "Gallegos", "Clarke", "Barton", "Schroeder", "Maxwell",
    "Waters", "Logan", "Camacho", "Strickland", "Norman", "Person", "Colon", "Parsons", "Frank", "Harrington",
    "Glover", "Osborne", "Buchanan", "Casey", "Floyd", "Patton", "Ibarra", "Ball", "Tyler", "Suarez", "Bowers",
    "Orozco", "Salas", "Cobb", "Gibbs", "Andrade", "Bauer", "Conner", "Moody", "Escobar", "McGuire", "Lloyd",
    "Mueller", "Hartman", "French", "Kramer", "McBride", "Pope", "Lindsey", "Velazquez", "Norton", "McCormick",
    "Sparks", "Flynn", "Yates", "Hogan", "Marsh", "Macias", "Villanueva", "Zamora", "Pratt", "Stokes", "Owen",
    "Ballard", "Lang", "Brock", "Villarreal", "Charles", "Drake", "Barrera", "Cain", "Patrick", "Pineda", "Burnett",
    "Mercado", "Santana", "Shepherd", "Bautista", "Ali", "Shaffer", "Lamb", "Trevino", "McKenzie", "Hess", "Beil",
    "Olsen", "Cochran", "Morton", "Nash", "Wilkins", "Petersen", "Briggs", "Shah", "Roth", "Nicholson", "Holloway",
    "Lozano", "Rangel", "Flowers", "Hoover", "Short", "Arias", "Mora", "Valenzuela", "Bryan", "Meyers", "Weiss",
    "Underwood", "Bass", "Greer", "Summers", "Houston", "Carson", "Morrow", "Clayton", "Whitaker", "Decker", "Yoder",
    "Collier", "Zuniga", "Carey", "Wilcox", "Melendez", "Poole", "Roberson", "Larsen", "Conley", "Davenport",
    "Copeland", "Massey", "Lam", "Huff", "Rocha", "Cameron", "Jefferson", "Hood", "Monroe", "Anthony", "Pittman",
    "Huynh", "Randall", "Singleton", "Kirk", "Combs", "Mathis", "Christian", "Skinner", "Bradford", "Richard",
    "Galvan", "Wall", "Boone", "Kirby", "Wilkinson", "Bridges", "Bruce", "Atkinson", "Velez", "Meza", "Roy",
    "Vincent", "York", "Hodge", "Villa", "Abbott", "Allison", "Tapia", "Gates", "Chase", "Sosa", "Sweeney", "Farrell",
    "Wyatt", "Dalton", "Horn", "Barron", "Phelps", "Yu", "Dickerson", "Heath", "Foley", "Atkins", "Mathews",
    "Bonilla", "Acevedo", "Benitez", "Zavala", "Hensley", "Glenn", "Cisneros", "Harrell", "Shields", "Rubio",
    "Huffman", "Choi", "Boyer", "Garrison", "Arroyo", "Bond", "Kane", "Hancock", "Callahan", "Dillon", "Cline",
    "Wiggins", "Grimes", "Arellano", "Melton", "O'Neill", "Savage", "Ho", "Beltran", "Pitts", "Parrish", "Ponce",
    "Rich", "Booth", "Koch", "Golden", "Ware", "Brennan", "McDowell", "Marks", "Cantu", "Humphrey", "Baxter",
    "Sawyer", "Clay", "Tanner", "Hutchinson", "Kaur", "Berg", "Wiley", "Gilmore", "Russo", "Villegas", "Hobbs",
    "Keith", "Wilkerson", "Ahmed", "Beard", "McClain", "Montes", "Mata", "Rosario", "Vang", "Walter", "Henson",
    "O'Sullivan", "Duffy", "O'Reilly", "O'Donnell", "D'Angelo", "D'Souza", "MacLeod", "MacKenzie", "McAllister",
    "Fitzpatrick", "Gallo", "Rossi", "Russo-Bianchi", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Bruno", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri",
    "Fontana", "Santoro", "Caruso", "Müller", "Schmitt", "Schäfer", "Weiß", "Krüger", "Köhler", "Schröder",
    "Hoffmann", "Schulz", "Koch-Wagner", "Richter", "Wolff", "Neumann", "Schwarz", "Zimmermann", "Braun", "Hofmann",
    "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Schmid", "Schulze", "Maier", "Köster", "Böhm", "Frühling",
    "Jäger", "Günther", "Bernard", "Dubois", "Durand", "Lefèvre", "Leroy", "Moreau", "Laurent", "Girard", "Bonnet",
    "Dupont", "Lambert-Roux", "Fontaine", "Rousseau", "Vincent-Blanc", "Mercier", "Boucher", "Gauthier", "Chevalier",
    "Faure", "Garnier", "Pérez-Soto", "Sánchez", "Martín", "Jiménez", "Gómez", "Muñoz", "Álvarez", "Romero-Díaz",
    "Navarro-Gil", "Domínguez", "Vázquez", "Ramírez", "Suárez", "Ibáñez", "Peña", "Castaño", "Núñez", "Cortés",
    "Márquez", "Gálvez", "Silva-Santos", "Oliveira", "Pereira", "Almeida", "Ferreira", "Rodrigues", "Carvalho",
    "Gonçalves", "Araújo", "Sousa", "van der Berg", "de Vries", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Jørgensen", "Sørensen", "Rasmussen", "Kristiansen", "Nyström", "Lindqvist",
    "Åberg", "Halvorsen", "Berglund", "Lundgren", "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk",
    "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Novák", "Dvořák", "Černý", "Procházka", "Kučera",
    "Horváth", "Nagy", "Tóth", "Szabó", "Kovács", "Ivanov", "Petrov", "Smirnov", "Volkov", "Popov", "Sokolov",
    "Lebedev", "Kozlov", "Novikov", "Morozov", "Papadopoulos", "Nikolaidis", "Georgiou", "Yilmaz", "Kaya", "Demir",
    "Şahin", "Çelik", "Öztürk", "Aydın", "Sharma", "Gupta", "Kumar", "Reddy", "Iyer", "Nair", "Mehta", "Chopra",
    "Desai", "Banerjee", "Chatterjee", "Mukherjee", "Joshi", "Malhotra", "Kapoor", "Agarwal", "Bhat", "Pillai", "Rao",
    "Menon", "Hussain", "Rahman", "Chaudhry", "Qureshi", "Siddiqui", "Haddad", "Khoury", "Nasser", "Saleh", "Mansour",
    "Okafor", "Adeyemi", "Okonkwo", "Mensah", "Boateng", "Kamau", "Otieno", "Mwangi", "Diallo", "Traoré", "Nakamura",
    "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Kobayashi", "Kato", "Yoshida", "Sato", "Yamada",
    "Sasaki", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu", "Yamaguchi", "Mori", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "He", "Gao", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao",
    "Peng", "Park-Lee", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Shin", "Seo", "Kwon", "Pham-Tran", "Hoang",
    "Phan", "Vu", "Vo", "Dang", "Bui", "Do", "Ngo", "Duong", "Santos-Cruz", "Reyes-Lopez", "Bautista-Ramos",
    "Dela Cruz", "Mendoza-Garcia", "Villanueva-Santos", "Aquino", "Castillo-Reyes", "Tolentino", "Manalo",
    "Abernathy", "Ackerman", "Albright", "Aldridge", "Ashford", "Babcock", "Bancroft", "Barlow", "Beckett",
    "Blackwell", "Blanchard", "Bloom", "Bradshaw", "Brandt", "Bristow", "Broadbent", "Buckley", "Calloway",
    "Carmichael", "Cartwright", "Chamberlain", "Cheney", "Clifford", "Coates", "Corbett", "Crane", "Crowley", "Darby",
    "Dempsey", "Donovan", "Drummond", "Eastwood", "Emerson", "Everett", "Fairbanks", "Faulkner", "Finch", "Forsyth",
    "Galloway", "Goddard", "Granger", "Hadley", "Halloway", "Hargrove", "Hathaway", "Hawthorne", "Hendricks",
    "Holbrook", "Hollis", "Kendall", "Kingsley", "Langley", "Lockwood", "Lyndon", "Marlowe", "Merritt", "Montague",
    "Nightingale", "Osgood", "Pembroke", "Prescott", "Radcliffe", "Ramsay", "Rutherford", "Sinclair", "Stanton",
    "Sterling", "Thackeray", "Thorne", "Whitfield",
];

/// CJK display names with the romanization used for email local parts.
#[rustfmt::skip]
pub const CJK_FIRST: &[(&str, &str)] = &[
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("静", "jing"), ("磊", "lei"), ("洋", "yang"), ("翔太", "shota"),
    ("陽菜", "hina"), ("蓮", "ren"), ("結衣", "yui"), ("大翔", "hiroto"), ("さくら", "sakura"), ("민준", "minjun"),
    ("서연", "seoyeon"),
];
#[rustfmt::skip]
pub const CJK_LAST: &[(&str, &str)] = &[
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("佐藤", "sato"),
    ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("伊藤", "ito"), ("渡辺", "watanabe"), ("김", "kim"),
    ("이", "lee"),
];

/// Fictional employers; the second field is the domain their staff use for email.
#[rustfmt::skip]
pub const COMPANIES: &[(&str, &str)] = &[
    ("Northwind Traders", "northwind.com"), ("Contoso Ltd", "contoso.com"), ("Fabrikam Inc", "fabrikam.com"),
    ("Initech", "initech.com"), ("Globex Corporation", "globex.com"), ("Umbrella Logistics", "umbrellalogistics.com"),
    ("Acme Corp", "acme.com"), ("Tailspin Toys", "tailspintoys.com"), ("Wingtip Toys", "wingtiptoys.com"),
    ("Adventure Works", "adventure-works.com"), ("Litware Inc", "litware.com"), ("Proseware", "proseware.com"),
    ("Woodgrove Bank", "woodgrovebank.com"), ("Coho Winery", "cohowinery.com"),
    ("Lucerne Publishing", "lucernepublishing.com"), ("Blue Yonder Airlines", "blueyonderairlines.com"),
    ("Trey Research", "treyresearch.net"), ("Alpine Ski House", "alpineskihouse.com"),
    ("Margie's Travel", "margiestravel.com"), ("Fourth Coffee", "fourthcoffee.com"),
    ("Wide World Importers", "wideworldimporters.com"), ("Graphic Design Institute", "graphicdesigninstitute.com"),
    ("Humongous Insurance", "humongousinsurance.com"), ("City Power & Light", "cpandl.com"),
    ("Southridge Video", "southridgevideo.com"), ("Consolidated Messenger", "consolidatedmessenger.com"),
    ("Nod Publishers", "nodpublishers.com"), ("Bellows College", "bellowscollege.edu"),
    ("Munson's Pickles", "munsonspickles.com"), ("Stark & Wayne GmbH", "starkwayne.de"),
    ("Maison Lefèvre SARL", "maisonlefevre.fr"), ("Sakura Trading KK", "sakuratrading.co.jp"),
    ("Kangaroo Freight Pty Ltd", "kangaroofreight.com.au"), ("Maple Leaf Outfitters", "mapleleafoutfitters.ca"),
    ("Thames Valley Supplies", "thamesvalleysupplies.co.uk"),
];

/// Consumer mailbox providers used everywhere, weighted roughly by real-world share.
#[rustfmt::skip]
pub const DOMAINS: &[(&str, u32)] = &[
    ("gmail.com", 300), ("yahoo.com", 90), ("outlook.com", 70), ("hotmail.com", 60), ("icloud.com", 55),
    ("aol.com", 20), ("protonmail.com", 15), ("comcast.net", 15), ("verizon.net", 8), ("att.net", 10),
    ("live.com", 12), ("msn.com", 8), ("me.com", 8), ("mail.com", 6), ("fastmail.com", 4),
];

/// Providers popular in one country; people there use them about half the time.
#[rustfmt::skip]
pub const LOCAL_DOMAINS: &[(&str, &[&str])] = &[
    ("DE", &["gmx.de", "web.de", "t-online.de"]), ("FR", &["orange.fr", "free.fr", "laposte.net"]),
    ("GB", &["yahoo.co.uk", "btinternet.com", "sky.com"]), ("CA", &["shaw.ca", "rogers.com"]),
    ("AU", &["bigpond.com", "optusnet.com.au"]), ("JP", &["yahoo.co.jp", "docomo.ne.jp"]),
];

#[rustfmt::skip]
pub const DISPOSABLE_DOMAINS: &[&str] = &[
    "mailinator.com", "guerrillamail.com", "yopmail.com", "10minutemail.com", "trashmail.com", "sharklasers.com",
    "tempmail.net", "throwawaymail.com", "getnada.com", "dispostable.com",
];

/// Names spam bots put in registration forms.
#[rustfmt::skip]
pub const SPAM_NAMES: &[(&str, &str)] = &[
    ("Buy cheap pills", "http://spam.example"), ("Best", "Casino Bonus www.win-big.example"),
    ("CRYPTO", "PROFIT 1000%"), ("Visit", "https://cheap-deals.example/promo"), ("Free", "iPhone giveaway"),
    ("SEO", "services bit.ly/xx12"), ("Loans", "approved today"), ("Hot", "singles nearby http://date.example"),
];
