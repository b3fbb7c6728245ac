#include "offline/detail/lexicon.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The word lists and phrase banks (the skills table is in lexicon_skills.cpp).

namespace resumate::offline::detail {

// Words after which a period does not end a sentence.
constexpr auto kAbbreviationsData = sorted(std::to_array<string_view>({
    "mr",  "mrs", "ms",   "dr",   "prof", "sr",     "jr",   "st",   "vs",  "etc",
    "inc", "ltd", "co",   "corp", "no",   "approx", "dept", "univ", "e.g", "i.e",
    "eg",  "ie",  "resp", "incl", "est",  "jan",    "feb",  "mar",  "apr", "jun",
    "jul", "aug", "sep",  "sept", "oct",  "nov",    "dec",  "fig",  "ca",  "cf",
}));
constinit const std::span<const string_view> kAbbreviations{kAbbreviationsData};

// ---------------------------------------------------------------------------------------------
// Job titles are built around a role noun ("engineer"), extended to the left over seniority and
// field words ("senior backend"). Weak nouns ("lead", "owner", "agent") are also ordinary
// English, so they only count with a field word in front or after "as a".

// clang-format off
constexpr auto kRoleNounsData = sorted(std::to_array<string_view>({
    "engineer", "developer", "programmer", "scientist", "analyst", "manager", "designer",
    "architect", "consultant", "administrator", "specialist", "coordinator", "director", "intern",
    "technician", "nurse", "teacher", "accountant", "writer", "editor", "recruiter", "researcher",
    "strategist", "tester", "instructor", "professor", "lecturer", "pharmacist", "physician",
    "therapist", "paralegal", "attorney", "lawyer", "electrician", "mechanic", "chef", "cashier",
    "supervisor", "planner", "advisor", "adviser", "marketer", "producer", "founder", "co-founder",
    "cofounder", "vp", "cto", "ceo", "cfo", "coo", "cio", "cpo", "sre", "auditor", "bookkeeper",
    "economist", "statistician", "librarian", "photographer", "animator", "journalist",
    "copywriter", "translator", "interpreter", "tutor", "counselor", "counsellor", "psychologist",
    "dentist", "surgeon", "paramedic", "pilot", "carpenter", "plumber", "welder", "clerk",
    "receptionist", "secretary", "merchandiser", "barista", "bartender", "caregiver",
    "technologist", "estimator", "surveyor", "inspector", "dean", "chemist", "biologist",
    "physicist", "mathematician", "entrepreneur", "freelancer", "trainer", "facilitator",
    "evangelist", "hygienist", "veterinarian", "practitioner", "illustrator", "storekeeper",
    "waiter", "waitress", "dispatcher", "underwriter", "actuary", "lead", "representative",
    "executive", "officer", "assistant", "associate", "agent", "owner", "president", "head",
    "partner", "controller", "operator", "driver", "coach", "advocate", "master", "doctor", "buyer",
    "cook", "contractor", "principal",
}));
constinit const std::span<const string_view> kRoleNouns{kRoleNounsData};
// clang-format on

constexpr auto kWeakNounsData = sorted(std::to_array<string_view>({
    "lead",     "representative", "executive",  "officer",   "assistant", "associate",
    "agent",    "owner",          "president",  "head",      "partner",   "controller",
    "operator", "driver",         "coach",      "advocate",  "master",    "doctor",
    "buyer",    "cook",           "contractor", "principal",
}));
constinit const std::span<const string_view> kWeakNouns{kWeakNounsData};

// Nouns that take an "of ..." complement: "Head of Engineering", "Professor of Physics".
constexpr auto kOfNounsData = sorted(std::to_array<string_view>({
    "head",
    "director",
    "vp",
    "president",
    "professor",
    "teacher",
    "dean",
    "lecturer",
    "officer",
    "manager",
    "chief",
}));
constinit const std::span<const string_view> kOfNouns{kOfNounsData};

constexpr auto kSeniorityData = sorted(std::to_array<string_view>({
    "senior",  "sr",         "junior",    "jr",       "lead",          "principal", "staff",
    "chief",   "associate",  "assistant", "deputy",   "head",          "vice",      "managing",
    "general", "founding",   "interim",   "acting",   "entry-level",   "mid-level", "graduate",
    "trainee", "apprentice", "executive", "regional", "distinguished",
}));
constinit const std::span<const string_view> kSeniority{kSeniorityData};

// clang-format off
constexpr auto kTitleModifiersData = sorted(std::to_array<string_view>({
    "software", "data", "product", "project", "program", "programme", "engineering", "backend",
    "back-end", "frontend", "front-end", "fullstack", "full-stack", "full", "stack", "web",
    "mobile", "ios", "android", "cloud", "devops", "platform", "infrastructure", "systems",
    "system", "network", "security", "machine", "learning", "ml", "ai", "qa", "test", "quality",
    "assurance", "automation", "ux", "ui", "ux/ui", "ui/ux", "graphic", "visual", "interaction",
    "marketing", "sales", "account", "business", "financial", "finance", "operations", "customer",
    "success", "support", "service", "hr", "human", "resources", "research", "embedded", "game",
    "database", "solutions", "solution", "technical", "tech", "team", "site", "reliability",
    "content", "digital", "social", "media", "registered", "nurse", "clinical", "medical", "dental",
    "legal", "administrative", "office", "store", "retail", "restaurant", "district", "branch",
    "brand", "creative", "art", "design", "communications", "public", "relations", "pr", "event",
    "events", "supply", "chain", "logistics", "warehouse", "procurement", "purchasing", "inventory",
    "healthcare", "health", "safety", "environmental", "civil", "mechanical", "electrical",
    "chemical", "structural", "industrial", "manufacturing", "process", "hardware", "firmware",
    "computer", "information", "analytics", "bi", "etl", "big", "community", "growth",
    "performance", "seo", "email", "e-commerce", "ecommerce", "payroll", "tax", "audit",
    "investment", "credit", "risk", "compliance", "insurance", "real", "estate", "property",
    "construction", "elementary", "high", "school", "middle", "math", "mathematics", "science",
    "english", "history", "special", "education", "teaching", "postdoctoral", "lab", "laboratory",
    "release", "build", "integration", "api", "blockchain", "fintech", "vision", "nlp", "deep",
    "enterprise", "technology", "operating", "people", "scrum", "agile", "delivery", "field",
    "line", "pastry", "sous", "kitchen", "practice", "ward", "charge", "icu", "er", "pediatric",
    "staff", "python", "java", "javascript", "typescript", "php", "ruby", "golang", "go", "rust",
    "scala", "kotlin", "swift", "c++", "c#", ".net", "react", "angular", "vue", "node.js",
    "salesforce", "sap", "sql", "unity", "wordpress", "shopify", "flutter", "aws", "azure", "linux",
    "oracle", "tableau", "it", "litigation", "corporate", "truck", "diesel", "fleet", "primary",
    "secondary", "preschool", "kindergarten", "nursery", "forklift", "delivery", "bus", "taxi",
    "heavy", "equipment", "automotive", "aircraft", "maintenance", "hvac", "pipe",
    "sheet", "metal", "tig", "mig", "structural", "store", "shift", "floor",
    "postdoc", "doctoral", "graduate", "teaching", "paralegal", "family", "criminal", "immigration",
    "intellectual", "patent", "trial", "senior", "head", "executive", "pastoral", "youth", "care",
    "support", "surgical", "oncology", "pharmacy", "critical", "emergency", "mental",
    "occupational", "physical", "speech", "respiratory", "veterinary", "culinary", "banquet",
    "catering", "food", "beverage", "hospitality", "call", "center", "centre", "inside",
    "outside", "territory", "journeyman", "solar", "residential", "commercial",
}));
constinit const std::span<const string_view> kTitleModifiers{kTitleModifiersData};
// clang-format on

// Title words whose spelling is not just a capitalised first letter.
// clang-format off
constexpr auto kTitleSpellingsData = sorted(std::to_array<Entry>({
    {".net", ".NET"}, {"ai", "AI"}, {"api", "API"}, {"aws", "AWS"}, {"bi", "BI"}, {"ceo", "CEO"},
    {"cfo", "CFO"}, {"cio", "CIO"}, {"cofounder", "Co-Founder"}, {"coo", "COO"}, {"cpo", "CPO"},
    {"cto", "CTO"}, {"devops", "DevOps"}, {"ecommerce", "E-Commerce"}, {"er", "ER"}, {"etl", "ETL"},
    {"fullstack", "Full-Stack"}, {"golang", "Go"}, {"hr", "HR"}, {"icu", "ICU"}, {"ios", "iOS"},
    {"it", "IT"}, {"javascript", "JavaScript"}, {"jr", "Junior"}, {"ml", "ML"}, {"nlp", "NLP"},
    {"php", "PHP"}, {"pr", "PR"}, {"qa", "QA"}, {"sap", "SAP"}, {"seo", "SEO"}, {"sql", "SQL"},
    {"sr", "Senior"}, {"sre", "SRE"}, {"typescript", "TypeScript"}, {"ui", "UI"},
    {"ui/ux", "UI/UX"}, {"ux", "UX"}, {"ux/ui", "UX/UI"}, {"vp", "VP"}, {"vue", "Vue.js"},
    {"wordpress", "WordPress"},
}));
constinit const std::span<const Entry> kTitleSpellings{kTitleSpellingsData};
// clang-format on

// "devops" -> "DevOps", "entry-level" -> "Entry-Level".
string title_word(string_view lower_word) {
    if (const Entry* e = find_entry(kTitleSpellings, lower_word)) return string(e->display);
    string out(lower_word);
    bool start = true;
    for (char& c : out) {
        if (start && is_alpha(c)) {
            c = to_upper(c);
            start = false;
        } else if (c == '-' || c == '/') {
            start = true;
        }
    }
    return out;
}

// Words before a title showing it is someone else's ("reported to the CTO").
constexpr auto kTitleRejectBeforeData = sorted(std::to_array<string_view>({
    "the",   "with",  "our",   "their",  "his",       "her",  "my",      "your",
    "to",    "by",    "other", "every",  "each",      "many", "several", "two",
    "three", "four",  "five",  "six",    "alongside", "its",  "whose",   "this",
    "that",  "these", "those", "fellow", "junior's",  "some", "any",     "no",
}));
constinit const std::span<const string_view> kTitleRejectBefore{kTitleRejectBeforeData};

// After "a"/"an": only these make the title the user's own ("I am a", "worked as an").
constexpr auto kTitleArticleOkData = sorted(std::to_array<string_view>({
    "as",     "am",     "i'm",     "im",        "was",      "be",          "been",
    "became", "become", "is",      "currently", "now",      "formerly",    "previously",
    "also",   "i",      "being",   "hired",     "promoted", "experienced", "seasoned",
    "work",   "worked", "working", "started",   "employed", "serving",     "served",
}));
constinit const std::span<const string_view> kTitleArticleOk{kTitleArticleOkData};

constexpr auto kNameParticlesData = sorted(std::to_array<string_view>({
    "van", "von", "de",  "da",  "del", "der", "den", "la", "le", "bin", "al",   "di",
    "du",  "dos", "das", "ter", "ten", "y",   "i",   "e",  "zu", "ibn", "bint", "ben",
}));
constinit const std::span<const string_view> kNameParticles{kNameParticlesData};

// Capitalised words that are not personal names.
constexpr auto kNotNameWordsData = sorted(std::to_array<string_view>({
    "i",          "i'm",        "im",        "the",          "a",
    "an",         "my",         "me",        "hi",           "hello",
    "hey",        "dear",       "resume",    "cv",           "curriculum",
    "vitae",      "summary",    "profile",   "objective",    "experience",
    "education",  "skills",     "contact",   "about",        "professional",
    "work",       "career",     "personal",  "information",  "details",
    "new",        "san",        "los",       "las",          "united",
    "north",      "south",      "east",      "west",         "saint",
    "st",         "mount",      "january",   "february",     "march",
    "april",      "may",        "june",      "july",         "august",
    "september",  "october",    "november",  "december",     "monday",
    "tuesday",    "wednesday",  "thursday",  "friday",       "saturday",
    "sunday",     "inc",        "corp",      "corporation",  "llc",
    "ltd",        "gmbh",       "company",   "technologies", "technology",
    "solutions",  "labs",       "group",     "university",   "college",
    "institute",  "school",     "academy",   "bachelor",     "master",
    "masters",    "phd",        "bsc",       "msc",          "mba",
    "please",     "thanks",     "thank",     "write",        "create",
    "make",       "generate",   "help",      "ignore",       "here",
    "this",       "currently",  "recently",  "based",        "located",
    "looking",    "seeking",    "certified", "expert",       "experienced",
    "passionate", "skilled",    "results",   "highly",       "motivated",
    "dedicated",  "detail",     "freelance", "remote",       "full",
    "part",       "time",       "open",      "source",       "years",
    "year",       "team",       "project",   "projects",     "certifications",
    "languages",  "references", "available", "upon",         "request",
    "phone",      "email",      "linkedin",  "github",       "website",
    "portfolio",  "address",    "mobile",    "tel",          "and",
    "or",         "with",       "at",        "for",          "from",
    "in",         "on",         "to",        "of",           "as",
    "is",         "am",         "are",       "was",          "not",
    "just",       "also",       "very",      "so",           "but",
    "if",         "it",         "we",        "you",          "he",
    "she",        "they",       "our",       "your",         "his",
    "her",        "their",      "its",       "mr",           "mrs",
    "ms",         "dr",         "prof",      "sir",          "madam",
    "ich",        "bin",        "je",        "suis",         "yo",
    "soy",        "hola",       "bonjour",   "hallo",        "ciao",
    "sono",       "mi",
}));
constinit const std::span<const string_view> kNotNameWords{kNotNameWordsData};

// Capitalised words that cannot start an employer name after "at"/"for"/"joined".
constexpr auto kNotEmployerWordsData = sorted(std::to_array<string_view>({
    "i",         "i'm",         "my",           "a",           "an",         "this",
    "that",      "these",       "those",        "it",          "we",         "you",
    "he",        "she",         "they",         "our",         "your",       "his",
    "her",       "their",       "its",          "home",        "night",      "work",
    "christmas", "easter",      "first",        "last",        "least",      "most",
    "present",   "times",       "once",         "scale",       "all",        "one",
    "january",   "february",    "march",        "april",       "may",        "june",
    "july",      "august",      "september",    "october",     "november",   "december",
    "monday",    "tuesday",     "wednesday",    "thursday",    "friday",     "saturday",
    "sunday",    "jan",         "feb",          "mar",         "apr",        "jun",
    "jul",       "aug",         "sep",          "sept",        "oct",        "nov",
    "dec",       "senior",      "junior",       "lead",        "level",      "entry",
    "mid",       "startup",     "startups",     "company",     "companies",  "university",
    "college",   "school",      "the",          "and",         "or",         "please",
    "if",        "when",        "where",        "which",       "who",        "what",
    "how",       "why",         "some",         "any",         "no",         "each",
    "every",     "both",        "other",        "another",     "later",      "then",
    "now",       "today",       "tomorrow",     "yesterday",   "weekends",   "weekend",
    "remote",    "hybrid",      "scale",        "speed",       "large",      "small",
    "objective", "summary",     "profile",      "about",       "experience", "education",
    "skills",    "role",        "position",     "title",       "internship", "current",
    "goal",      "projects",    "project",      "contact",     "languages",  "employment",
    "job",       "occupation",  "profession",   "designation", "previous",   "employer",
    "name",      "achievement", "achievements", "email",       "phone",      "location",
    "address",   "website",     "portfolio",    "years",       "highlights", "responsibilities",
    "duties",    "references",
}));
constinit const std::span<const string_view> kNotEmployerWords{kNotEmployerWordsData};

constexpr auto kOrgSuffixesData = sorted(std::to_array<string_view>({
    "inc", "corp",    "corporation",  "llc",  "ltd",   "limited", "gmbh", "ag", "sa",  "plc",
    "co",  "company", "technologies", "labs", "group", "bv",      "oy",   "ab", "srl", "pty",
}));
constinit const std::span<const string_view> kOrgSuffixes{kOrgSuffixesData};

// Country-level place names, so "Nurse, Boston, MA" or "Engineer, Berlin, Germany" are read
// as a location rather than an employer.
constexpr auto kPlacesData = sorted(std::to_array<string_view>({
    "usa",     "us",       "uk",          "canada",       "germany",   "india",       "france",
    "spain",   "italy",    "netherlands", "australia",    "ireland",   "poland",      "brazil",
    "mexico",  "japan",    "china",       "singapore",    "sweden",    "switzerland", "remote",
    "israel",  "portugal", "austria",     "belgium",      "denmark",   "norway",      "finland",
    "nigeria", "kenya",    "egypt",       "turkey",       "ukraine",   "romania",     "argentina",
    "chile",   "colombia", "pakistan",    "bangladesh",   "indonesia", "philippines", "vietnam",
    "korea",   "england",  "scotland",    "wales",        "uae",       "dubai",       "london",
    "berlin",  "paris",    "toronto",     "remote-first", "worldwide",
}));
constinit const std::span<const string_view> kPlaces{kPlacesData};

bool place_token(string_view w) {
    return (w.size() == 2 && is_upper(w[0]) && is_upper(w[1])) || has_word(kPlaces, lower_copy(w));
}

constexpr auto kInstitutionWordsData = sorted(std::to_array<string_view>({
    "university",
    "college",
    "institute",
    "school",
    "academy",
    "polytechnic",
    "polytechnique",
    "universität",
    "universitat",
    "universidad",
    "université",
    "università",
    "universiteit",
    "conservatory",
    "conservatoire",
}));
constinit const std::span<const string_view> kInstitutionWords{kInstitutionWordsData};

constexpr auto kMonthsData = sorted(std::to_array<Entry>({
    {"jan", "Jan"},           {"january", "January"}, {"feb", "Feb"},
    {"february", "February"}, {"mar", "Mar"},         {"march", "March"},
    {"apr", "Apr"},           {"april", "April"},     {"may", "May"},
    {"jun", "Jun"},           {"june", "June"},       {"jul", "Jul"},
    {"july", "July"},         {"aug", "Aug"},         {"august", "August"},
    {"sep", "Sep"},           {"sept", "Sept"},       {"september", "September"},
    {"oct", "Oct"},           {"october", "October"}, {"nov", "Nov"},
    {"november", "November"}, {"dec", "Dec"},         {"december", "December"},
}));
constinit const std::span<const Entry> kMonths{kMonthsData};

// Degrees. `exact` entries are also common words or abbreviations ("MA", "BS") and must be
// written in capitals to count.

constexpr auto kDegreesData = std::to_array<Degree>({
    {"bsc", "B.Sc.", false},
    {"b.sc", "B.Sc.", false},
    {"b.s", "B.S.", false},
    {"BS", "B.S.", true},
    {"BA", "B.A.", true},
    {"b.a", "B.A.", false},
    {"msc", "M.Sc.", false},
    {"m.sc", "M.Sc.", false},
    {"m.s", "M.S.", false},
    {"MS", "M.S.", true},
    {"MA", "M.A.", true},
    {"m.a", "M.A.", false},
    {"mba", "MBA", false},
    {"m.b.a", "MBA", false},
    {"phd", "Ph.D.", false},
    {"ph.d", "Ph.D.", false},
    {"dphil", "DPhil", false},
    {"beng", "B.Eng.", false},
    {"b.eng", "B.Eng.", false},
    {"meng", "M.Eng.", false},
    {"m.eng", "M.Eng.", false},
    {"btech", "B.Tech.", false},
    {"b.tech", "B.Tech.", false},
    {"mtech", "M.Tech.", false},
    {"m.tech", "M.Tech.", false},
    {"bba", "BBA", false},
    {"bcom", "B.Com.", false},
    {"b.com", "B.Com.", false},
    {"llb", "LL.B.", false},
    {"ll.b", "LL.B.", false},
    {"mph", "MPH", false},
    {"msw", "MSW", false},
    {"bfa", "BFA", false},
    {"mfa", "MFA", false},
    {"bsn", "BSN", false},
    {"msn", "MSN", false},
    {"bachelor's", "Bachelor's", false},
    {"bachelors", "Bachelor's", false},
    {"bachelor", "Bachelor's", false},
    {"master's", "Master's", false},
    {"masters", "Master's", false},
    {"master", "Master's", false},
    {"doctorate", "Doctorate", false},
    {"associate's", "Associate's", false},
    {"diploma", "Diploma", false},
    {"b.ed", "B.Ed.", false},
    {"BEd", "B.Ed.", true},
    {"m.ed", "M.Ed.", false},
    {"MEd", "M.Ed.", true},
    {"ed.d", "Ed.D.", false},
    {"edd", "Ed.D.", false},
    {"j.d", "J.D.", false},
    {"JD", "J.D.", true},
    {"m.d", "M.D.", false},
    {"MD", "M.D.", true},
    {"ll.m", "LL.M.", false},
    {"pharmd", "PharmD", false},
    {"pharm.d", "PharmD", false},
    {"pgce", "PGCE", false},
    {"dds", "DDS", false},
    {"dvm", "DVM", false},
    {"dnp", "DNP", false},
    {"aas", "A.A.S.", false},
    {"a.a.s", "A.A.S.", false},
    {"hnd", "HND", false},
    {"ged", "GED", false},
});
constinit const std::span<const Degree> kDegrees{kDegreesData};

// "Bachelor of Science" style names mapped to their usual abbreviation.
constexpr auto kDegreeOfData = std::to_array<Degree>({
    {"bachelor science", "B.Sc.", false},
    {"bachelor arts", "B.A.", false},
    {"bachelor engineering", "B.Eng.", false},
    {"bachelor technology", "B.Tech.", false},
    {"bachelor business administration", "BBA", false},
    {"bachelor fine arts", "BFA", false},
    {"master science", "M.Sc.", false},
    {"master arts", "M.A.", false},
    {"master engineering", "M.Eng.", false},
    {"master technology", "M.Tech.", false},
    {"master business administration", "MBA", false},
    {"master fine arts", "MFA", false},
    {"doctor philosophy", "Ph.D.", false},
});
constinit const std::span<const Degree> kDegreeOf{kDegreeOfData};

// Achievement verbs: a sentence built around one becomes an experience bullet.
constexpr auto kPastVerbsData = sorted(std::to_array<string_view>({
    "led",          "built",        "shipped",      "reduced",       "increased",
    "designed",     "launched",     "managed",      "improved",      "migrated",
    "developed",    "created",      "mentored",     "implemented",   "architected",
    "delivered",    "automated",    "optimized",    "optimised",     "scaled",
    "owned",        "drove",        "grew",         "cut",           "saved",
    "established",  "founded",      "co-founded",   "streamlined",   "spearheaded",
    "coordinated",  "trained",      "wrote",        "authored",      "deployed",
    "maintained",   "refactored",   "introduced",   "oversaw",       "negotiated",
    "achieved",     "won",          "organized",    "organised",     "supervised",
    "handled",      "taught",       "resolved",     "boosted",       "accelerated",
    "generated",    "expanded",     "rebuilt",      "redesigned",    "rewrote",
    "integrated",   "contributed",  "collaborated", "partnered",     "published",
    "presented",    "analyzed",     "analysed",     "reviewed",      "hired",
    "recruited",    "closed",       "sold",         "exceeded",      "raised",
    "lowered",      "decreased",    "doubled",      "tripled",       "halved",
    "eliminated",   "transformed",  "modernized",   "modernised",    "consolidated",
    "standardized", "standardised", "pioneered",    "initiated",     "orchestrated",
    "directed",     "headed",       "championed",   "facilitated",   "produced",
    "engineered",   "programmed",   "coded",        "tested",        "debugged",
    "secured",      "audited",      "prepared",     "processed",     "administered",
    "configured",   "installed",    "supported",    "served",        "assisted",
    "conducted",    "researched",   "evaluated",    "identified",    "defined",
    "planned",      "prioritized",  "prioritised",  "executed",      "completed",
    "received",     "helped",       "enabled",      "ensured",       "guided",
    "coached",      "onboarded",    "converted",    "attracted",     "retained",
    "curated",      "edited",       "instructed",   "tutored",       "cared",
    "treated",      "monitored",    "operated",     "repaired",      "inspected",
    "scheduled",    "forecasted",   "budgeted",     "reconciled",    "drafted",
    "landed",       "captured",     "cultivated",   "revamped",      "overhauled",
    "simplified",   "unified",      "replaced",     "containerized", "containerised",
    "instrumented", "benchmarked",  "profiled",     "parallelized",  "parallelised",
    "translated",   "shaped",       "invented",     "patented",      "secured",
    "ran",          "run",          "made",         "set",           "turned",
    "moved",        "ported",       "upgraded",     "shortened",     "sped",
    "taught",       "drafted",      "filed",        "organized",     "won",
}));
constinit const std::span<const string_view> kPastVerbs{kPastVerbsData};

// Present-tense forms count only right after "I"/"we" ("I lead ..."), since most are nouns too.
constexpr auto kPresentVerbsData = sorted(std::to_array<string_view>({
    "lead",       "build",     "ship",     "manage",   "design",    "develop", "create",
    "mentor",     "implement", "maintain", "own",      "run",       "drive",   "oversee",
    "coordinate", "write",     "teach",    "train",    "support",   "handle",  "deliver",
    "architect",  "automate",  "optimize", "optimise", "supervise", "deploy",  "analyze",
    "analyse",    "test",      "help",     "grow",     "scale",     "treat",
}));
constinit const std::span<const string_view> kPresentVerbs{kPresentVerbsData};

// Words allowed between the subject and the verb: "I have also led", "we successfully shipped".
constexpr auto kSubjectFillersData = sorted(std::to_array<string_view>({
    "have",          "had",
    "also",          "then",
    "recently",      "successfully",
    "personally",    "directly",
    "later",         "eventually",
    "previously",    "further",
    "additionally",  "single-handedly",
    "independently", "actively",
    "currently",     "now",
    "jointly",       "together",
    "proudly",       "once",
    "often",         "regularly",
    "routinely",
}));
constinit const std::span<const string_view> kSubjectFillers{kSubjectFillersData};

// Sentences that talk to the model rather than about the user: dropped before any analysis.
constexpr auto kInjectionPhrasesData = std::to_array<string_view>({
    "ignore all",
    "ignore previous",
    "ignore the previous",
    "ignore the above",
    "ignore above",
    "ignore your",
    "ignore any",
    "ignore prior",
    "ignore these",
    "ignore those",
    "ignore instructions",
    "ignore the instructions",
    "ignore everything",
    "disregard",
    "you are now",
    "you're now",
    "system prompt",
    "new instructions",
    "forget all",
    "forget your",
    "forget everything",
    "forget previous",
    "forget the above",
    "pretend to be",
    "pretend you",
    "jailbreak",
    "developer mode",
    "do anything now",
    "reveal your",
    "print your instructions",
    "repeat your instructions",
    "your instructions",
    "previous instructions",
    "prior instructions",
    "above instructions",
    "as an ai",
    "as a language model",
    "you are a language model",
    "act as a",
    "act as an",
    "act as my",
    "roleplay as",
    "role-play as",
    "from now on",
    "override your",
    "bypass your",
    "respond only with",
    "output only",
    "instead of a resume",
    "instead of the resume",
    "do not generate",
    "don't generate",
    "stop being",
    "you must now",
    "<|im_start|>",
});
constinit const std::span<const string_view> kInjectionPhrases{kInjectionPhrasesData};

// Markers of a request that is not about the user's career.
constexpr auto kOffTopicPhrasesData = std::to_array<Weighted>({
    {"poem", 6},
    {"poems", 6},
    {"poetry", 6},
    {"haiku", 6},
    {"limerick", 6},
    {"sonnet", 6},
    {"lyrics", 6},
    {"song", 4},
    {"recipe", 6},
    {"recipes", 6},
    {"ingredients", 3},
    {"joke", 6},
    {"jokes", 6},
    {"riddle", 5},
    {"story", 3},
    {"bedtime story", 6},
    {"short story", 6},
    {"fairy tale", 6},
    {"capital of", 6},
    {"weather", 5},
    {"translate", 4},
    {"what is", 2},
    {"what's", 2},
    {"what are", 2},
    {"who is", 2},
    {"who was", 2},
    {"who won", 4},
    {"when did", 2},
    {"when was", 2},
    {"where is", 2},
    {"how many", 2},
    {"how much", 2},
    {"how do i", 2},
    {"how to", 2},
    {"how does", 2},
    {"why is", 2},
    {"why do", 2},
    {"tell me", 2},
    {"explain", 2},
    {"write a function", 6},
    {"write code", 6},
    {"write a program", 6},
    {"write a script", 6},
    {"code for", 3},
    {"function that", 4},
    {"function to", 4},
    {"script that", 3},
    {"script to", 3},
    {"sql query", 3},
    {"fix my code", 6},
    {"debug my", 5},
    {"hello world", 3},
    {"fibonacci", 5},
    {"reverse a string", 5},
    {"sort an array", 4},
    {"sort a list", 4},
    {"solve", 3},
    {"equation", 4},
    {"math problem", 5},
    {"homework", 5},
    {"calculate", 3},
    {"essay", 4},
    {"summarize", 3},
    {"summarise", 3},
    {"movie", 3},
    {"movies", 3},
    {"recommend", 2},
    {"horoscope", 6},
    {"meaning of life", 6},
    {"population of", 6},
    {"who invented", 5},
    {"cats", 2},
    {"pizza", 2},
    {"cake", 2},
    {"pancakes", 3},
    {"football", 2},
    {"soccer", 2},
    {"write me a", 1},
    {"write a", 1},
    {"compose", 2},
    {"draw", 2},
    {"image of", 3},
    {"picture of", 3},
    {"hello", 1},
    {"how are you", 4},
    {"who are you", 5},
    {"what can you do", 4},
    {"your name", 3},
    {"bitcoin", 2},
    {"stock price", 4},
    {"news", 2},
    {"itinerary", 5},
    {"love letter", 6},
    {"birthday", 3},
    {"wedding speech", 6},
    {"lasagna", 3},
    {"cover letter", 6},
});
constinit const std::span<const Weighted> kOffTopicPhrases{kOffTopicPhrasesData};

// Words that show the text is about someone's working life.
constexpr auto kCareerPhrasesData = std::to_array<Weighted>({
    {"resume", 4},      {"résumé", 4},
    {"cv", 4},          {"curriculum vitae", 4},
    {"experience", 1},  {"experienced", 1},
    {"career", 1},      {"job", 1},
    {"jobs", 1},        {"worked", 1},
    {"work", 1},        {"working", 1},
    {"employed", 1},    {"employer", 1},
    {"hired", 1},       {"internship", 1},
    {"intern", 1},      {"graduated", 1},
    {"degree", 1},      {"university", 1},
    {"college", 1},     {"skills", 1},
    {"skill", 1},       {"position", 1},
    {"role", 1},        {"professional", 1},
    {"company", 1},     {"team", 1},
    {"promoted", 1},    {"certified", 1},
    {"portfolio", 1},   {"linkedin", 1},
    {"projects", 1},    {"project", 1},
    {"interview", 1},   {"freelance", 1},
    {"clients", 1},     {"responsibilities", 1},
    {"responsible", 1}, {"achievements", 1},
    {"engineer", 1},    {"developer", 1},
    {"manager", 1},     {"designer", 1},
    {"analyst", 1},     {"nurse", 1},
    {"teacher", 1},     {"years", 1},
});
constinit const std::span<const Weighted> kCareerPhrases{kCareerPhrasesData};

constexpr auto kProjectMarkersData = std::to_array<string_view>({
    "side project",
    "side-project",
    "personal project",
    "pet project",
    "hobby project",
    "open-source",
    "open source",
    "hackathon",
    "project called",
    "project named",
    "capstone",
    "projects:",
    "project:",
});
constinit const std::span<const string_view> kProjectMarkers{kProjectMarkersData};

constexpr auto kCertAcronymsData = sorted(std::to_array<Entry>({
    {"PMP", "PMP"},           {"CISSP", "CISSP"},
    {"CISM", "CISM"},         {"CISA", "CISA"},
    {"CPA", "CPA"},           {"CFA", "CFA"},
    {"CKA", "CKA"},           {"CKAD", "CKAD"},
    {"CKS", "CKS"},           {"CCNA", "CCNA"},
    {"CCNP", "CCNP"},         {"CCIE", "CCIE"},
    {"CSM", "CSM"},           {"PSM", "PSM"},
    {"CSPO", "CSPO"},         {"ITIL", "ITIL"},
    {"PRINCE2", "PRINCE2"},   {"CEH", "CEH"},
    {"OSCP", "OSCP"},         {"RHCE", "RHCE"},
    {"RHCSA", "RHCSA"},       {"SHRM-CP", "SHRM-CP"},
    {"SHRM-SCP", "SHRM-SCP"}, {"PHR", "PHR"},
    {"ACLS", "ACLS"},         {"BLS", "BLS"},
    {"PALS", "PALS"},         {"CAPM", "CAPM"},
    {"TOGAF", "TOGAF"},       {"MCSE", "MCSE"},
    {"MCSA", "MCSA"},         {"Security+", "CompTIA Security+"},
    {"ACCA", "ACCA"},         {"CIMA", "CIMA"},
    {"CMA", "CMA"},           {"CDL", "CDL"},
    {"ServSafe", "ServSafe"}, {"CWI", "CWI"},
    {"NCLEX-RN", "NCLEX-RN"}, {"FRM", "FRM"},
    {"CIPD", "CIPD"},         {"CSCS", "CSCS"},
    {"OSHA", "OSHA"},         {"Network+", "CompTIA Network+"},
}));
constinit const std::span<const Entry> kCertAcronyms{kCertAcronymsData};

template <typename Table>
PhraseIndex build_phrase_index(const Table& table) {
    PhraseIndex idx;
    for (size_t i = 0; i < table.size(); ++i) {
        const string_view p = phrase_of(table[i]);
        idx.buckets[static_cast<unsigned char>(p[0])].push_back(static_cast<std::uint16_t>(i));
    }
    return idx;
}

const PhraseIndex& injection_index() {
    static const PhraseIndex idx = build_phrase_index(kInjectionPhrases);
    return idx;
}
const PhraseIndex& off_topic_index() {
    static const PhraseIndex idx = build_phrase_index(kOffTopicPhrases);
    return idx;
}
const PhraseIndex& career_index() {
    static const PhraseIndex idx = build_phrase_index(kCareerPhrases);
    return idx;
}

}  // namespace resumate::offline::detail
