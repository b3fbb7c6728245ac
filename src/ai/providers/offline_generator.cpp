#include "ai/providers/offline_generator.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// "ResuMate Offline" reads free text with hand-written scanners (no std::regex: it is slow,
// recursion-heavy and warns under GCC 12 sanitizer builds) and only rearranges what the user
// stated. Every table is constexpr, the single lazily built index is immutable after its
// thread-safe initialisation, so the generator is pure and safe to call from any thread.

namespace resumate::ai {
namespace {

using std::size_t;
using std::string;
using std::string_view;

// Facts sit in the first pages of a pasted CV; a fixed cap keeps a 1 MiB body as cheap as a
// normal request.
constexpr size_t kMaxAnalysedBytes = 20000;
constexpr size_t kMaxRoles = 6;
constexpr size_t kMaxBulletsPerRole = 8;
constexpr size_t kMaxSkills = 40;
constexpr size_t kMaxSkillsPerGroup = 12;
constexpr size_t kMaxBulletBytes = 320;
constexpr size_t kMaxEducation = 4;
constexpr size_t kMaxCertifications = 8;
constexpr size_t kMaxProjects = 6;

// ---------------------------------------------------------------------------------------------
// Character helpers. Only ASCII is case-folded: that is all the keyword tables need, and it
// keeps byte offsets identical between the original text and its lower-case copy.

constexpr bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
constexpr bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}
constexpr bool is_alpha(char c) {
    return is_upper(c) || is_lower(c);
}
constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_alnum(char c) {
    return is_alpha(c) || is_digit(c);
}
constexpr bool is_high(char c) {
    return static_cast<unsigned char>(c) >= 0x80;
}
constexpr char to_lower(char c) {
    return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr char to_upper(char c) {
    return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

string lower_copy(string_view s) {
    string r(s);
    for (char& c : r) c = to_lower(c);
    return r;
}

bool iequals(string_view a, string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

bool all_spaces(string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' '; });
}

string_view trim(string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

// ---------------------------------------------------------------------------------------------
// UTF-8. Input is untrusted: invalid, overlong and surrogate sequences are dropped byte by byte,
// so output is always valid UTF-8 and a multi-byte character is never split.

struct Decoded {
    char32_t cp;
    size_t len;  // 0 = invalid at this position
};

Decoded decode_utf8(string_view s, size_t i) {
    const auto c0 = static_cast<unsigned char>(s[i]);
    if (c0 < 0x80) return {c0, 1};
    size_t len = 0;
    char32_t cp = 0;
    if (c0 >= 0xC2 && c0 <= 0xDF) {
        len = 2;
        cp = c0 & 0x1Fu;
    } else if (c0 >= 0xE0 && c0 <= 0xEF) {
        len = 3;
        cp = c0 & 0x0Fu;
    } else if (c0 >= 0xF0 && c0 <= 0xF4) {
        len = 4;
        cp = c0 & 0x07u;
    } else {
        return {0, 0};
    }
    if (i + len > s.size()) return {0, 0};
    for (size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0u) != 0x80u) return {0, 0};
        cp = (cp << 6) | (c & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return {0, 0};
    return {cp, len};
}

void append_utf8(string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Letters of any script may appear in names and company names; symbols, punctuation and emoji
// separate words just like ASCII punctuation does.
bool is_word_cp(char32_t cp) {
    if (cp < 0x80) return is_alnum(static_cast<char>(cp));
    if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7) return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;
    if (cp >= 0x3000 && cp <= 0x303F) return false;
    if (cp >= 0xE000 && cp <= 0xF8FF) return false;
    if (cp >= 0xFE00 && cp <= 0xFE4F) return false;
    if (cp >= 0xFF00 && cp <= 0xFF0F) return false;
    return cp < 0x1F000;
}

// Whether a word starts like a proper noun. Caseless scripts (CJK, Arabic, Hebrew, ...) count
// as capitalised so an explicit "My name is ..." works for every script.
bool is_capital_cp(char32_t cp) {
    if (cp < 0x80) return is_upper(static_cast<char>(cp));
    if (cp >= 0xC0 && cp <= 0xDE) return cp != 0xD7;
    if (cp < 0x100) return false;
    if (cp <= 0x17F)
        return (cp <= 0x137 || (cp >= 0x14A && cp <= 0x177)) ? cp % 2 == 0 : cp % 2 == 1;
    if (cp < 0x370) return false;
    if (cp >= 0x391 && cp <= 0x3A9) return true;
    if (cp < 0x400) return false;
    if (cp <= 0x42F) return true;
    if (cp <= 0x52F) return false;
    return is_word_cp(cp);
}

size_t word_char_len(string_view s, size_t i) {
    if (!is_high(s[i])) return is_alnum(s[i]) ? 1 : 0;
    const Decoded d = decode_utf8(s, i);
    return (d.len != 0 && is_word_cp(d.cp)) ? d.len : 0;
}

size_t char_len(string_view s, size_t i) {
    if (!is_high(s[i])) return 1;
    const Decoded d = decode_utf8(s, i);
    return d.len == 0 ? 1 : d.len;
}

bool starts_capital(string_view w) {
    if (w.empty()) return false;
    const Decoded d = decode_utf8(w, 0);
    return d.len != 0 && is_capital_cp(d.cp);
}

// ---------------------------------------------------------------------------------------------
// Sorted constexpr tables, searched with binary search.

struct Entry {
    string_view key;      // lower case
    string_view display;  // canonical spelling
};

template <size_t N>
constexpr std::array<Entry, N> sorted(std::array<Entry, N> a) {
    std::sort(a.begin(), a.end(), [](const Entry& x, const Entry& y) { return x.key < y.key; });
    return a;
}

template <size_t N>
constexpr std::array<string_view, N> sorted(std::array<string_view, N> a) {
    std::sort(a.begin(), a.end());
    return a;
}

template <size_t N>
const Entry* find_entry(const std::array<Entry, N>& table, string_view key) {
    const auto* it = std::lower_bound(table.begin(), table.end(), key,
                                      [](const Entry& e, string_view k) { return e.key < k; });
    return (it != table.end() && it->key == key) ? it : nullptr;
}

template <size_t N>
bool has_word(const std::array<string_view, N>& table, string_view w) {
    return std::binary_search(table.begin(), table.end(), w);
}

// ---------------------------------------------------------------------------------------------
// Skills. Aliases are '|'-separated. Lower-case aliases match case-insensitively; an alias with
// a capital ("ML", "REST") or an entry flagged kExact matches only as written, because the word
// is also ordinary English ("Excel", "Swift"). kContext additionally requires list-like
// surroundings ("Go, Rust", "in R", "C/C++"): one-letter and everyday words would match prose.

enum class Cat : std::uint8_t { Lang, Frame, Data, Cloud, Tool, Soft, Other };
constexpr std::uint8_t kExact = 1;
constexpr std::uint8_t kContext = 2;

struct Skill {
    string_view name;
    string_view aliases;
    Cat cat;
    std::uint8_t flags;
};

constexpr auto kSkills = std::to_array<Skill>({
    // Programming languages
    {"Python", "python|python3", Cat::Lang, 0},
    {"Java", "java", Cat::Lang, 0},
    {"JavaScript", "javascript|js|ecmascript|es6", Cat::Lang, 0},
    {"TypeScript", "typescript", Cat::Lang, 0},
    {"C++", "c++|cpp|c++11|c++14|c++17|c++20|c++23", Cat::Lang, 0},
    {"C#", "c#|csharp", Cat::Lang, 0},
    {"C", "C", Cat::Lang, kExact | kContext},
    {"Go", "golang", Cat::Lang, 0},
    {"Go", "Go", Cat::Lang, kExact | kContext},
    {"Rust", "rust", Cat::Lang, 0},
    {"Ruby", "Ruby", Cat::Lang, kExact | kContext},
    {"PHP", "php", Cat::Lang, 0},
    {"Swift", "Swift", Cat::Lang, kExact},
    {"Kotlin", "kotlin", Cat::Lang, 0},
    {"Scala", "scala", Cat::Lang, 0},
    {"R", "R", Cat::Lang, kExact | kContext},
    {"MATLAB", "matlab", Cat::Lang, 0},
    {"Perl", "perl", Cat::Lang, 0},
    {"Haskell", "haskell", Cat::Lang, 0},
    {"Elixir", "elixir", Cat::Lang, 0},
    {"Erlang", "erlang", Cat::Lang, 0},
    {"Clojure", "clojure", Cat::Lang, 0},
    {"F#", "f#", Cat::Lang, 0},
    {"Dart", "dart", Cat::Lang, 0},
    {"Lua", "lua", Cat::Lang, 0},
    {"Julia", "Julia", Cat::Lang, kExact | kContext},
    {"Objective-C", "objective-c|objc", Cat::Lang, 0},
    {"VBA", "vba", Cat::Lang, 0},
    {"Bash", "bash|shell scripting", Cat::Lang, 0},
    {"PowerShell", "powershell", Cat::Lang, 0},
    {"SQL", "sql", Cat::Lang, 0},
    {"T-SQL", "t-sql", Cat::Lang, 0},
    {"PL/SQL", "pl/sql", Cat::Lang, 0},
    {"HTML", "html|html5", Cat::Lang, 0},
    {"CSS", "css|css3", Cat::Lang, 0},
    {"Sass", "sass|scss", Cat::Lang, 0},
    {"Solidity", "solidity", Cat::Lang, 0},
    {"Assembly", "assembly language|x86 assembly|arm assembly", Cat::Lang, 0},
    {"COBOL", "cobol", Cat::Lang, 0},
    {"Fortran", "fortran", Cat::Lang, 0},
    {"Groovy", "groovy", Cat::Lang, 0},
    {"OCaml", "ocaml", Cat::Lang, 0},
    {"Zig", "Zig", Cat::Lang, kExact},
    // Frameworks and libraries
    {"React", "react|react.js|reactjs", Cat::Frame, 0},
    {"React Native", "react native", Cat::Frame, 0},
    {"Angular", "angular|angularjs", Cat::Frame, 0},
    {"Vue.js", "vue|vue.js|vuejs", Cat::Frame, 0},
    {"Svelte", "svelte|sveltekit", Cat::Frame, 0},
    {"Next.js", "next.js|nextjs", Cat::Frame, 0},
    {"Nuxt", "nuxt|nuxt.js", Cat::Frame, 0},
    {"Node.js", "node.js|nodejs", Cat::Frame, 0},
    {"Express", "express.js|expressjs", Cat::Frame, 0},
    {"Express", "Express", Cat::Frame, kExact | kContext},
    {"NestJS", "nestjs", Cat::Frame, 0},
    {"Django", "django", Cat::Frame, 0},
    {"Flask", "flask", Cat::Frame, 0},
    {"FastAPI", "fastapi", Cat::Frame, 0},
    {"Spring Boot", "spring boot", Cat::Frame, 0},
    {"Spring", "spring framework", Cat::Frame, 0},
    {"Spring", "Spring", Cat::Frame, kExact | kContext},
    {"Ruby on Rails", "ruby on rails|rails", Cat::Frame, 0},
    {"Laravel", "laravel", Cat::Frame, 0},
    {"Symfony", "symfony", Cat::Frame, 0},
    {".NET", ".net|dotnet|.net core", Cat::Frame, 0},
    {"ASP.NET", "asp.net|asp.net core", Cat::Frame, 0},
    {"Entity Framework", "entity framework", Cat::Frame, 0},
    {"jQuery", "jquery", Cat::Frame, 0},
    {"Bootstrap", "Bootstrap", Cat::Frame, kExact},
    {"Tailwind CSS", "tailwind|tailwindcss|tailwind css", Cat::Frame, 0},
    {"Redux", "redux", Cat::Frame, 0},
    {"GraphQL", "graphql", Cat::Frame, 0},
    {"REST APIs", "rest api|rest apis|restful|restful apis|restful api|REST", Cat::Frame, 0},
    {"gRPC", "grpc", Cat::Frame, 0},
    {"Qt", "Qt", Cat::Frame, kExact},
    {"Boost", "Boost", Cat::Frame, kExact | kContext},
    {"Unity", "Unity", Cat::Frame, kExact},
    {"Unreal Engine", "unreal engine|unreal", Cat::Frame, 0},
    {"TensorFlow", "tensorflow", Cat::Frame, 0},
    {"PyTorch", "pytorch", Cat::Frame, 0},
    {"Keras", "keras", Cat::Frame, 0},
    {"scikit-learn", "scikit-learn|sklearn|scikit learn", Cat::Frame, 0},
    {"Pandas", "pandas", Cat::Frame, 0},
    {"NumPy", "numpy", Cat::Frame, 0},
    {"SciPy", "scipy", Cat::Frame, 0},
    {"Matplotlib", "matplotlib", Cat::Frame, 0},
    {"Hugging Face", "hugging face|huggingface", Cat::Frame, 0},
    {"LangChain", "langchain", Cat::Frame, 0},
    {"OpenCV", "opencv", Cat::Frame, 0},
    {"Apache Spark", "apache spark|pyspark|Spark", Cat::Frame, 0},
    {"Hadoop", "hadoop", Cat::Frame, 0},
    {"Apache Kafka", "apache kafka|kafka", Cat::Frame, 0},
    {"Apache Airflow", "apache airflow|airflow", Cat::Frame, 0},
    {"RabbitMQ", "rabbitmq", Cat::Frame, 0},
    {"dbt", "dbt", Cat::Frame, 0},
    {"Flutter", "flutter", Cat::Frame, 0},
    {"SwiftUI", "swiftui", Cat::Frame, 0},
    {"Jetpack Compose", "jetpack compose", Cat::Frame, 0},
    {"Electron", "electron.js|electronjs", Cat::Frame, 0},
    {"Webpack", "webpack", Cat::Frame, 0},
    {"Vite", "Vite", Cat::Frame, kExact},
    {"Jest", "jest", Cat::Frame, 0},
    {"Cypress", "cypress", Cat::Frame, 0},
    {"Selenium", "selenium", Cat::Frame, 0},
    {"Playwright", "playwright", Cat::Frame, 0},
    {"JUnit", "junit", Cat::Frame, 0},
    {"pytest", "pytest", Cat::Frame, 0},
    {"GoogleTest", "googletest|gtest|google test", Cat::Frame, 0},
    {"Storybook", "storybook", Cat::Frame, 0},
    {"Three.js", "three.js|threejs", Cat::Frame, 0},
    {"D3.js", "d3.js|d3", Cat::Frame, 0},
    {"Material UI", "material ui|material-ui|mui", Cat::Frame, 0},
    {"Ionic", "Ionic", Cat::Frame, kExact},
    {"Xamarin", "xamarin", Cat::Frame, 0},
    {"WordPress", "wordpress", Cat::Frame, 0},
    {"Shopify", "shopify", Cat::Frame, 0},
    {"Drupal", "drupal", Cat::Frame, 0},
    {"Magento", "magento", Cat::Frame, 0},
    {"Hibernate", "hibernate", Cat::Frame, 0},
    {"RxJS", "rxjs", Cat::Frame, 0},
    {"Celery", "celery", Cat::Frame, 0},
    {"WebSockets", "websockets|websocket", Cat::Frame, 0},
    {"OAuth", "oauth|oauth2|oauth 2.0", Cat::Frame, 0},
    // Databases, data and machine learning
    {"PostgreSQL", "postgresql|postgres|psql", Cat::Data, 0},
    {"MySQL", "mysql", Cat::Data, 0},
    {"SQLite", "sqlite", Cat::Data, 0},
    {"SQL Server", "sql server|mssql|ms sql|microsoft sql server", Cat::Data, 0},
    {"Oracle Database", "oracle database|oracle db|oracle sql", Cat::Data, 0},
    {"MongoDB", "mongodb|mongo", Cat::Data, 0},
    {"Redis", "redis", Cat::Data, 0},
    {"Elasticsearch", "elasticsearch|elastic search", Cat::Data, 0},
    {"OpenSearch", "opensearch", Cat::Data, 0},
    {"Cassandra", "cassandra", Cat::Data, 0},
    {"DynamoDB", "dynamodb", Cat::Data, 0},
    {"Firebase", "firebase", Cat::Data, 0},
    {"Supabase", "supabase", Cat::Data, 0},
    {"Snowflake", "snowflake", Cat::Data, 0},
    {"BigQuery", "bigquery", Cat::Data, 0},
    {"Redshift", "redshift", Cat::Data, 0},
    {"Databricks", "databricks", Cat::Data, 0},
    {"MariaDB", "mariadb", Cat::Data, 0},
    {"Neo4j", "neo4j", Cat::Data, 0},
    {"ClickHouse", "clickhouse", Cat::Data, 0},
    {"InfluxDB", "influxdb", Cat::Data, 0},
    {"Data Analysis", "data analysis|data analytics", Cat::Data, 0},
    {"Data Visualization", "data visualization|data visualisation", Cat::Data, 0},
    {"Machine Learning", "machine learning|ML", Cat::Data, 0},
    {"Deep Learning", "deep learning", Cat::Data, 0},
    {"NLP", "nlp|natural language processing", Cat::Data, 0},
    {"Computer Vision", "computer vision", Cat::Data, 0},
    {"Statistics", "statistics|statistical analysis|statistical modeling", Cat::Data, 0},
    {"A/B Testing", "a/b testing|a/b tests|ab testing", Cat::Data, 0},
    {"ETL", "etl|elt", Cat::Data, 0},
    {"Data Engineering", "data engineering", Cat::Data, 0},
    {"Data Modeling", "data modeling|data modelling", Cat::Data, 0},
    {"Big Data", "big data", Cat::Data, 0},
    {"LLMs", "llm|llms|large language models|large language model", Cat::Data, 0},
    {"Generative AI", "generative ai|genai", Cat::Data, 0},
    {"Prompt Engineering", "prompt engineering", Cat::Data, 0},
    {"MLOps", "mlops", Cat::Data, 0},
    {"Tableau", "tableau", Cat::Data, 0},
    {"Power BI", "power bi|powerbi", Cat::Data, 0},
    {"Looker", "looker", Cat::Data, 0},
    {"Excel", "Excel|microsoft excel|ms excel|excel spreadsheets", Cat::Data, 0},
    {"Google Sheets", "google sheets", Cat::Data, 0},
    {"SPSS", "spss", Cat::Data, 0},
    {"SAS", "SAS", Cat::Data, kExact},
    {"Stata", "stata", Cat::Data, 0},
    {"Jupyter", "jupyter", Cat::Data, 0},
    // Cloud, DevOps, infrastructure and security
    {"AWS", "aws|amazon web services", Cat::Cloud, 0},
    {"Azure", "azure|microsoft azure", Cat::Cloud, 0},
    {"Google Cloud", "gcp|google cloud|google cloud platform", Cat::Cloud, 0},
    {"Docker", "docker", Cat::Cloud, 0},
    {"Kubernetes", "kubernetes|k8s", Cat::Cloud, 0},
    {"Terraform", "terraform", Cat::Cloud, 0},
    {"Ansible", "ansible", Cat::Cloud, 0},
    {"Puppet", "Puppet", Cat::Cloud, kExact | kContext},
    {"Jenkins", "jenkins", Cat::Cloud, 0},
    {"GitHub Actions", "github actions", Cat::Cloud, 0},
    {"GitLab CI", "gitlab ci|gitlab ci/cd", Cat::Cloud, 0},
    {"CircleCI", "circleci", Cat::Cloud, 0},
    {"CI/CD", "ci/cd|cicd|continuous integration|continuous delivery|continuous deployment",
     Cat::Cloud, 0},
    {"Linux", "linux", Cat::Cloud, 0},
    {"Unix", "unix", Cat::Cloud, 0},
    {"Nginx", "nginx", Cat::Cloud, 0},
    {"Helm", "Helm", Cat::Cloud, kExact},
    {"Prometheus", "prometheus", Cat::Cloud, 0},
    {"Grafana", "grafana", Cat::Cloud, 0},
    {"Datadog", "datadog", Cat::Cloud, 0},
    {"Splunk", "splunk", Cat::Cloud, 0},
    {"ELK Stack", "elk|elk stack", Cat::Cloud, 0},
    {"AWS Lambda", "aws lambda|Lambda", Cat::Cloud, 0},
    {"Serverless", "serverless", Cat::Cloud, 0},
    {"Heroku", "heroku", Cat::Cloud, 0},
    {"Vercel", "vercel", Cat::Cloud, 0},
    {"Cloudflare", "cloudflare", Cat::Cloud, 0},
    {"OpenShift", "openshift", Cat::Cloud, 0},
    {"Istio", "istio", Cat::Cloud, 0},
    {"Argo CD", "argo cd|argocd", Cat::Cloud, 0},
    {"Pulumi", "pulumi", Cat::Cloud, 0},
    {"Infrastructure as Code", "infrastructure as code|iac", Cat::Cloud, 0},
    {"Observability", "observability", Cat::Cloud, 0},
    {"Microservices", "microservices|microservice architecture|microservice", Cat::Cloud, 0},
    {"Distributed Systems", "distributed systems", Cat::Cloud, 0},
    {"Cybersecurity", "cybersecurity|cyber security|information security|infosec", Cat::Cloud, 0},
    {"Penetration Testing", "penetration testing|pentesting|pen testing", Cat::Cloud, 0},
    {"TCP/IP", "tcp/ip", Cat::Cloud, 0},
    {"VMware", "vmware", Cat::Cloud, 0},
    {"Active Directory", "active directory", Cat::Cloud, 0},
    {"Windows Server", "windows server", Cat::Cloud, 0},
    {"Network Administration", "network administration", Cat::Cloud, 0},
    {"Embedded Systems", "embedded systems|embedded software|embedded linux", Cat::Cloud, 0},
    {"RTOS", "rtos|freertos", Cat::Cloud, 0},
    {"FPGA", "fpga", Cat::Cloud, 0},
    {"Verilog", "verilog|systemverilog", Cat::Cloud, 0},
    {"VHDL", "vhdl", Cat::Cloud, 0},
    {"PLC Programming", "plc|plc programming", Cat::Cloud, 0},
    {"Arduino", "arduino", Cat::Cloud, 0},
    {"Raspberry Pi", "raspberry pi", Cat::Cloud, 0},
    // Tools, practices and business software
    {"Git", "git", Cat::Tool, 0},
    {"GitHub", "github", Cat::Tool, kContext},
    {"GitLab", "gitlab", Cat::Tool, kContext},
    {"Bitbucket", "bitbucket", Cat::Tool, 0},
    {"Jira", "jira", Cat::Tool, 0},
    {"Confluence", "confluence", Cat::Tool, 0},
    {"Trello", "trello", Cat::Tool, 0},
    {"Asana", "asana", Cat::Tool, 0},
    {"Notion", "Notion", Cat::Tool, kExact},
    {"Figma", "figma", Cat::Tool, 0},
    {"Sketch", "Sketch", Cat::Tool, kExact | kContext},
    {"Adobe XD", "adobe xd", Cat::Tool, 0},
    {"Photoshop", "photoshop|adobe photoshop", Cat::Tool, 0},
    {"Illustrator", "adobe illustrator", Cat::Tool, 0},
    {"InDesign", "indesign|adobe indesign", Cat::Tool, 0},
    {"Premiere Pro", "premiere pro|adobe premiere", Cat::Tool, 0},
    {"After Effects", "after effects", Cat::Tool, 0},
    {"Lightroom", "lightroom", Cat::Tool, 0},
    {"Canva", "canva", Cat::Tool, 0},
    {"AutoCAD", "autocad", Cat::Tool, 0},
    {"SolidWorks", "solidworks", Cat::Tool, 0},
    {"Revit", "revit", Cat::Tool, 0},
    {"Blender", "Blender", Cat::Tool, kExact},
    {"Postman", "postman", Cat::Tool, 0},
    {"OpenAPI", "openapi|swagger", Cat::Tool, 0},
    {"Agile", "agile", Cat::Tool, 0},
    {"Scrum", "scrum", Cat::Tool, 0},
    {"Kanban", "kanban", Cat::Tool, 0},
    {"Lean", "Lean", Cat::Tool, kExact | kContext},
    {"Six Sigma", "six sigma|lean six sigma", Cat::Tool, 0},
    {"TDD", "tdd|test-driven development|test driven development", Cat::Tool, 0},
    {"Unit Testing", "unit testing|unit tests", Cat::Tool, 0},
    {"Test Automation", "test automation|automated testing", Cat::Tool, 0},
    {"DevOps", "devops", Cat::Tool, 0},
    {"System Design", "system design", Cat::Tool, 0},
    {"OOP", "oop|object-oriented programming|object oriented programming|object-oriented design",
     Cat::Tool, 0},
    {"Design Patterns", "design patterns", Cat::Tool, 0},
    {"Data Structures", "data structures", Cat::Tool, 0},
    {"Algorithms", "algorithms", Cat::Tool, 0},
    {"API Design", "api design", Cat::Tool, 0},
    {"Multithreading", "multithreading|multi-threading|concurrency", Cat::Tool, 0},
    {"Performance Optimization", "performance optimization|performance tuning", Cat::Tool, 0},
    {"SAP", "SAP", Cat::Tool, kExact},
    {"Salesforce", "salesforce", Cat::Tool, 0},
    {"HubSpot", "hubspot", Cat::Tool, 0},
    {"Zendesk", "zendesk", Cat::Tool, 0},
    {"ServiceNow", "servicenow", Cat::Tool, 0},
    {"QuickBooks", "quickbooks", Cat::Tool, 0},
    {"Xero", "Xero", Cat::Tool, kExact},
    {"NetSuite", "netsuite", Cat::Tool, 0},
    {"Workday", "Workday", Cat::Tool, kExact},
    {"SEO", "seo|search engine optimization|search engine optimisation", Cat::Tool, 0},
    {"SEM", "SEM", Cat::Tool, kExact},
    {"Google Analytics", "google analytics", Cat::Tool, 0},
    {"Google Ads", "google ads|adwords", Cat::Tool, 0},
    {"Content Marketing", "content marketing", Cat::Tool, 0},
    {"Email Marketing", "email marketing", Cat::Tool, 0},
    {"Social Media Marketing", "social media marketing|social media", Cat::Tool, 0},
    {"Copywriting", "copywriting", Cat::Tool, 0},
    {"CRM", "crm", Cat::Tool, 0},
    {"ERP", "erp", Cat::Tool, 0},
    {"UX Design", "ux design|user experience design|ux", Cat::Tool, 0},
    {"UI Design", "ui design|user interface design", Cat::Tool, 0},
    {"User Research", "user research", Cat::Tool, 0},
    {"Wireframing", "wireframing|wireframes", Cat::Tool, 0},
    {"Prototyping", "prototyping", Cat::Tool, 0},
    {"Usability Testing", "usability testing", Cat::Tool, 0},
    {"Accessibility", "accessibility|wcag|a11y", Cat::Tool, 0},
    {"Responsive Design", "responsive design", Cat::Tool, 0},
    {"Microsoft Office", "microsoft office|ms office|office 365|microsoft 365", Cat::Tool, 0},
    {"PowerPoint", "powerpoint", Cat::Tool, 0},
    {"Microsoft Word", "microsoft word|ms word", Cat::Tool, 0},
    {"Google Workspace", "google workspace|g suite", Cat::Tool, 0},
    {"Financial Analysis", "financial analysis", Cat::Tool, 0},
    {"Financial Modeling", "financial modeling|financial modelling", Cat::Tool, 0},
    {"Budgeting", "budgeting|budget management", Cat::Tool, kContext},
    {"Forecasting", "forecasting", Cat::Tool, kContext},
    {"Accounting", "accounting", Cat::Tool, 0},
    {"Bookkeeping", "bookkeeping", Cat::Tool, 0},
    {"Auditing", "auditing", Cat::Tool, 0},
    {"GAAP", "gaap", Cat::Tool, 0},
    {"IFRS", "ifrs", Cat::Tool, 0},
    {"Payroll", "payroll", Cat::Tool, 0},
    {"Tax Preparation", "tax preparation", Cat::Tool, 0},
    {"Risk Management", "risk management", Cat::Tool, 0},
    {"Regulatory Compliance", "regulatory compliance|compliance", Cat::Tool, 0},
    {"Project Management", "project management", Cat::Tool, 0},
    {"Product Management", "product management", Cat::Tool, 0},
    {"Program Management", "program management|programme management", Cat::Tool, 0},
    {"Product Strategy", "product strategy", Cat::Tool, 0},
    {"Roadmapping", "roadmapping|product roadmap|product roadmaps", Cat::Tool, 0},
    {"Requirements Gathering", "requirements gathering|requirements analysis", Cat::Tool, 0},
    {"Business Analysis", "business analysis", Cat::Tool, 0},
    {"Process Improvement", "process improvement|continuous improvement", Cat::Tool, 0},
    {"Supply Chain Management", "supply chain management|supply chain", Cat::Tool, 0},
    {"Logistics", "logistics", Cat::Tool, 0},
    {"Inventory Management", "inventory management", Cat::Tool, 0},
    {"Procurement", "procurement", Cat::Tool, 0},
    {"Vendor Management", "vendor management", Cat::Tool, 0},
    {"Operations Management", "operations management", Cat::Tool, 0},
    {"Recruiting", "recruiting|recruitment|talent acquisition", Cat::Tool, 0},
    {"Employee Onboarding", "employee onboarding", Cat::Tool, 0},
    {"Employee Relations", "employee relations", Cat::Tool, 0},
    {"B2B Sales", "b2b sales", Cat::Tool, 0},
    {"Lead Generation", "lead generation", Cat::Tool, 0},
    {"Account Management", "account management", Cat::Tool, 0},
    {"Business Development", "business development", Cat::Tool, 0},
    {"Market Research", "market research", Cat::Tool, 0},
    {"Patient Care", "patient care", Cat::Tool, 0},
    {"Electronic Health Records", "electronic health records|ehr|emr", Cat::Tool, 0},
    {"Phlebotomy", "phlebotomy", Cat::Tool, 0},
    {"CPR", "cpr", Cat::Tool, 0},
    {"Medication Administration", "medication administration", Cat::Tool, 0},
    {"Lesson Planning", "lesson planning", Cat::Tool, 0},
    {"Classroom Management", "classroom management", Cat::Tool, 0},
    {"Curriculum Development", "curriculum development|curriculum design", Cat::Tool, 0},
    {"Special Education", "special education", Cat::Tool, 0},
    {"Technical Writing", "technical writing", Cat::Tool, 0},
    {"Video Editing", "video editing", Cat::Tool, 0},
    {"Photography", "photography", Cat::Tool, 0},
    {"Graphic Design", "graphic design", Cat::Tool, 0},
    {"Branding", "branding", Cat::Tool, 0},
    {"Typography", "typography", Cat::Tool, 0},
    {"Motion Graphics", "motion graphics", Cat::Tool, 0},
    {"3D Modeling", "3d modeling|3d modelling", Cat::Tool, 0},
    {"Customer Service", "customer service|customer support", Cat::Tool, 0},
    {"Troubleshooting", "troubleshooting", Cat::Tool, 0},
    {"Technical Support", "technical support|it support|help desk|helpdesk", Cat::Tool, 0},
    // Professional (soft) skills
    {"Leadership", "leadership|team leadership", Cat::Soft, 0},
    {"Communication",
     "communication|communication skills|written communication|verbal communication", Cat::Soft, 0},
    {"Teamwork", "teamwork|team player", Cat::Soft, 0},
    {"Collaboration", "collaboration|cross-functional collaboration", Cat::Soft, 0},
    {"Problem Solving", "problem solving|problem-solving", Cat::Soft, 0},
    {"Critical Thinking", "critical thinking", Cat::Soft, 0},
    {"Time Management", "time management", Cat::Soft, 0},
    {"Mentoring", "mentoring|mentorship|coaching", Cat::Soft, 0},
    {"Public Speaking", "public speaking|presentation skills", Cat::Soft, 0},
    {"Negotiation", "negotiation|negotiating", Cat::Soft, 0},
    {"Stakeholder Management", "stakeholder management", Cat::Soft, 0},
    {"Conflict Resolution", "conflict resolution", Cat::Soft, 0},
    {"Adaptability", "adaptability", Cat::Soft, 0},
    {"Attention to Detail", "attention to detail|detail-oriented|detail oriented", Cat::Soft, 0},
    {"Creativity", "creativity", Cat::Soft, 0},
    {"Strategic Planning", "strategic planning|strategic thinking", Cat::Soft, 0},
    {"Decision Making", "decision making|decision-making", Cat::Soft, 0},
    {"Organization", "organizational skills|organisational skills", Cat::Soft, 0},
    {"Multitasking", "multitasking|multi-tasking", Cat::Soft, 0},
    {"Emotional Intelligence", "emotional intelligence", Cat::Soft, 0},
    {"People Management", "people management|team management", Cat::Soft, 0},
    {"Analytical Skills", "analytical skills|analytical thinking", Cat::Soft, 0},
    {"Interpersonal Skills", "interpersonal skills", Cat::Soft, 0},
    {"Change Management", "change management", Cat::Soft, 0},
    {"Customer Relationship Building", "relationship building", Cat::Soft, 0},
});

// Built once (thread-safe static initialisation) and never modified: aliases bucketed by their
// first lower-case byte so the scan only tries the handful that can start at a position.
struct AliasRef {
    string_view alias;
    std::uint16_t skill;
    bool exact;  // compare against the original text, not the lower-case copy
};

struct SkillIndex {
    std::array<std::vector<AliasRef>, 256> buckets;
};

const SkillIndex& skill_index() {
    static const SkillIndex index = [] {
        SkillIndex idx;
        for (size_t s = 0; s < kSkills.size(); ++s) {
            string_view rest = kSkills[s].aliases;
            while (!rest.empty()) {
                const size_t bar = rest.find('|');
                const string_view alias = rest.substr(0, bar);
                rest = bar == string_view::npos ? string_view{} : rest.substr(bar + 1);
                if (alias.empty()) continue;
                // An alias written with capitals ("Excel", "ML", "REST") must match exactly so
                // the everyday word does not.
                const bool exact = (kSkills[s].flags & kExact) != 0 ||
                                   std::any_of(alias.begin(), alias.end(), is_upper);
                const auto b = static_cast<unsigned char>(to_lower(alias[0]));
                idx.buckets[b].push_back({alias, static_cast<std::uint16_t>(s), exact});
            }
        }
        return idx;
    }();
    return index;
}

// Whether the lower-case word is (an alias of) a known skill, used to keep skills out of names
// and employers.
bool is_skill_word(string_view lower_word, Cat* cat = nullptr) {
    if (lower_word.empty()) return false;
    const auto b = static_cast<unsigned char>(lower_word[0]);
    for (const AliasRef& a : skill_index().buckets[b]) {
        if (iequals(a.alias, lower_word)) {
            if (cat != nullptr) *cat = kSkills[a.skill].cat;
            return true;
        }
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Job titles are built around a role noun ("engineer"), extended to the left over seniority and
// field words ("senior backend"). Weak nouns ("lead", "owner", "agent") are also ordinary
// English, so they only count with a field word in front or after "as a".

// clang-format off
constexpr auto kRoleNouns = sorted(std::to_array<string_view>({
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
// clang-format on

constexpr auto kWeakNouns = sorted(std::to_array<string_view>({
    "lead",     "representative", "executive",  "officer",   "assistant", "associate",
    "agent",    "owner",          "president",  "head",      "partner",   "controller",
    "operator", "driver",         "coach",      "advocate",  "master",    "doctor",
    "buyer",    "cook",           "contractor", "principal",
}));

// Nouns that take an "of ..." complement: "Head of Engineering", "Professor of Physics".
constexpr auto kOfNouns = sorted(std::to_array<string_view>({
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

constexpr auto kSeniority = sorted(std::to_array<string_view>({
    "senior",  "sr",         "junior",    "jr",       "lead",          "principal", "staff",
    "chief",   "associate",  "assistant", "deputy",   "head",          "vice",      "managing",
    "general", "founding",   "interim",   "acting",   "entry-level",   "mid-level", "graduate",
    "trainee", "apprentice", "executive", "regional", "distinguished",
}));

// clang-format off
constexpr auto kTitleModifiers = sorted(std::to_array<string_view>({
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
    "oracle", "tableau", "it",
}));
// clang-format on

// Title words whose spelling is not just a capitalised first letter.
// clang-format off
constexpr auto kTitleSpellings = sorted(std::to_array<Entry>({
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
constexpr auto kTitleRejectBefore = sorted(std::to_array<string_view>({
    "the",   "with",  "our",   "their",  "his",       "her",  "my",      "your",
    "to",    "by",    "other", "every",  "each",      "many", "several", "two",
    "three", "four",  "five",  "six",    "alongside", "its",  "whose",   "this",
    "that",  "these", "those", "fellow", "junior's",  "some", "any",     "no",
}));

// After "a"/"an": only these make the title the user's own ("I am a", "worked as an").
constexpr auto kTitleArticleOk = sorted(std::to_array<string_view>({
    "as",     "am",     "i'm",     "im",        "was",      "be",          "been",
    "became", "become", "is",      "currently", "now",      "formerly",    "previously",
    "also",   "i",      "being",   "hired",     "promoted", "experienced", "seasoned",
    "work",   "worked", "working", "started",   "employed", "serving",     "served",
}));

constexpr auto kNameParticles = sorted(std::to_array<string_view>({
    "van",
    "von",
    "de",
    "da",
    "del",
    "der",
    "den",
    "la",
    "le",
    "bin",
    "al",
    "di",
    "du",
    "dos",
    "das",
    "ter",
    "ten",
    "y",
}));

// Capitalised words that are not personal names.
constexpr auto kNotNameWords = sorted(std::to_array<string_view>({
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

// Capitalised words that cannot start an employer name after "at"/"for"/"joined".
constexpr auto kNotEmployerWords = sorted(std::to_array<string_view>({
    "i",          "i'm",       "my",        "a",         "an",        "this",       "that",
    "these",      "those",     "it",        "we",        "you",       "he",         "she",
    "they",       "our",       "your",      "his",       "her",       "their",      "its",
    "home",       "night",     "work",      "christmas", "easter",    "first",      "last",
    "least",      "most",      "present",   "times",     "once",      "scale",      "all",
    "one",        "january",   "february",  "march",     "april",     "may",        "june",
    "july",       "august",    "september", "october",   "november",  "december",   "monday",
    "tuesday",    "wednesday", "thursday",  "friday",    "saturday",  "sunday",     "jan",
    "feb",        "mar",       "apr",       "jun",       "jul",       "aug",        "sep",
    "sept",       "oct",       "nov",       "dec",       "senior",    "junior",     "lead",
    "level",      "entry",     "mid",       "startup",   "startups",  "company",    "companies",
    "university", "college",   "school",    "the",       "and",       "or",         "please",
    "if",         "when",      "where",     "which",     "who",       "what",       "how",
    "why",        "some",      "any",       "no",        "each",      "every",      "both",
    "other",      "another",   "later",     "then",      "now",       "today",      "tomorrow",
    "yesterday",  "weekends",  "weekend",   "remote",    "hybrid",    "scale",      "speed",
    "large",      "small",     "objective", "summary",   "profile",   "about",      "experience",
    "education",  "skills",    "role",      "position",  "title",     "internship", "current",
    "goal",       "projects",  "project",   "contact",   "languages", "employment",
}));

constexpr auto kOrgSuffixes = sorted(std::to_array<string_view>({
    "inc", "corp",    "corporation",  "llc",  "ltd",   "limited", "gmbh", "ag", "sa",  "plc",
    "co",  "company", "technologies", "labs", "group", "bv",      "oy",   "ab", "srl", "pty",
}));

// Country-level place names, so "Nurse, Boston, MA" or "Engineer, Berlin, Germany" are read
// as a location rather than an employer.
constexpr auto kPlaces = sorted(std::to_array<string_view>({
    "usa",     "us",       "uk",          "canada",       "germany",   "india",       "france",
    "spain",   "italy",    "netherlands", "australia",    "ireland",   "poland",      "brazil",
    "mexico",  "japan",    "china",       "singapore",    "sweden",    "switzerland", "remote",
    "israel",  "portugal", "austria",     "belgium",      "denmark",   "norway",      "finland",
    "nigeria", "kenya",    "egypt",       "turkey",       "ukraine",   "romania",     "argentina",
    "chile",   "colombia", "pakistan",    "bangladesh",   "indonesia", "philippines", "vietnam",
    "korea",   "england",  "scotland",    "wales",        "uae",       "dubai",       "london",
    "berlin",  "paris",    "toronto",     "remote-first", "worldwide",
}));

bool place_token(string_view w) {
    return (w.size() == 2 && is_upper(w[0]) && is_upper(w[1])) || has_word(kPlaces, lower_copy(w));
}

constexpr auto kInstitutionWords = sorted(std::to_array<string_view>({
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

constexpr auto kMonths = sorted(std::to_array<Entry>({
    {"jan", "Jan"},           {"january", "January"}, {"feb", "Feb"},
    {"february", "February"}, {"mar", "Mar"},         {"march", "March"},
    {"apr", "Apr"},           {"april", "April"},     {"may", "May"},
    {"jun", "Jun"},           {"june", "June"},       {"jul", "Jul"},
    {"july", "July"},         {"aug", "Aug"},         {"august", "August"},
    {"sep", "Sep"},           {"sept", "Sept"},       {"september", "September"},
    {"oct", "Oct"},           {"october", "October"}, {"nov", "Nov"},
    {"november", "November"}, {"dec", "Dec"},         {"december", "December"},
}));

// Degrees. `exact` entries are also common words or abbreviations ("MA", "BS") and must be
// written in capitals to count.
struct Degree {
    string_view key;
    string_view display;
    bool exact;
};

constexpr auto kDegrees = std::to_array<Degree>({
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
});

// "Bachelor of Science" style names mapped to their usual abbreviation.
constexpr auto kDegreeOf = std::to_array<Degree>({
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

// Achievement verbs: a sentence built around one becomes an experience bullet.
constexpr auto kPastVerbs = sorted(std::to_array<string_view>({
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
}));

// Present-tense forms count only right after "I"/"we" ("I lead ..."), since most are nouns too.
constexpr auto kPresentVerbs = sorted(std::to_array<string_view>({
    "lead",       "build",     "ship",     "manage",   "design",    "develop", "create",
    "mentor",     "implement", "maintain", "own",      "run",       "drive",   "oversee",
    "coordinate", "write",     "teach",    "train",    "support",   "handle",  "deliver",
    "architect",  "automate",  "optimize", "optimise", "supervise", "deploy",  "analyze",
    "analyse",    "test",      "help",     "grow",     "scale",     "treat",
}));

// Words allowed between the subject and the verb: "I have also led", "we successfully shipped".
constexpr auto kSubjectFillers = sorted(std::to_array<string_view>({
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

// Sentences that talk to the model rather than about the user: dropped before any analysis.
constexpr auto kInjectionPhrases = std::to_array<string_view>({
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

struct Weighted {
    string_view phrase;
    int weight;
};

// Markers of a request that is not about the user's career.
constexpr auto kOffTopicPhrases = std::to_array<Weighted>({
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

// Words that show the text is about someone's working life.
constexpr auto kCareerPhrases = std::to_array<Weighted>({
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

constexpr auto kProjectMarkers = std::to_array<string_view>({
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

constexpr auto kCertAcronyms = sorted(std::to_array<Entry>({
    {"PMP", "PMP"},
    {"CISSP", "CISSP"},
    {"CISM", "CISM"},
    {"CISA", "CISA"},
    {"CPA", "CPA"},
    {"CFA", "CFA"},
    {"CKA", "CKA"},
    {"CKAD", "CKAD"},
    {"CKS", "CKS"},
    {"CCNA", "CCNA"},
    {"CCNP", "CCNP"},
    {"CCIE", "CCIE"},
    {"CSM", "CSM"},
    {"PSM", "PSM"},
    {"CSPO", "CSPO"},
    {"ITIL", "ITIL"},
    {"PRINCE2", "PRINCE2"},
    {"CEH", "CEH"},
    {"OSCP", "OSCP"},
    {"RHCE", "RHCE"},
    {"RHCSA", "RHCSA"},
    {"SHRM-CP", "SHRM-CP"},
    {"SHRM-SCP", "SHRM-SCP"},
    {"PHR", "PHR"},
    {"ACLS", "ACLS"},
    {"BLS", "BLS"},
    {"PALS", "PALS"},
    {"CAPM", "CAPM"},
    {"TOGAF", "TOGAF"},
    {"MCSE", "MCSE"},
    {"MCSA", "MCSA"},
    {"Security+", "CompTIA Security+"},
    {"Network+", "CompTIA Network+"},
}));

// ---------------------------------------------------------------------------------------------
// Sanitising. The text is untrusted: control and bidi-override characters go, typographic
// punctuation becomes ASCII so the scanners see one spelling, and HTML tags are dropped so
// nothing from the input can reach a renderer as markup.

// Case-insensitive search for a lower-case needle.
size_t ifind(string_view hay, string_view needle, size_t from) {
    if (needle.empty() || hay.size() < needle.size()) return string_view::npos;
    for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
        size_t k = 0;
        while (k < needle.size() && to_lower(hay[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return i;
    }
    return string_view::npos;
}

// Length of an HTML tag (or a whole <script>/<style> element) starting at `i`, 0 if the '<'
// is ordinary text such as "<50 ms".
size_t html_tag_length(string_view s, size_t i) {
    if (i + 1 >= s.size()) return 0;
    const char n = s[i + 1];
    if (!(is_alpha(n) || n == '/' || n == '!' || n == '?')) return 0;
    const size_t limit = std::min(s.size(), i + 1024);
    size_t close = string_view::npos;
    for (size_t k = i + 1; k < limit; ++k) {
        if (s[k] == '<') return 0;
        if (s[k] == '>') {
            close = k;
            break;
        }
    }
    if (close == string_view::npos) return 0;
    for (string_view element : {string_view("script"), string_view("style")}) {
        if (close - i > element.size() && ifind(s.substr(i + 1, element.size()), element, 0) == 0) {
            const string end_tag = "</" + string(element);
            const size_t end = ifind(s, end_tag, close);
            if (end == string_view::npos) return s.size() - i;
            const size_t gt = s.find('>', end);
            return (gt == string_view::npos ? s.size() : gt + 1) - i;
        }
    }
    return close + 1 - i;
}

bool is_bullet_symbol(char32_t cp) {
    switch (cp) {
        case 0x00B7:
        case 0x2022:
        case 0x2023:
        case 0x2043:
        case 0x2219:
        case 0x25AA:
        case 0x25AB:
        case 0x25B8:
        case 0x25BA:
        case 0x25C6:
        case 0x25C7:
        case 0x25CF:
        case 0x25E6:
        case 0x2666:
        case 0x2713:
        case 0x2714:
        case 0x2705:
        case 0x2756:
        case 0x2794:
        case 0x27A2:
            return true;
        default:
            return false;
    }
}

string sanitize(string_view in) {
    if (in.size() > kMaxAnalysedBytes) in = in.substr(0, kMaxAnalysedBytes);
    string out;
    out.reserve(in.size());
    auto add_space = [&out] {
        if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
    };
    auto add_newline = [&out] {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        if (out.empty()) return;
        const bool blank_already =
            out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n';
        if (!blank_already) out.push_back('\n');
    };
    size_t i = 0;
    while (i < in.size()) {
        if (in[i] == '<') {
            const size_t tag = html_tag_length(in, i);
            if (tag != 0) {
                i += tag;
                add_space();
                continue;
            }
        }
        const Decoded d = decode_utf8(in, i);
        if (d.len == 0) {  // invalid or truncated sequence: drop the byte
            ++i;
            continue;
        }
        i += d.len;
        const char32_t cp = d.cp;
        if (cp == '\r') {
            if (i < in.size() && in[i] == '\n') ++i;
            add_newline();
        } else if (cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
            add_newline();
        } else if (cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f' || cp == 0xA0 ||
                   (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
            add_space();
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD ||
                   (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
                   (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
                   (cp >= 0xFFF9 && cp <= 0xFFFB)) {
            // control, zero-width and bidi-override characters carry no resume content
        } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201B || cp == 0x2032 ||
                   cp == 0x02BC) {
            out.push_back('\'');
        } else if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F || cp == 0x2033 ||
                   cp == 0xAB || cp == 0xBB) {
            out.push_back('"');
        } else if ((cp >= 0x2010 && cp <= 0x2013) || cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D) {
            out.push_back('-');
        } else if (cp == 0x2014 || cp == 0x2015) {
            add_space();
            out += "- ";
        } else if (cp == 0x2026) {
            out += "...";
        } else if (is_bullet_symbol(cp)) {
            add_space();
            out += "- ";
        } else {
            append_utf8(out, cp);
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
}

// ---------------------------------------------------------------------------------------------
// Sentences and tokens.

struct Span {
    size_t b;
    size_t e;
};

constexpr auto kAbbreviations = sorted(std::to_array<string_view>({
    "mr",  "mrs", "ms",   "dr",   "prof", "sr",     "jr",   "st",   "vs",  "etc",
    "inc", "ltd", "co",   "corp", "no",   "approx", "dept", "univ", "e.g", "i.e",
    "eg",  "ie",  "resp", "incl", "est",  "jan",    "feb",  "mar",  "apr", "jun",
    "jul", "aug", "sep",  "sept", "oct",  "nov",    "dec",  "fig",  "ca",  "cf",
}));

// Splits at line breaks and at ". " before a capital, digit or list marker, but not after
// abbreviations and initials ("B.S. in", "Acme Inc. in", "J. Doe").
std::vector<Span> split_sentences(string_view t) {
    std::vector<Span> out;
    size_t start = 0;
    auto push = [&](size_t end) {
        size_t b = start;
        while (b < end && (t[b] == ' ' || t[b] == '\n')) ++b;
        size_t e = end;
        while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\n')) --e;
        if (e > b) out.push_back({b, e});
    };
    size_t i = 0;
    while (i < t.size()) {
        const char c = t[i];
        if (c == '\n') {
            push(i);
            start = ++i;
            continue;
        }
        if (c == '.' || c == '!' || c == '?' || c == ';') {
            size_t j = i + 1;
            while (j < t.size() && (t[j] == '.' || t[j] == '!' || t[j] == '?' || t[j] == '"' ||
                                    t[j] == '\'' || t[j] == ')' || t[j] == ']'))
                ++j;
            bool split = false;
            bool lower_next = false;  // people typing fast skip capitals: "... at Acme. did SEO"
            if (j >= t.size() || t[j] == '\n') {
                split = c != ';';
            } else if (t[j] == ' ' && j + 1 < t.size()) {
                const char n = t[j + 1];
                lower_next = is_lower(n);
                split = is_upper(n) || is_digit(n) || is_high(n) || n == '"' || n == '(' ||
                        n == '-' || n == '*' || n == '[' || lower_next || c == ';';
            }
            if (split && c == '.' && j == i + 1) {
                size_t w = i;
                while (w > start && (is_alnum(t[w - 1]) || t[w - 1] == '.')) --w;
                const string word = lower_copy(t.substr(w, i - w));
                const bool initial = (word.size() == 1 && is_alpha(word[0])) ||
                                     (word.size() >= 2 && word[word.size() - 2] == '.');
                if (initial || has_word(kAbbreviations, word)) split = false;
                // Before a lower-case word only a plain word ending a sentence counts ("e.g. x",
                // "approx. 5" and "v2. beta" do not).
                if (lower_next &&
                    (word.size() < 3 || !std::all_of(word.begin(), word.end(), is_alpha)))
                    split = false;
            }
            if (split) {
                push(j);
                start = i = j;
                continue;
            }
        }
        ++i;
    }
    push(t.size());
    return out;
}

struct Token {
    size_t pos;
    size_t len;
    size_t gap;  // start of the separator text before this token
};

struct Sentence {
    size_t b;
    size_t e;
    std::vector<Token> toks;
};

// The analysed text: original case for display, an ASCII-lower-case twin with identical
// offsets for matching.
struct Doc {
    string text;     // contact details blanked, so URLs do not become words
    string display;  // same offsets, contact details kept: bullets quote the user from here
    string low;
    std::vector<Sentence> sents;

    string_view word(const Token& t) const { return string_view(text).substr(t.pos, t.len); }
    string_view lword(const Token& t) const { return string_view(low).substr(t.pos, t.len); }
    string_view gap(const Token& t) const { return string_view(text).substr(t.gap, t.pos - t.gap); }
    string_view sentence_text(const Sentence& s) const {
        return string_view(text).substr(s.b, s.e - s.b);
    }
    string_view sentence_lower(const Sentence& s) const {
        return string_view(low).substr(s.b, s.e - s.b);
    }
};

// Words are letters/digits of any script joined by inner ". - ' & / _" ("Node.js", "AT&T",
// "CI/CD", "O'Neil"), plus trailing '+'/'#' ("C++", "C#", "5+").
std::vector<Token> tokenize(string_view t, size_t b, size_t e) {
    std::vector<Token> toks;
    size_t i = b;
    size_t gap = b;
    const string_view s = t.substr(0, e);
    while (i < e) {
        const size_t n = word_char_len(s, i);
        const bool dot_start =
            s[i] == '.' && i + 1 < e && is_alpha(s[i + 1]) && (i == b || !is_alnum(s[i - 1]));
        if (n == 0 && !dot_start) {
            i += char_len(s, i);
            continue;
        }
        const size_t start = i;
        if (dot_start) ++i;
        while (i < e) {
            const size_t m = word_char_len(s, i);
            if (m != 0) {
                i += m;
                continue;
            }
            const char c = s[i];
            if (c == '+' || c == '#') {
                while (i < e && (s[i] == '+' || s[i] == '#')) ++i;
                continue;
            }
            if ((c == '.' || c == '-' || c == '\'' || c == '&' || c == '/' || c == '_') &&
                i + 1 < e && word_char_len(s, i + 1) != 0) {
                ++i;
                continue;
            }
            break;
        }
        toks.push_back({start, i - start, gap});
        gap = i;
    }
    return toks;
}

// Phrase tables are matched in one pass over the text: phrases are bucketed by their first
// byte (built once, immutable afterwards) and only the bucket of each word start is tried.
struct PhraseIndex {
    std::array<std::vector<std::uint16_t>, 256> buckets;
};

string_view phrase_of(string_view p) {
    return p;
}
string_view phrase_of(const Weighted& w) {
    return w.phrase;
}

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

struct PhraseHit {
    size_t pos;
    std::uint16_t id;
};

// Whole-word occurrences (for phrases that start/end with a letter or digit) in `low`.
template <typename Table>
std::vector<PhraseHit> scan_phrases(string_view low, const Table& table, const PhraseIndex& idx) {
    std::vector<PhraseHit> hits;
    for (size_t i = 0; i < low.size(); ++i) {
        // A phrase starting with a letter only matches at a word start; the first byte of
        // the phrase equals low[i], so one test covers the whole bucket.
        if (i > 0 && is_alnum(low[i]) && is_alnum(low[i - 1])) continue;
        const auto& bucket = idx.buckets[static_cast<unsigned char>(low[i])];
        for (std::uint16_t id : bucket) {
            const string_view p = phrase_of(table[id]);
            if (low.size() - i < p.size() || low.compare(i, p.size(), p) != 0) continue;
            const size_t end = i + p.size();
            if (is_alnum(p.back()) && end < low.size() && is_alnum(low[end])) continue;
            hits.push_back({i, id});
        }
    }
    return hits;
}

bool contains_phrase(string_view low, string_view phrase) {
    size_t from = 0;
    while (true) {
        const size_t p = low.find(phrase, from);
        if (p == string_view::npos) return false;
        const size_t end = p + phrase.size();
        if ((p == 0 || !is_alnum(low[p - 1])) && (end >= low.size() || !is_alnum(low[end])))
            return true;
        from = p + 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Contact details, found on the raw text and then blanked so URLs and addresses do not turn
// into name or employer tokens.

struct Contacts {
    string email;
    string phone;
    string linkedin;
    string github;
    string website;
    std::vector<Span> spans;
};

bool email_local_char(char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

void find_emails(string_view t, Contacts& c) {
    for (size_t at = t.find('@'); at != string_view::npos; at = t.find('@', at + 1)) {
        size_t l = at;
        while (l > 0 && email_local_char(t[l - 1])) --l;
        while (l < at && t[l] == '.') ++l;
        size_t r = at + 1;
        while (r < t.size() && (is_alnum(t[r]) || t[r] == '.' || t[r] == '-')) ++r;
        while (r > at + 1 && (t[r - 1] == '.' || t[r - 1] == '-')) --r;
        const string_view local = t.substr(l, at - l);
        const string_view domain = t.substr(at + 1, r - at - 1);
        const size_t dot = domain.rfind('.');
        if (local.empty() || local.size() > 64 || dot == string_view::npos || dot == 0 ||
            domain.size() > 190)
            continue;
        const string_view tld = domain.substr(dot + 1);
        if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), is_alpha)) continue;
        if (c.email.empty()) c.email = string(t.substr(l, r - l));
        c.spans.push_back({l, r});
    }
}

void find_urls(string_view t, string_view low, Contacts& c) {
    static constexpr std::array<string_view, 6> kStarts = {
        "https://", "http://", "www.", "linkedin.com/", "github.com/", "gitlab.com/"};
    size_t i = 0;
    while (i < t.size()) {
        const bool boundary =
            i == 0 || !(is_alnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '/' ||
                        t[i - 1] == '@' || t[i - 1] == '-' || t[i - 1] == '_');
        size_t prefix = 0;
        if (boundary && (low[i] == 'h' || low[i] == 'w' || low[i] == 'l' || low[i] == 'g')) {
            for (string_view s : kStarts) {
                if (low.substr(i, s.size()) == s) {
                    prefix = s.size();
                    break;
                }
            }
        }
        if (prefix == 0) {
            ++i;
            continue;
        }
        size_t r = i;
        while (r < t.size()) {
            const char ch = t[r];
            if (ch == ' ' || ch == '\n' || ch == '<' || ch == '>' || ch == '"' || ch == '\'' ||
                ch == ')' || ch == ']' || ch == ',' || ch == '|' || ch == '`' || ch == '{' ||
                ch == '}' || ch == '\\' || ch == '^' || is_high(ch))
                break;
            ++r;
        }
        while (r > i && (t[r - 1] == '.' || t[r - 1] == ';' || t[r - 1] == ':' || t[r - 1] == '!' ||
                         t[r - 1] == '?'))
            --r;
        const string_view url = t.substr(i, r - i);
        const string_view lurl = low.substr(i, r - i);
        const string_view host = lurl.substr(lurl.substr(0, 4) == "http" ? prefix : 0);
        if (url.size() <= 200 && host.find('.') != string_view::npos && host.size() >= 4 &&
            host.find('.') + 1 < host.size()) {
            static constexpr std::array<string_view, 7> kImages = {".png", ".jpg",  ".jpeg", ".gif",
                                                                   ".svg", ".webp", ".ico"};
            const bool image = std::any_of(kImages.begin(), kImages.end(), [&](string_view x) {
                return lurl.size() > x.size() && lurl.substr(lurl.size() - x.size()) == x;
            });
            string scratch;
            string* slot = image ? &scratch : &c.website;
            if (lurl.find("linkedin.com") != string_view::npos) {
                slot = &c.linkedin;
            } else if (lurl.find("github.com") != string_view::npos ||
                       lurl.find("gitlab.com") != string_view::npos) {
                slot = &c.github;
            }
            if (slot->empty()) *slot = string(url);
            c.spans.push_back({i, r});
        }
        i = std::max(r, i + 1);
    }
}

bool year_like(string_view digits) {
    return digits.size() == 4 && (digits.substr(0, 2) == "19" || digits.substr(0, 2) == "20");
}

// Phone numbers: 7-15 digits in the usual groupings. Dates, year ranges and counts look
// alike, so short or unprefixed numbers need a "phone"/"tel" label close by.
void find_phones(string_view t, string_view low, Contacts& c) {
    size_t i = 0;
    while (i < t.size()) {
        const char ch = t[i];
        const bool starter =
            is_digit(ch) || ((ch == '+' || ch == '(') && i + 1 < t.size() && is_digit(t[i + 1]));
        if (!starter ||
            (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '/' ||
                       t[i - 1] == '-' || t[i - 1] == '_' || t[i - 1] == '@' || t[i - 1] == '$' ||
                       t[i - 1] == '#' || t[i - 1] == '+' || is_high(t[i - 1])))) {
            ++i;
            continue;
        }
        const bool plus = ch == '+';
        size_t j = plus ? i + 1 : i;
        size_t digits = 0;
        bool open = false;
        bool paren = false;
        std::vector<Span> groups;
        size_t group_start = j;
        size_t cur = 0;
        while (j < t.size()) {
            const char d = t[j];
            if (is_digit(d)) {
                if (cur == 0) group_start = j;
                ++cur;
                ++digits;
                ++j;
                continue;
            }
            if (cur > 0) {
                groups.push_back({group_start, group_start + cur});
                cur = 0;
            }
            if (d == '(' && !open && digits <= 3 && j + 1 < t.size() && is_digit(t[j + 1])) {
                open = paren = true;
                ++j;
                continue;
            }
            if (d == ')' && open) {
                open = false;
                ++j;
                continue;
            }
            const bool after_part = j > i && (is_digit(t[j - 1]) || t[j - 1] == ')');
            if ((d == ' ' || d == '-' || d == '.') && after_part && j + 1 < t.size() &&
                (is_digit(t[j + 1]) || t[j + 1] == '(')) {
                ++j;
                continue;
            }
            break;
        }
        if (cur > 0) groups.push_back({group_start, group_start + cur});
        const size_t end = j;
        const bool clean_end = end >= t.size() || !(is_alnum(t[end]) || t[end] == '%' ||
                                                    t[end] == '@' || t[end] == '/');
        bool ok = clean_end && !open && digits >= 7 && digits <= 15 && !groups.empty();
        if (ok) {
            const string_view first = t.substr(groups[0].b, groups[0].e - groups[0].b);
            const string_view before = low.substr(i >= 24 ? i - 24 : 0, i >= 24 ? 24 : i);
            const bool labelled = before.find("phone") != string_view::npos ||
                                  before.find("tel") != string_view::npos ||
                                  before.find("mobile") != string_view::npos ||
                                  before.find("cell") != string_view::npos ||
                                  before.find("call") != string_view::npos ||
                                  before.find("whatsapp") != string_view::npos ||
                                  before.find("contact") != string_view::npos;
            ok = !(year_like(first) && !plus && !labelled) &&
                 (plus || labelled || (paren && digits >= 10) ||
                  (digits >= 10 && first.size() >= 3));
        }
        if (ok) {
            if (c.phone.empty()) c.phone = string(t.substr(i, end - i));
            c.spans.push_back({i, end});
            i = end;
        } else {
            i = std::max(j, i + 1);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Skills scan: one pass over the text; at each word start only the aliases sharing its first
// byte are tried, and the longest match wins ("React Native" over "React", "C++" over "C").

struct SkillHit {
    std::uint16_t skill;
    size_t pos;
    size_t len;
};

// Short or everyday aliases ("Go", "R", "C") count only inside a list or a clear phrase.
bool list_context(string_view text, string_view low, size_t b, size_t e) {
    size_t p = b;
    while (p > 0 && text[p - 1] == ' ') --p;
    const char pc = p > 0 ? text[p - 1] : '\n';
    size_t q = e;
    while (q < text.size() && text[q] == ' ') ++q;
    const char nc = q < text.size() ? text[q] : '\n';
    if (text.substr(b, e - b) == "R" && (nc == '&' || low.substr(q, 5) == "and d")) return false;
    if (pc == ',' || pc == '/' || pc == '(' || pc == ':' || pc == '|') return true;
    if (nc == ',' || nc == '/' || nc == ')' || nc == '|') return true;
    size_t w = p;
    while (w > 0 && is_alpha(low[w - 1])) --w;
    const string_view prev = low.substr(w, p - w);
    size_t x = q;
    while (x < low.size() && (is_alpha(low[x]) || low[x] == '-')) ++x;
    const string_view next = low.substr(q, x - q);
    static constexpr auto kBefore = sorted(std::to_array<string_view>({
        "in",          "with",      "using",    "and",     "or",         "including",
        "like",        "languages", "language", "know",    "knows",      "learned",
        "learning",    "wrote",     "write",    "writing", "proficient", "expert",
        "experienced", "fluent",    "skilled",  "use",     "used",
    }));
    static constexpr auto kAfter = sorted(std::to_array<string_view>({
        "developer",    "developers", "engineer",  "engineers",   "programming", "programmer",
        "language",     "code",       "backend",   "back-end",    "services",    "microservices",
        "and",          "or",         "lang",      "modules",     "apis",        "api",
        "scripts",      "scripting",  "libraries", "library",     "stack",       "projects",
        "applications", "apps",       "framework", "development", "on",
    }));
    return has_word(kBefore, prev) || has_word(kAfter, next);
}

void scan_skills(string_view text, string_view low, size_t b, size_t e,
                 std::vector<SkillHit>& out) {
    const SkillIndex& idx = skill_index();
    size_t i = b;
    while (i < e) {
        const char prev = i > b ? low[i - 1] : ' ';
        const bool boundary = !(is_alnum(prev) || prev == '.' || prev == '_' || prev == '+' ||
                                prev == '#' || prev == '-' || prev == '@' || is_high(prev));
        if (!boundary) {
            ++i;
            continue;
        }
        size_t best_len = 0;
        std::uint16_t best = 0;
        for (const AliasRef& a : idx.buckets[static_cast<unsigned char>(low[i])]) {
            const size_t len = a.alias.size();
            if (len > e - i || len <= best_len) continue;
            const string_view src = a.exact ? text : low;
            if (len > 1 && src[i + 1] != a.alias[1]) continue;  // cheap reject before compare
            if (src.substr(i, len) != a.alias) continue;
            const size_t r = i + len;
            if (r < e) {
                const char nc = low[r];
                const bool ends_alnum = is_alnum(a.alias.back());
                if (ends_alnum && is_alnum(nc)) continue;
                if (!ends_alnum && is_alpha(nc)) continue;
                if (nc == '+' || nc == '#' || nc == '_' || is_high(nc)) continue;
                if ((nc == '.' || nc == '@' || nc == ':') && r + 1 < e && is_alnum(low[r + 1]))
                    continue;  // "node.js" is not "node", "javascript:alert" is no skill
                if (nc == '-' && len <= 2) continue;
            }
            if ((kSkills[a.skill].flags & kContext) != 0 && !list_context(text, low, i, r))
                continue;
            best_len = len;
            best = a.skill;
        }
        if (best_len != 0) {
            out.push_back({best, i, best_len});
            i += best_len;
        } else {
            ++i;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Word-level helpers shared by the extractors.

bool space_gap(const Doc& d, const Token& t) {
    return all_spaces(d.gap(t));
}

// "JANE" -> "Jane", "jane" -> "Jane", "McDonald" stays.
string capitalize_word(string_view w) {
    string out(w);
    bool has_lower = false;
    int letters = 0;
    for (char c : w) {
        if (is_lower(c)) has_lower = true;
        if (is_alpha(c)) ++letters;
    }
    if (!has_lower && letters > 1) {
        bool start = true;
        for (char& c : out) {
            if (is_alpha(c)) {
                c = start ? to_upper(c) : to_lower(c);
                start = false;
            } else if (c == '-' || c == '\'') {
                start = true;
            }
        }
    } else if (!out.empty()) {
        out[0] = to_upper(out[0]);
    }
    return out;
}

// Field names are title-cased but keep acronyms ("AI") and small words ("of", "and").
string title_case_phrase(const std::vector<string_view>& words) {
    static constexpr auto kSmall = sorted(std::to_array<string_view>({
        "and",
        "of",
        "the",
        "in",
        "for",
        "&",
        "with",
        "on",
        "to",
        "a",
        "an",
    }));
    string out;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += ' ';
        const string lw = lower_copy(words[i]);
        if (i > 0 && has_word(kSmall, lw)) {
            out += lw;
        } else {
            string w(words[i]);
            if (!w.empty()) w[0] = to_upper(w[0]);
            out += w;
        }
    }
    return out;
}

// Seniority and field words that may precede a role noun ("Senior Backend Engineer").
bool is_modifier(const Doc& d, const Token& t) {
    const string_view lw = d.lword(t);
    if (lw == "it" && d.word(t) != "IT") return false;  // the pronoun
    if (lw == "go" && d.word(t) != "Go") return false;  // the verb
    return has_word(kSeniority, lw) || has_word(kTitleModifiers, lw);
}

bool is_title_word(string_view lw) {
    return has_word(kRoleNouns, lw) || has_word(kSeniority, lw) || has_word(kTitleModifiers, lw);
}

bool is_year_token(string_view w) {
    return w.size() == 4 && std::all_of(w.begin(), w.end(), is_digit) && year_like(w);
}

const Degree* degree_at(const Doc& d, const Sentence& s, size_t k) {
    const string_view w = d.word(s.toks[k]);
    const string_view lw = d.lword(s.toks[k]);
    // Every degree key starts with one of these letters; most words are rejected here.
    if (lw.empty() || string_view("abdlmp").find(lw[0]) == string_view::npos) return nullptr;
    const string_view next = k + 1 < s.toks.size() ? d.lword(s.toks[k + 1]) : string_view{};
    for (const Degree& dg : kDegrees) {
        if (dg.exact ? w != dg.key : lw != dg.key) continue;
        if (lw == "master" || lw == "masters" || lw == "bachelor" || lw == "bachelors") {
            if (!(next == "of" || next == "degree" || next == "in" || next == "'s")) return nullptr;
        }
        if (lw == "diploma" && next != "in") return nullptr;
        if (dg.exact && !(next == "in" || next == "degree" || next == "from" || next == "of"))
            return nullptr;
        return &dg;
    }
    return nullptr;
}

// Collects a run of capitalised words ("Acme Corp", "Bank of America", "Johnson & Johnson").
// Returns the index one past the last word used.
size_t collect_proper(const Doc& d, const Sentence& s, size_t start, size_t max_words,
                      string& out) {
    static constexpr auto kJoiners = sorted(std::to_array<string_view>({
        "of",
        "de",
        "du",
        "der",
        "la",
        "van",
        "von",
        "y",
        "for",
        "del",
        "da",
        "di",
    }));
    static constexpr auto kOrgTails = sorted(std::to_array<string_view>({
        "hospital",
        "clinic",
        "restaurant",
        "bakery",
        "cafe",
        "kitchen",
        "church",
        "club",
        "store",
        "shop",
        "pub",
        "bar",
        "bank",
        "hotel",
        "inn",
        "garage",
        "pharmacy",
    }));
    // Abbreviations that keep their period inside a name: "St. Mary's Hospital", "Acme Inc."
    static constexpr auto kDotted = sorted(std::to_array<string_view>({
        "st",
        "mt",
        "ft",
        "inc",
        "corp",
        "co",
        "ltd",
        "dr",
        "jr",
        "bros",
    }));
    out.clear();
    const size_t n = s.toks.size();
    size_t j = start;
    if (j < n && d.lword(s.toks[j]) == "the" && j + 1 < n &&
        starts_capital(d.word(s.toks[j + 1])) && d.word(s.toks[j]) != "The")
        ++j;
    size_t words = 0;
    while (j < n && words < max_words) {
        const Token& t = s.toks[j];
        const string_view gap = d.gap(t);
        const bool amp = trim(gap) == "&";
        const bool dotted =
            words > 0 && trim(gap) == "." && has_word(kDotted, d.lword(s.toks[j - 1]));
        if (words > 0 && !all_spaces(gap) && !amp && !dotted) break;
        if (dotted) out += '.';
        const string_view w = d.word(t);
        const bool cap =
            starts_capital(w) || (is_digit(w[0]) && std::any_of(w.begin(), w.end(), is_alpha));
        const string_view lw = d.lword(t);
        if (lw == "i" || lw == "i'm" || lw == "i've" || lw == "i'd") break;
        if (cap) {
            if (words > 0 && has_word(kRoleNouns, lw)) break;
            if (words > 0) out += amp ? " & " : " ";
            // "Google's Cloud team" -> Google; "McDonald's", "St. Mary's Hospital" are names.
            if (w.size() > 2 && w.substr(w.size() - 2) == "'s" && j + 1 < n &&
                space_gap(d, s.toks[j + 1]) && starts_capital(d.word(s.toks[j + 1])) &&
                !has_word(kInstitutionWords, d.lword(s.toks[j + 1])) &&
                !has_word(kOrgTails, d.lword(s.toks[j + 1]))) {
                out += w.substr(0, w.size() - 2);
                ++words;
                ++j;
                break;
            }
            out += w;
            ++words;
            ++j;
            continue;
        }
        if (words > 0 && has_word(kJoiners, lw) && j + 1 < n && space_gap(d, s.toks[j + 1]) &&
            starts_capital(d.word(s.toks[j + 1]))) {
            out += ' ';
            out += w;
            ++j;
            continue;
        }
        break;
    }
    return j;
}

// Free-text field after "in" ("Computer Science", "data analytics").
string collect_field(const Doc& d, const Sentence& s, size_t start) {
    static constexpr auto kStop = sorted(std::to_array<string_view>({
        "from",     "at",    "with",    "where",   "while",  "during", "graduating", "graduated",
        "class",    "which", "that",    "on",      "for",    "to",     "i",          "summa",
        "magna",    "cum",   "in",      "minor",   "major",  "gpa",    "honors",     "honours",
        "and",      "since", "between", "by",      "before", "after",  "because",    "but",
        "then",     "we",    "my",      "as",      "is",     "was",    "focusing",   "specializing",
        "expected", "when",  "until",   "through", "via",    "under",
    }));
    std::vector<string_view> words;
    const size_t n = s.toks.size();
    for (size_t j = start; j < n && words.size() < 6; ++j) {
        const Token& t = s.toks[j];
        if (j > start && !space_gap(d, t)) break;
        const string_view lw = d.lword(t);
        const string_view w = d.word(t);
        if (std::any_of(w.begin(), w.end(), is_digit)) break;
        if (has_word(kInstitutionWords, lw) && starts_capital(w)) break;
        if (lw == "and" && !words.empty() && j + 1 < n && space_gap(d, s.toks[j + 1]) &&
            !has_word(kStop, d.lword(s.toks[j + 1]))) {
            words.push_back(w);
            continue;
        }
        if (has_word(kStop, lw)) break;
        words.push_back(w);
    }
    while (!words.empty() && iequals(words.back(), "and")) words.pop_back();
    return title_case_phrase(words);
}

string join_and(const std::vector<string>& items) {
    string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += (i + 1 == items.size()) ? " and " : ", ";
        out += items[i];
    }
    return out;
}

// "Globex" and "Globex Corporation" are the same employer.
bool same_org(string_view a, string_view b) {
    if (a.size() > b.size()) std::swap(a, b);
    if (a.empty()) return false;
    return iequals(a, b.substr(0, a.size())) && (a.size() == b.size() || b[a.size()] == ' ');
}

bool push_unique(std::vector<string>& v, const string& s) {
    if (s.empty()) return false;
    for (const string& x : v)
        if (iequals(x, s)) return false;
    v.push_back(s);
    return true;
}

// ---------------------------------------------------------------------------------------------
// Names.

bool name_word_ok(string_view w, bool strict) {
    if (w.empty() || w.size() > 30 || !starts_capital(w)) return false;
    for (char c : w)
        if (!(is_alpha(c) || is_high(c) || c == '-' || c == '\'' || c == '.')) return false;
    const string lw = lower_copy(w);
    if (has_word(kNotNameWords, lw) || is_title_word(lw) || find_entry(kMonths, lw) != nullptr ||
        has_word(kInstitutionWords, lw) || has_word(kOrgSuffixes, lw))
        return false;
    for (const Degree& dg : kDegrees)
        if (iequals(dg.key, lw)) return false;
    return !(strict && is_skill_word(lw));
}

struct NameHit {
    string text;
    size_t pos = 0;
    size_t end = 0;
    size_t next = 0;  // token index after the name
};

std::optional<NameHit> collect_name(const Doc& d, const Sentence& s, size_t k, size_t min_words,
                                    bool strict) {
    const size_t n = s.toks.size();
    std::vector<string> words;
    size_t capitals = 0;
    size_t j = k;
    while (j < n && words.size() < 5) {
        const Token& t = s.toks[j];
        const string_view gap = d.gap(t);
        if (j > k) {
            const bool initial_gap = trim(gap) == "." && words.back().size() == 1;
            if (!all_spaces(gap) && !initial_gap) break;
            if (initial_gap) words.back() += '.';
        }
        const string_view w = d.word(t);
        if (name_word_ok(w, strict)) {
            words.push_back(capitalize_word(w));
            ++capitals;
            ++j;
            continue;
        }
        if (capitals > 0 && has_word(kNameParticles, d.lword(t)) && j + 1 < n &&
            space_gap(d, s.toks[j + 1]) && name_word_ok(d.word(s.toks[j + 1]), strict)) {
            words.emplace_back(d.lword(t));
            ++j;
            continue;
        }
        break;
    }
    if (capitals < min_words || capitals > 4) return std::nullopt;
    NameHit hit;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i > 0) hit.text += ' ';
        hit.text += words[i];
    }
    hit.pos = s.toks[k].pos;
    hit.end = s.toks[j - 1].pos + s.toks[j - 1].len;
    hit.next = j;
    return hit;
}

std::optional<NameHit> find_name(const Doc& d, bool& explicit_name) {
    for (const Sentence& s : d.sents) {
        const size_t n = s.toks.size();
        for (size_t k = 0; k < n; ++k) {
            const string_view lw = d.lword(s.toks[k]);
            std::optional<NameHit> hit;
            if (lw == "my" && k + 3 < n && d.lword(s.toks[k + 1]) == "name" &&
                d.lword(s.toks[k + 2]) == "is") {
                hit = collect_name(d, s, k + 3, 1, false);
            } else if (lw == "name" && k + 1 < n && (k == 0 || d.lword(s.toks[k - 1]) == "full") &&
                       (trim(d.gap(s.toks[k + 1])) == ":" || trim(d.gap(s.toks[k + 1])) == "-")) {
                hit = collect_name(d, s, k + 1, 1, false);
            } else if (k + 3 < n && ((lw == "mein" && d.lword(s.toks[k + 1]) == "name" &&
                                      d.lword(s.toks[k + 2]) == "ist") ||
                                     (lw == "mi" && d.lword(s.toks[k + 1]) == "nombre" &&
                                      d.lword(s.toks[k + 2]) == "es"))) {
                hit = collect_name(d, s, k + 3, 1, false);
            } else if (k + 2 < n && ((lw == "ich" && d.lword(s.toks[k + 1]) == "bin") ||
                                     (lw == "je" && d.lword(s.toks[k + 1]) == "suis") ||
                                     (lw == "me" && d.lword(s.toks[k + 1]) == "llamo"))) {
                hit = collect_name(d, s, k + 2, 2, false);
            } else if ((lw == "i'm" || lw == "im") && k + 1 < n) {
                hit = collect_name(d, s, k + 1, 2, false);
            } else if (lw == "i" && k + 2 < n && d.lword(s.toks[k + 1]) == "am") {
                hit = collect_name(d, s, k + 2, 2, false);
            }
            if (hit) {
                explicit_name = true;
                return hit;
            }
        }
    }
    // A CV usually starts with the name on its own line ("Jane Doe" or "Jane Doe, Engineer").
    const string_view text = d.text;
    size_t b = 0;
    while (b < text.size() && (text[b] == ' ' || text[b] == '\n')) ++b;
    const size_t line_end = std::min(text.find('\n', b), text.size());
    size_t cut = line_end;
    for (size_t i = b; i < line_end; ++i) {
        const char c = text[i];
        if (c == ',' || c == '|' || c == '(' || c == ':' || c == '/' ||
            (c == '-' && i > b && text[i - 1] == ' ')) {
            cut = i;
            break;
        }
    }
    Sentence line{b, cut, tokenize(text, b, cut)};
    if (line.toks.empty() || line.toks.size() > 5) return std::nullopt;
    auto hit = collect_name(d, line, 0, 2, true);
    if (!hit || hit->next != line.toks.size()) return std::nullopt;
    explicit_name = false;
    return hit;
}

// ---------------------------------------------------------------------------------------------
// Years of experience: "5 years of experience", "5+ years", "over five years in ...".

std::optional<string> find_years(const Doc& d, bool loose) {
    static constexpr auto kNumberWords = std::to_array<string_view>({
        "zero",     "one",     "two",     "three",     "four",     "five",     "six",
        "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    });
    static constexpr auto kAfterOk = sorted(std::to_array<string_view>({
        "of",          "in",           "experience", "as",
        "working",     "professional", "industry",   "hands-on",
        "building",    "developing",   "leading",    "managing",
        "track",       "career",       "designing",  "writing",
        "teaching",    "combined",     "total",      "now",
        "across",      "within",       "doing",      "creating",
        "running",     "supporting",   "delivering", "programming",
        "coding",      "nursing",      "'",          "professionally",
        "experience.",
    }));
    for (const Sentence& s : d.sents) {
        const size_t n = s.toks.size();
        for (size_t k = 0; k < n; ++k) {
            const string_view lw = d.lword(s.toks[k]);
            size_t digits = 0;
            while (digits < lw.size() && is_digit(lw[digits])) ++digits;
            int value = -1;
            string_view rest;
            if (digits > 0 && digits <= 2) {
                value = 0;
                for (size_t i = 0; i < digits; ++i) value = value * 10 + (lw[i] - '0');
                rest = lw.substr(digits);
            } else if (digits == 0) {
                for (size_t i = 0; i < kNumberWords.size(); ++i)
                    if (lw == kNumberWords[i]) value = static_cast<int>(i);
            }
            if (value < 1 || value > 50) continue;
            bool plus = false;
            if (!rest.empty() && rest.front() == '+') {
                plus = true;
                rest.remove_prefix(1);
            }
            if (!rest.empty() && rest.front() == '-') rest.remove_prefix(1);
            size_t next = k + 1;
            if (rest.empty()) {
                if (next < n && trim(d.gap(s.toks[next])) == "+") plus = true;
                if (next >= n) continue;
                rest = d.lword(s.toks[next]);
                ++next;
            }
            if (!(rest == "years" || rest == "year" || rest == "yrs" || rest == "yr")) continue;
            const string_view after = next < n ? d.lword(s.toks[next]) : string_view{};
            if (after == "old" || after == "ago") continue;
            const string_view prev = k > 0 ? d.lword(s.toks[k - 1]) : string_view{};
            const bool more = prev == "over" || prev == "than" || prev == "nearly" ||
                              prev == "almost" || prev == "about" || prev == "around" ||
                              prev == "approximately";
            bool experience_before = false;
            for (size_t b = k >= 3 ? k - 3 : 0; b < k; ++b)
                if (d.lword(s.toks[b]) == "experience") experience_before = true;
            const bool apostrophe = next < n && trim(d.gap(s.toks[next])) == "'";
            // "a nurse for 6 years" is only trusted when nothing more explicit exists, since
            // "at Acme for 2 years" is the tenure of one job.
            const bool tenure = loose && prev == "for";
            if (!(plus || more || experience_before || apostrophe || tenure ||
                  has_word(kAfterOk, after)))
                continue;
            string out = std::to_string(value);
            if (plus || prev == "over" || prev == "than") out += '+';
            return out;
        }
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Pasted CVs come with headings ("Education", "Projects:"); they tell what the lines below are.

enum class Section : std::uint8_t {
    None,
    Experience,
    Education,
    Projects,
    Skills,
    Certifications,
    Summary,
    Ignore
};

struct SectionLabel {
    string_view key;
    Section section;
};

// clang-format off
constexpr auto kSectionLabels = std::to_array<SectionLabel>({
    {"experience", Section::Experience}, {"work experience", Section::Experience},
    {"professional experience", Section::Experience}, {"employment", Section::Experience},
    {"employment history", Section::Experience}, {"work history", Section::Experience},
    {"career history", Section::Experience}, {"education", Section::Education},
    {"academic background", Section::Education}, {"projects", Section::Projects},
    {"personal projects", Section::Projects}, {"side projects", Section::Projects},
    {"selected projects", Section::Projects}, {"skills", Section::Skills},
    {"technical skills", Section::Skills}, {"core skills", Section::Skills},
    {"key skills", Section::Skills}, {"tech stack", Section::Skills},
    {"core competencies", Section::Skills}, {"certifications", Section::Certifications},
    {"certificates", Section::Certifications}, {"licenses", Section::Certifications},
    {"licenses and certifications", Section::Certifications}, {"summary", Section::Summary},
    {"professional summary", Section::Summary}, {"profile", Section::Summary},
    {"objective", Section::Summary}, {"career objective", Section::Summary},
    {"about", Section::Summary}, {"about me", Section::Summary}, {"interests", Section::Ignore},
    {"hobbies", Section::Ignore}, {"languages", Section::Ignore}, {"references", Section::Ignore},
    {"awards", Section::Ignore}, {"publications", Section::Ignore},
    {"volunteering", Section::Ignore}, {"contact", Section::Ignore},
    {"hobbies and interests", Section::Ignore},
});
// clang-format on

// Index of the first token after a leading "Label:" of up to three words, else 0.
size_t content_start(const Doc& d, const Sentence& s) {
    for (size_t k = 1; k <= 3 && k < s.toks.size(); ++k) {
        const string_view g = trim(d.gap(s.toks[k]));
        if (!g.empty()) return g.front() == ':' ? k : 0;
    }
    return 0;
}

// A heading that opens a line: "Education", "Work Experience:", "Skills: Go, SQL".
std::optional<Section> section_heading(const Doc& d, const Sentence& s) {
    const size_t n = s.toks.size();
    const size_t start = content_start(d, s);
    for (size_t len = std::min<size_t>(n, 4); len >= 1; --len) {
        if (!(len == n || start == len)) continue;
        string label;
        for (size_t i = 0; i < len; ++i) {
            if (i > 0) label += ' ';
            label += d.lword(s.toks[i]);
        }
        for (const SectionLabel& l : kSectionLabels) {
            if (label == l.key) return l.section;
            // "Hobbies & Interests": '&' is not a word, so "hobbies interests" arrives here.
            const size_t and_at = l.key.find(" and ");
            if (and_at != string_view::npos &&
                label == string(l.key.substr(0, and_at)) + string(l.key.substr(and_at + 4)))
                return l.section;
        }
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Job titles.

struct TitleHit {
    size_t first;  // token range [first, last]
    size_t last;
    string text;
};

std::vector<TitleHit> find_titles(const Doc& d, const Sentence& s) {
    std::vector<TitleHit> out;
    const size_t n = s.toks.size();
    for (size_t k = 0; k < n; ++k) {
        const string_view lw = d.lword(s.toks[k]);
        if (!has_word(kRoleNouns, lw)) continue;
        // "Lead Developer", "Assistant Manager": let the later noun own the whole title.
        if (k + 1 < n && space_gap(d, s.toks[k + 1]) &&
            has_word(kRoleNouns, d.lword(s.toks[k + 1])) && is_modifier(d, s.toks[k]))
            continue;
        size_t left = k;
        size_t mods = 0;
        while (left > 0 && mods < 5 && space_gap(d, s.toks[left]) &&
               is_modifier(d, s.toks[left - 1])) {
            --left;
            ++mods;
        }
        size_t right = k + 1;
        if (has_word(kOfNouns, lw) && right + 1 < n && d.lword(s.toks[right]) == "of" &&
            space_gap(d, s.toks[right])) {
            size_t r = right + 1;
            size_t taken = 0;
            while (r < n && taken < 3 && space_gap(d, s.toks[r]) &&
                   (starts_capital(d.word(s.toks[r])) || is_modifier(d, s.toks[r]))) {
                ++r;
                ++taken;
            }
            if (taken > 0) right = r;
        }
        const string_view prev = left > 0 ? d.lword(s.toks[left - 1]) : string_view{};
        const string_view prev2 = left > 1 ? d.lword(s.toks[left - 2]) : string_view{};
        const bool adjacent = left > 0 && space_gap(d, s.toks[left]);
        const bool article = adjacent && (prev == "a" || prev == "an");
        const bool article_ok = article && (left < 2 || !space_gap(d, s.toks[left - 1]) ||
                                            has_word(kTitleArticleOk, prev2));
        // "AWS Certified Solutions Architect" names a certification, not a job.
        bool reject = (adjacent && has_word(kTitleRejectBefore, prev) &&
                       !(prev == "to" && prev2 == "promoted")) ||
                      (adjacent && prev == "certified");
        if (article && !article_ok) reject = true;
        if (!reject && has_word(kWeakNouns, lw) && mods == 0 && right == k + 1)
            reject = !(article_ok || (adjacent && prev == "as"));
        if (reject) {
            k = right - 1;
            continue;
        }
        string text;
        for (size_t i = left; i < right; ++i) {
            if (i > left) text += ' ';
            const Token& t = s.toks[i];
            if (i == k || is_modifier(d, t)) {
                text += title_word(d.lword(t));
            } else if (i > k && d.lword(t) == "of") {
                text += "of";
            } else {
                text += capitalize_word(d.word(t));
            }
        }
        out.push_back({left, right - 1, text});
        k = right - 1;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Employers.

bool employer_ok(const string& candidate, const string& name) {
    if (candidate.empty() || candidate.size() > 80) return false;
    if (!name.empty() && iequals(candidate, name)) return false;
    size_t first_end = candidate.find(' ');
    const string first = lower_copy(candidate.substr(0, first_end));
    if (has_word(kNotEmployerWords, first) || find_entry(kMonths, first) != nullptr) return false;
    if (std::all_of(first.begin(), first.end(), [](char c) { return is_digit(c); })) return false;
    // "at Senior level", "at Python": vocabulary rather than a company.
    bool all_vocab = true;
    size_t b = 0;
    while (b < candidate.size()) {
        size_t e = candidate.find(' ', b);
        if (e == string::npos) e = candidate.size();
        const string w = lower_copy(string_view(candidate).substr(b, e - b));
        const bool vocab = has_word(kRoleNouns, w) || has_word(kSeniority, w);
        if (!vocab && w != "&" && w != "of" && w != "and") all_vocab = false;
        b = e + 1;
    }
    if (all_vocab) return false;
    Cat cat = Cat::Other;
    if (candidate.find(' ') == string::npos && is_skill_word(lower_copy(candidate), &cat) &&
        (cat == Cat::Lang || cat == Cat::Soft))  // Shopify and Salesforce are employers too
        return false;
    return true;
}

struct EmployerHit {
    size_t first;
    string text;
};

std::vector<EmployerHit> find_employers(const Doc& d, const Sentence& s, const string& name,
                                        const std::vector<TitleHit>& titles) {
    static constexpr auto kAtRejectBefore = sorted(std::to_array<string_view>({
        "good",      "great",  "expert",  "skilled",  "proficient",  "excellent", "better",
        "best",      "strong", "bad",     "look",     "looking",     "looked",    "arrived",
        "located",   "based",  "live",    "lives",    "living",      "lived",     "born",
        "stay",      "stayed", "studied", "study",    "studying",    "graduated", "degree",
        "presented", "spoke",  "speaker", "talk",     "talks",       "least",     "most",
        "once",      "home",   "times",   "rate",     "level",       "scale",     "peak",
        "aimed",     "aim",    "aiming",  "targeted", "competitive", "fluent",    "hard",
    }));
    static constexpr auto kWorkVerbs = sorted(std::to_array<string_view>({
        "work",      "worked",      "works",        "working",    "consulted",   "consulting",
        "consult",   "freelanced",  "freelancing",  "contracted", "contracting", "interned",
        "interning", "volunteered", "volunteering", "volunteer",  "wrote",       "write",
        "writes",    "engineer",    "developer",    "designer",   "consultant",  "manager",
    }));
    static constexpr auto kOrgNouns = sorted(std::to_array<string_view>({
        "startup",      "company",   "agency",     "firm",        "business", "organization",
        "organisation", "nonprofit", "non-profit", "studio",      "shop",     "restaurant",
        "hospital",     "bank",      "clinic",     "consultancy", "lab",      "store",
        "brand",        "charity",   "school",     "bakery",      "cafe",     "hotel",
    }));
    static constexpr auto kFounderNouns = sorted(std::to_array<string_view>({
        "founder",
        "co-founder",
        "cofounder",
        "ceo",
        "cto",
        "cfo",
        "coo",
        "owner",
        "president",
    }));
    std::vector<EmployerHit> out;
    const size_t n = s.toks.size();
    auto add = [&](size_t start) {
        for (int listed = 0; start < n && listed < 3; ++listed) {
            string cand;
            const size_t end = collect_proper(d, s, start, 6, cand);
            if (!employer_ok(cand, name)) return;
            bool dup = false;
            for (const EmployerHit& e : out) dup = dup || iequals(e.text, cand);
            if (!dup) out.push_back({start, cand});
            // "at Google, Meta and Amazon"
            if (end >= n) return;
            const string_view g = trim(d.gap(s.toks[end]));
            if (g == "," && end + 1 < n && d.lword(s.toks[end]) == "and") {
                start = end + 1;
            } else if (g == "," && starts_capital(d.word(s.toks[end]))) {
                start = end;
            } else if (g.empty() && d.lword(s.toks[end]) == "and" && end + 1 < n &&
                       starts_capital(d.word(s.toks[end + 1]))) {
                start = end + 1;
            } else {
                return;
            }
        }
    };
    for (size_t k = 0; k < n; ++k) {
        const string_view lw = d.lword(s.toks[k]);
        const string_view prev = k > 0 ? d.lword(s.toks[k - 1]) : string_view{};
        const string_view next_gap = k + 1 < n ? trim(d.gap(s.toks[k + 1])) : string_view{};
        if (lw == "at") {
            if (!has_word(kAtRejectBefore, prev) && all_spaces(next_gap)) add(k + 1);
        } else if (lw == "for") {
            if (has_word(kWorkVerbs, prev) && all_spaces(next_gap)) add(k + 1);
        } else if (lw == "joined" || lw == "join" || lw == "joining") {
            if (all_spaces(next_gap)) add(k + 1);
        } else if (lw == "by" && (prev == "employed" || prev == "hired")) {
            add(k + 1);
        } else if ((lw == "employer" || lw == "company" || lw == "organization" ||
                    lw == "organisation") &&
                   (next_gap == ":" || next_gap == "-")) {
            add(k + 1);
        } else if (lw == "of" && has_word(kFounderNouns, prev)) {
            add(k + 1);
        } else if ((lw == "called" || lw == "named") && has_word(kOrgNouns, prev)) {
            add(k + 1);  // "a startup called Brightly"
        }
    }
    // CV header lines: "Senior Engineer, Acme Corp" or "Acme Corp | Senior Engineer".
    if (out.empty() && !titles.empty() && n <= 14) {
        static constexpr auto kSeparators =
            std::to_array<string_view>({",", "-", "|", "@", "/", "-", ":"});
        const TitleHit& t = titles.front();
        auto sep = [&](size_t i) {
            const string_view g = trim(d.gap(s.toks[i]));
            return std::find(kSeparators.begin(), kSeparators.end(), g) != kSeparators.end();
        };
        if (t.last + 1 < n && sep(t.last + 1)) {
            string cand;
            const size_t end = collect_proper(d, s, t.last + 1, 6, cand);
            const bool place =
                (cand.find(' ') == string::npos && place_token(cand)) ||
                (end < n && trim(d.gap(s.toks[end])) == "," && place_token(d.word(s.toks[end])));
            if (!place) add(t.last + 1);
        }
        if (out.empty() && t.first > 0 && sep(t.first)) {
            string cand;
            if (collect_proper(d, s, 0, 6, cand) == t.first && employer_ok(cand, name))
                out.push_back({0, cand});
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Dates of a role: "2019 - 2022", "Jan 2019 to present", "since 2020".

struct DateRange {
    string start;
    string end;
};

bool year_at(string_view low, size_t i) {
    return i + 4 <= low.size() && (i == 0 || !is_alnum(low[i - 1])) &&
           (i + 4 == low.size() || !is_alnum(low[i + 4])) && is_year_token(low.substr(i, 4));
}

// "Jan 2019" when a month precedes the year.
string with_month(string_view text, string_view low, size_t year_pos) {
    string year(text.substr(year_pos, 4));
    size_t p = year_pos;
    if (p == 0 || low[p - 1] != ' ') return year;
    --p;
    if (p > 0 && low[p - 1] == '.') --p;
    size_t w = p;
    while (w > 0 && is_alpha(low[w - 1])) --w;
    if (const Entry* m = find_entry(kMonths, low.substr(w, p - w)))
        return string(m->display) + " " + year;
    return year;
}

std::optional<DateRange> find_dates(const Doc& d, const Sentence& s) {
    const string_view text = d.sentence_text(s);
    const string_view low = d.sentence_lower(s);
    for (size_t i = 0; i + 4 <= low.size(); ++i) {
        if (!year_at(low, i)) continue;
        size_t j = i + 4;
        while (j < low.size() && low[j] == ' ') ++j;
        bool sep = false;
        if (j < low.size() && low[j] == '-') {
            sep = true;
            ++j;
        } else {
            for (string_view w : {string_view("to "), string_view("until "), string_view("till "),
                                  string_view("through "), string_view("thru ")}) {
                if (low.substr(j, w.size()) == w) {
                    sep = true;
                    j += w.size();
                    break;
                }
            }
        }
        if (sep) {
            while (j < low.size() && low[j] == ' ') ++j;
            size_t y2 = j;
            size_t w = j;
            while (w < low.size() && is_alpha(low[w])) ++w;
            const string_view word = low.substr(j, w - j);
            if (find_entry(kMonths, word) != nullptr) {
                y2 = w;
                if (y2 < low.size() && low[y2] == '.') ++y2;
                while (y2 < low.size() && low[y2] == ' ') ++y2;
            }
            if (year_at(low, y2))
                return DateRange{with_month(text, low, i), with_month(text, low, y2)};
            if (word == "present" || word == "now" || word == "current" || word == "today" ||
                word == "date")
                return DateRange{with_month(text, low, i), "Present"};
        }
        size_t b = i;
        while (b > 0 && low[b - 1] == ' ') --b;
        size_t w = b;
        while (w > 0 && (is_alpha(low[w - 1]))) --w;
        string_view before = low.substr(w, b - w);
        if (find_entry(kMonths, before) != nullptr && w > 0) {
            size_t w2 = w;
            while (w2 > 0 && low[w2 - 1] == ' ') --w2;
            size_t w3 = w2;
            while (w3 > 0 && is_alpha(low[w3 - 1])) --w3;
            before = low.substr(w3, w2 - w3);
        }
        if (before == "since") return DateRange{with_month(text, low, i), "Present"};
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Education.

struct Education {
    string degree;
    string institution;
    string year;
};

// The first institution named in tokens [from, to).
string find_institution(const Doc& d, const Sentence& s, size_t from, size_t to) {
    const size_t n = s.toks.size();
    for (size_t k = from; k < to && k < n; ++k) {
        const Token& t = s.toks[k];
        if (!has_word(kInstitutionWords, d.lword(t)) || !starts_capital(d.word(t))) continue;
        size_t left = k;
        while (left > 0 && k - left < 3 && space_gap(d, s.toks[left])) {
            const Token& p = s.toks[left - 1];
            const string lw(d.lword(p));
            if (!starts_capital(d.word(p)) || lw == "i" || lw == "from" || lw == "at" ||
                lw == "in" || degree_at(d, s, left - 1) != nullptr || has_word(kNotNameWords, lw))
                break;
            --left;
        }
        if (left > 0 && d.word(s.toks[left - 1]) == "The" && space_gap(d, s.toks[left])) --left;
        size_t right = k + 1;
        size_t extra = 0;
        while (right < n && extra < 5 && space_gap(d, s.toks[right])) {
            const string_view lw = d.lword(s.toks[right]);
            const string_view w = d.word(s.toks[right]);
            // "University of Texas at Austin", "Università di Bologna"
            if ((lw == "of" || lw == "for" || lw == "and" || lw == "de" || lw == "y" ||
                 lw == "at" || lw == "di" || lw == "la" || lw == "du") &&
                right + 1 < n && space_gap(d, s.toks[right + 1]) &&
                starts_capital(d.word(s.toks[right + 1]))) {
                right += 2;
                extra += 2;
                continue;
            }
            if (starts_capital(w) && !is_year_token(w) && !has_word(kRoleNouns, lw) &&
                degree_at(d, s, right) == nullptr && lw != "i") {
                ++right;
                ++extra;
                continue;
            }
            break;
        }
        string out;
        for (size_t i = left; i < right; ++i) {
            if (i > left) out += ' ';
            out += d.word(s.toks[i]);
        }
        return out;
    }
    return {};
}

// "... from MIT", "graduated at Stanford": a capitalised name after from/at in tokens [from, to).
string institution_after_preposition(const Doc& d, const Sentence& s, size_t from, size_t to) {
    for (size_t k = from; k + 1 < to && k + 1 < s.toks.size(); ++k) {
        const string_view lw = d.lword(s.toks[k]);
        if ((lw != "from" && lw != "at") || !space_gap(d, s.toks[k + 1])) continue;
        string cand;
        collect_proper(d, s, k + 1, 6, cand);
        if (!cand.empty() &&
            !has_word(kNotEmployerWords, lower_copy(cand.substr(0, cand.find(' ')))))
            return cand;
    }
    return {};
}

// Returns the entries of one sentence; `is_edu` says whether the sentence is about education.
// `in_section` is true under an "Education" heading, where a bare school name is enough.
std::vector<Education> find_education(const Doc& d, const Sentence& s, bool in_section,
                                      bool& is_edu) {
    static constexpr auto kEduVerbs = sorted(std::to_array<string_view>({
        "studied",
        "graduated",
        "attended",
        "majored",
        "enrolled",
        "studying",
        "minored",
        "study",
        "graduating",
    }));
    std::vector<Education> out;
    const size_t n = s.toks.size();
    std::vector<size_t> degree_pos;
    size_t edu_verb = n;
    for (size_t k = 0; k < n; ++k)
        if (edu_verb == n && has_word(kEduVerbs, d.lword(s.toks[k]))) edu_verb = k;
    for (size_t k = 0; k < n; ++k) {
        const string_view lw = d.lword(s.toks[k]);
        const Degree* dg = degree_at(d, s, k);
        const bool doctor_of = lw == "doctor" && k + 1 < n && d.lword(s.toks[k + 1]) == "of";
        // "a degree in Communications": the kind of degree is unknown, the field is not.
        const bool generic = dg == nullptr && lw == "degree" && k + 1 < n &&
                             d.lword(s.toks[k + 1]) == "in" && space_gap(d, s.toks[k + 1]);
        if (dg == nullptr && !doctor_of && !generic) continue;
        string degree =
            dg != nullptr ? string(dg->display) : string(doctor_of ? "Doctorate" : "[Degree]");
        size_t j = k + 1;
        const bool named =
            lw.substr(0, 8) == "bachelor" || lw.substr(0, 6) == "master" || doctor_of;
        if (named && j < n && d.lword(s.toks[j]) == "of") {
            std::vector<string_view> words;
            size_t m = j + 1;
            while (m < n && words.size() < 3 && space_gap(d, s.toks[m])) {
                const string_view w = d.lword(s.toks[m]);
                if (w == "in" || w == "from" || w == "at" || w == "with" || w == "degree" ||
                    std::any_of(w.begin(), w.end(), is_digit))
                    break;
                words.push_back(d.word(s.toks[m]));
                ++m;
            }
            if (!words.empty()) {
                string key =
                    lw.substr(0, 6) == "master" ? "master" : (doctor_of ? "doctor" : "bachelor");
                for (string_view w : words) key += " " + lower_copy(w);
                const string base = key.substr(0, key.find(' '));
                degree.clear();
                for (const Degree& o : kDegreeOf)
                    if (o.key == key) degree = o.display;
                if (degree.empty())
                    degree = capitalize_word(base) + " of " + title_case_phrase(words);
                j = m;
            }
        }
        // "B.A. in Economics": the abbreviation's final period sits in the gap.
        auto gap_ok = [&](size_t i) {
            const string_view g = trim(d.gap(s.toks[i]));
            return g.empty() || (g == "." && i == k + 1);
        };
        if (j < n && (d.lword(s.toks[j]) == "degree" || d.lword(s.toks[j]) == "degrees") &&
            gap_ok(j))
            ++j;
        if (j < n && gap_ok(j) &&
            (d.lword(s.toks[j]) == "in" ||
             (d.lword(s.toks[j]) == "of" && dg != nullptr && !named))) {
            const string field = collect_field(d, s, j + 1);
            if (!field.empty()) degree += " in " + field;
        }
        if (generic && degree == "[Degree]") continue;
        degree_pos.push_back(k);
        out.push_back({degree, {}, {}});
        k = std::max(k, j > 0 ? j - 1 : 0);
    }
    string institution = find_institution(d, s, 0, n);
    if (institution.empty() && (!out.empty() || edu_verb < n))
        institution =
            institution_after_preposition(d, s, out.empty() ? edu_verb : degree_pos.front(), n);
    // A school named without a degree is education only when the sentence says so ("studied
    // at", an Education heading); "I teach at Lincoln High School" is a job.
    if (out.empty() && !institution.empty() && (edu_verb < n || in_section)) {
        string degree;
        const string_view verb = edu_verb < n ? d.lword(s.toks[edu_verb]) : string_view{};
        if (verb == "studied" || verb == "study" || verb == "studying") {
            degree = collect_field(d, s, edu_verb + 1);  // "studied Computer Engineering at TU"
        } else if ((verb == "majored" || verb == "minored") && edu_verb + 1 < n &&
                   d.lword(s.toks[edu_verb + 1]) == "in") {
            degree = collect_field(d, s, edu_verb + 2);
        }
        out.push_back({degree.empty() ? string() : "[Degree] in " + degree, {}, {}});
        degree_pos.push_back(0);
    }
    is_edu = !out.empty();
    for (size_t e = 0; e < out.size(); ++e) {
        const size_t from = degree_pos[e];
        const size_t to = e + 1 < degree_pos.size() ? degree_pos[e + 1] : n;
        // "an M.Ed. from Boston University and a B.Sc. from UMass": each degree keeps its own.
        if (out.size() > 1) {
            out[e].institution = find_institution(d, s, from, to);
            if (out[e].institution.empty())
                out[e].institution = institution_after_preposition(d, s, from, to);
        } else {
            out[e].institution = institution;
        }
        // Year: the first one after the degree (the end of a range wins: "2011-2015").
        for (size_t k = from; k < to; ++k) {
            const string_view w = d.word(s.toks[k]);
            string_view year;
            if (is_year_token(w)) {
                year = w;
            } else if (w.size() == 9 && w[4] == '-' && is_year_token(w.substr(5))) {
                year = w.substr(5);
            }
            if (year.empty()) continue;
            if (k + 1 < n && trim(d.gap(s.toks[k + 1])) == "-" &&
                is_year_token(d.word(s.toks[k + 1])))
                year = d.word(s.toks[k + 1]);
            out[e].year = string(year);
            if (k > 0 && d.lword(s.toks[k - 1]) == "expected")
                out[e].year = "Expected " + out[e].year;
            break;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Certifications.

std::vector<string> find_certifications(const Doc& d, const Sentence& s, bool& is_cert) {
    static constexpr auto kSuffix = sorted(std::to_array<string_view>({
        "associate",
        "professional",
        "practitioner",
        "specialty",
        "expert",
        "foundational",
        "fundamentals",
        "foundation",
    }));
    std::vector<string> out;
    size_t last_end = string_view::npos;  // token index after the last phrase
    const size_t n = s.toks.size();
    for (size_t k = 0; k < n; ++k) {
        const string_view w = d.word(s.toks[k]);
        const string_view lw = d.lword(s.toks[k]);
        if (const Entry* e = find_entry(kCertAcronyms, w)) {
            if (!out.empty() && last_end == k && trim(d.gap(s.toks[k])) == "(") {
                out.back() += " (" + string(e->display) + ")";
            } else {
                push_unique(out, string(e->display));
            }
            continue;
        }
        const bool certified = lw == "certified";
        const bool certification = lw == "certification" || lw == "certificate" ||
                                   lw == "certifications" || lw == "certificates";
        if (!certified && !certification) continue;
        if (k + 1 < n && d.lword(s.toks[k + 1]) == "in" && space_gap(d, s.toks[k + 1])) {
            const string field = collect_field(d, s, k + 2);
            if (!field.empty()) {
                string head = certified ? "Certified"
                                        : (lw.substr(0, 11) == "certificate" ? "Certificate"
                                                                             : "Certification");
                push_unique(out, head + " in " + field);
                last_end = k + 2;
                continue;
            }
        }
        if (certified && starts_capital(w)) {
            size_t left = k;
            while (left > 0 && k - left < 3 && space_gap(d, s.toks[left]) &&
                   starts_capital(d.word(s.toks[left - 1])) && d.lword(s.toks[left - 1]) != "i")
                --left;
            size_t right = k + 1;
            while (right < n && right - k <= 6 && space_gap(d, s.toks[right]) &&
                   starts_capital(d.word(s.toks[right])))
                ++right;
            string name;
            for (size_t i = left; i < right; ++i) {
                if (i > left) name += ' ';
                name += d.word(s.toks[i]);
            }
            if (right < n && trim(d.gap(s.toks[right])) == "-" &&
                has_word(kSuffix, d.lword(s.toks[right]))) {
                name += " – " + string(d.word(s.toks[right]));
                ++right;
            }
            if (right - left >= 2) {
                push_unique(out, name);
                last_end = right;
            }
            continue;
        }
        if (certification && k > 0 && space_gap(d, s.toks[k])) {
            size_t left = k;
            while (left > 0 && k - left < 6 && space_gap(d, s.toks[left]) &&
                   starts_capital(d.word(s.toks[left - 1])) && d.lword(s.toks[left - 1]) != "i")
                --left;
            if (left == k) continue;
            string name;
            for (size_t i = left; i < k; ++i) {
                if (i > left) name += ' ';
                name += d.word(s.toks[i]);
            }
            name += lw.substr(0, 11) == "certificate" ? " Certificate" : " Certification";
            push_unique(out, name);
            last_end = k + 1;
        }
    }
    const string_view low = d.sentence_lower(s);
    is_cert = !out.empty() || contains_phrase(low, "certified") ||
              contains_phrase(low, "certification") || contains_phrase(low, "certificate") ||
              contains_phrase(low, "certifications");
    return out;
}

// ---------------------------------------------------------------------------------------------
// Bullets: the achievement part of a sentence, written the way resumes are (no "I", starts with
// the verb, ends with a period).

string escape_md(string_view s) {
    string out;
    out.reserve(s.size() + 8);
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '[' || c == ']') {
            // No links or images built from user text ("[x](javascript:...)", tracking pixels);
            // the brackets still render as brackets.
            out += '\\';
            out += c;
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<string> clean_bullet(string_view raw) {
    raw = trim(raw);
    while (!raw.empty() &&
           (raw.back() == '.' || raw.back() == ',' || raw.back() == ';' || raw.back() == ':' ||
            raw.back() == '!' || raw.back() == ' ' || raw.back() == '-'))
        raw.remove_suffix(1);
    if (raw.size() < 8 || std::count(raw.begin(), raw.end(), ' ') < 2) return std::nullopt;
    string text(raw);
    // "Led X and I also built Y" -> "Led X and also built Y": bullets have no subject.
    for (string_view subject :
         {string_view(" and I "), string_view(" and we "), string_view(", and I "),
          string_view(" and I've "), string_view(" and I'd ")}) {
        for (size_t at = text.find(subject); at != string::npos; at = text.find(subject, at + 1))
            text.replace(at, subject.size(), subject[1] == 'a' ? " and " : ", and ");
    }
    bool truncated = false;
    if (text.size() > kMaxBulletBytes) {
        size_t cut = text.rfind(' ', kMaxBulletBytes);
        if (cut == string::npos || cut < kMaxBulletBytes / 2) cut = kMaxBulletBytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0u) == 0x80u) --cut;
        text.resize(cut);
        while (!text.empty() && (text.back() == ' ' || text.back() == ',')) text.pop_back();
        truncated = true;
    }
    text[0] = to_upper(text[0]);
    text += truncated ? "…" : ".";
    return escape_md(text);
}

std::optional<string> find_bullet(const Doc& d, const Sentence& s, bool has_title_or_employer,
                                  bool& present_only) {
    static constexpr auto kSubjects =
        std::to_array<string_view>({"i", "we", "i've", "we've", "i'd"});
    static constexpr auto kAmbiguous = sorted(std::to_array<string_view>({
        "set",
        "made",
        "run",
        "ran",
        "cut",
        "won",
        "served",
        "supported",
        "tested",
        "received",
        "closed",
        "turned",
        "handled",
        "helped",
        "owned",
        "raised",
        "processed",
    }));
    const size_t n = s.toks.size();
    if (n < 3) return std::nullopt;
    const string_view text = d.sentence_text(s);
    if (!text.empty() && text.back() == '?') return std::nullopt;
    size_t first = content_start(d, s);  // skip "Internship:" style labels
    while (first < n && std::all_of(d.word(s.toks[first]).begin(), d.word(s.toks[first]).end(),
                                    [](char c) { return is_digit(c); }))
        ++first;
    const size_t sentence_end = s.e;
    auto subject_before = [&](size_t k) {
        for (size_t i = first; i < k; ++i)
            if (d.lword(s.toks[i]) == "i" || d.lword(s.toks[i]) == "we") return true;
        return false;
    };
    auto from_token = [&](size_t k) {
        return clean_bullet(
            string_view(d.display).substr(s.toks[k].pos, sentence_end - s.toks[k].pos));
    };
    for (size_t k = first; k < n; ++k) {
        const string_view lw = d.lword(s.toks[k]);
        const bool past = has_word(kPastVerbs, lw);
        const bool present = has_word(kPresentVerbs, lw);
        if (!past && !present) continue;
        if (k == first && past) {
            present_only = false;
            return from_token(k);
        }
        size_t p = k;
        size_t fillers = 0;
        while (p > 0 && fillers < 3 && has_word(kSubjectFillers, d.lword(s.toks[p - 1]))) {
            --p;
            ++fillers;
        }
        if (p > 0 && std::find(kSubjects.begin(), kSubjects.end(), d.lword(s.toks[p - 1])) !=
                         kSubjects.end()) {
            present_only = !past;
            return from_token(k);
        }
        // "I joined Initech as a manager and grew the team": a second verb of the same subject.
        if (past && p > 0 && d.lword(s.toks[p - 1]) == "and" && subject_before(k)) {
            present_only = false;
            return from_token(k);
        }
    }
    for (size_t k = first; k + 1 < n; ++k) {
        if (d.lword(s.toks[k]) == "responsible" && d.lword(s.toks[k + 1]) == "for") {
            present_only = false;
            return from_token(k);
        }
    }
    if (!has_title_or_employer) {
        for (size_t k = first; k < n; ++k) {
            const string_view lw = d.lword(s.toks[k]);
            if (has_word(kPastVerbs, lw) && !has_word(kAmbiguous, lw)) {
                present_only = false;
                return from_token(first);
            }
        }
    }
    return std::nullopt;
}

// "based in Berlin, Germany"
string find_location(const Doc& d) {
    for (const Sentence& s : d.sents) {
        const size_t n = s.toks.size();
        for (size_t k = 0; k + 1 < n; ++k) {
            const string_view lw = d.lword(s.toks[k]);
            const string_view next = d.lword(s.toks[k + 1]);
            size_t start = n;
            if ((lw == "based" || lw == "located" || lw == "live" || lw == "living" ||
                 lw == "lives" || lw == "relocating" || lw == "residing") &&
                next == "in" && k + 2 < n)
                start = k + 2;
            if (lw == "location" && (trim(d.gap(s.toks[k + 1])) == ":")) start = k + 1;
            if (start >= n) continue;
            string place;
            size_t end = collect_proper(d, s, start, 3, place);
            if (place.empty() ||
                has_word(kNotEmployerWords, lower_copy(place.substr(0, place.find(' ')))))
                continue;
            if (end < n && trim(d.gap(s.toks[end])) == ",") {
                string more;
                const size_t end2 = collect_proper(d, s, end, 2, more);
                if (!more.empty() && (end2 >= n || !space_gap(d, s.toks[end2])))
                    place += ", " + more;
            }
            return place;
        }
    }
    // Header lines: "Registered Nurse, Boston, MA" or "Berlin, Germany | jane@x.com".
    for (size_t si = 0; si < d.sents.size() && si < 3; ++si) {
        const Sentence& s = d.sents[si];
        const size_t n = s.toks.size();
        for (size_t k = 0; k < n; ++k) {
            if (k > 0 && all_spaces(d.gap(s.toks[k]))) continue;
            string place;
            const size_t end = collect_proper(d, s, k, 2, place);
            if (place.empty() || end >= n || trim(d.gap(s.toks[end])) != "," ||
                !place_token(d.word(s.toks[end])) || is_title_word(lower_copy(place)))
                continue;
            if (end + 1 < n && all_spaces(d.gap(s.toks[end + 1]))) continue;
            return place + ", " + string(d.word(s.toks[end]));
        }
    }
    return {};
}

// Items of an explicit "Skills: a, b, c" line that the built-in list does not know.
void find_listed_skills(const Doc& d, const Sentence& s, bool in_section,
                        std::vector<string>& out) {
    static constexpr auto kHeads = sorted(std::to_array<string_view>({
        "skills",
        "technologies",
        "tools",
        "stack",
        "competencies",
        "expertise",
        "toolkit",
    }));
    const size_t n = s.toks.size();
    size_t head = n;
    for (size_t k = 0; k < n && k < 3; ++k) {
        if (has_word(kHeads, d.lword(s.toks[k])) && k + 1 < n &&
            trim(d.gap(s.toks[k + 1])).substr(0, 1) == ":") {
            head = k;
            break;
        }
    }
    const string_view text = d.text;
    size_t b = 0;
    if (head < n) {
        const size_t colon = text.find(':', s.toks[head].pos);
        if (colon == string_view::npos || colon >= s.e) return;
        b = colon + 1;
    } else if (in_section && !s.toks.empty()) {
        // Under a "Skills" heading every line is a list: "Go, Rust, Bazel".
        const size_t start = content_start(d, s);
        if (start >= n) return;
        b = start > 0 ? text.find(':', s.toks[start - 1].pos) + 1 : s.toks[0].pos;
    } else {
        return;
    }
    while (b < s.e) {
        size_t e = b;
        while (e < s.e && text[e] != ',' && text[e] != ';' && text[e] != '|' &&
               !(text[e] == ' ' && text.substr(e, 5) == " and ") &&
               !(text[e] == ' ' && text.substr(e, 3) == " - "))
            ++e;
        string_view item = trim(text.substr(b, e - b));
        while (!item.empty() && (item.back() == '.' || item.back() == ' ')) item.remove_suffix(1);
        if (item.size() >= 2 && item.size() <= 32 &&
            std::count(item.begin(), item.end(), ' ') < 4 &&
            std::any_of(item.begin(), item.end(), is_alpha) && item.front() != '-') {
            std::vector<SkillHit> known;
            scan_skills(text, d.low, static_cast<size_t>(item.data() - text.data()),
                        static_cast<size_t>(item.data() - text.data()) + item.size(), known);
            if (known.empty()) push_unique(out, string(item));
        }
        if (e >= s.e) break;
        b = e + (text[e] == ' ' ? (text.substr(e, 5) == " and " ? 5 : 3) : 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Assembly: one pass over the sentences builds roles in the order the user mentions them.

struct Role {
    string title;
    string employer;
    string start;
    string end;
    std::vector<string> bullets;
};

struct FoundSkill {
    string name;
    Cat cat;
};

struct Facts {
    string name;
    bool name_explicit = false;
    Contacts contacts;
    string location;
    string years;
    std::vector<FoundSkill> skills;
    std::vector<string> titles;
    std::vector<Role> roles;
    std::vector<Education> education;
    std::vector<string> certifications;
    std::vector<string> projects;
    size_t bullets = 0;
    size_t employers = 0;
    int career_words = 0;
    int off_score = 0;
};

void add_skill(Facts& f, string_view name, Cat cat) {
    if (f.skills.size() >= kMaxSkills) return;
    for (const FoundSkill& s : f.skills)
        if (iequals(s.name, name)) return;
    f.skills.push_back({string(name), cat});
}

size_t new_role(Facts& f) {
    if (f.roles.size() >= kMaxRoles) return f.roles.size() - 1;
    f.roles.emplace_back();
    return f.roles.size() - 1;
}

void apply_dates(Role& r, const std::optional<DateRange>& dates) {
    if (dates && r.start.empty()) {
        r.start = dates->start;
        r.end = dates->end;
    }
}

// Sentences about the job the user wants, not one they held.
bool is_target_sentence(string_view low) {
    static constexpr auto kTarget = std::to_array<string_view>({
        "seeking",
        "looking for",
        "aspiring",
        "objective",
        "want to",
        "would like",
        "hoping to",
        "targeting",
        "interested in",
        "transition into",
        "career change",
        "dream job",
        "apply for",
        "applying for",
    });
    return std::any_of(kTarget.begin(), kTarget.end(),
                       [&](string_view t) { return contains_phrase(low, t); });
}

void analyse_sentence(const Doc& d, const Sentence& s, int off, Section section, Facts& f,
                      size_t& cur) {
    constexpr size_t kNone = static_cast<size_t>(-1);
    const string_view low = d.sentence_lower(s);
    const size_t start = content_start(d, s);
    if (start == 0 && section_heading(d, s).has_value()) return;  // a bare heading line
    if (section == Section::Ignore) return;  // hobbies, references, spoken languages

    const std::vector<TitleHit> titles = find_titles(d, s);
    bool is_edu = false;
    const std::vector<Education> edu = find_education(d, s, section == Section::Education, is_edu);
    bool is_cert = false;
    std::vector<string> certs = find_certifications(d, s, is_cert);
    if (section == Section::Certifications) {
        // "AWS Solutions Architect, Google Data Engineer": every item of the list counts.
        is_cert = true;
        if (certs.empty()) {
            const string_view text = d.display;
            size_t b = s.toks[start].pos;
            while (b < s.e) {
                size_t e = b;
                while (e < s.e && text[e] != ',' && text[e] != ';' && text[e] != '|') ++e;
                string_view item = trim(text.substr(b, e - b));
                // Only the words: no trailing period, no leading list or heading marks.
                while (!item.empty() && !is_alnum(item.front()) && !is_high(item.front()))
                    item.remove_prefix(1);
                while (!item.empty() && (item.back() == '.' || item.back() == ' '))
                    item.remove_suffix(1);
                if (item.size() >= 2 && item.size() <= 80) push_unique(certs, string(item));
                b = e + 1;
            }
        }
    }
    std::vector<string> listed;
    find_listed_skills(d, s, section == Section::Skills, listed);
    const bool is_project =
        section == Section::Projects ||
        std::any_of(kProjectMarkers.begin(), kProjectMarkers.end(),
                    [&](string_view m) { return low.find(m) != string_view::npos; });
    const bool target = section == Section::Summary || is_target_sentence(low);
    const bool structural = section == Section::Skills || section == Section::Education ||
                            section == Section::Certifications;
    std::vector<EmployerHit> employers;
    if (!is_edu && !target && !structural) employers = find_employers(d, s, f.name, titles);

    for (const TitleHit& t : titles) push_unique(f.titles, t.text);
    for (const Education& e : edu) {
        bool dup = false;
        for (const Education& x : f.education)
            dup = dup || (iequals(x.degree, e.degree) && iequals(x.institution, e.institution));
        if (!dup && f.education.size() < kMaxEducation) f.education.push_back(e);
    }
    for (const string& c : certs)
        if (f.certifications.size() < kMaxCertifications) push_unique(f.certifications, c);
    for (const string& l : listed) add_skill(f, l, Cat::Other);

    bool present_only = false;
    std::optional<string> bullet;
    if (!is_edu && !is_cert && listed.empty() && !structural && (!target || is_project))
        bullet = find_bullet(d, s, !titles.empty() || !employers.empty(), present_only);
    // "I write poems on weekends" is not an achievement; "Built a recipe app" is.
    if (bullet && present_only && off >= 4) bullet.reset();
    if (!bullet) f.off_score += off;

    if (is_project) {
        std::optional<string> text = bullet;
        if (!text && start < s.toks.size())
            text = clean_bullet(
                string_view(d.display).substr(s.toks[start].pos, s.e - s.toks[start].pos));
        if (text && f.projects.size() < kMaxProjects && push_unique(f.projects, *text)) ++f.bullets;
        return;
    }
    if (is_edu || target || structural) return;

    const std::optional<DateRange> dates =
        (!employers.empty() || !titles.empty()) ? find_dates(d, s) : std::nullopt;
    const string title = titles.empty() ? string() : titles.front().text;
    if (!employers.empty()) {
        for (size_t i = 0; i < employers.size(); ++i) {
            const string& emp = employers[i].text;
            size_t r = kNone;
            for (size_t j = 0; j < f.roles.size() && r == kNone; ++j)
                if (same_org(f.roles[j].employer, emp)) r = j;
            if (r == kNone) {
                ++f.employers;
                if (cur != kNone && f.roles[cur].employer.empty() &&
                    (title.empty() || f.roles[cur].title.empty() ||
                     iequals(f.roles[cur].title, title))) {
                    r = cur;
                } else {
                    r = new_role(f);
                }
                if (f.roles[r].employer.empty()) f.roles[r].employer = emp;
            }
            if (i == 0) {
                if (!title.empty() && f.roles[r].title.empty()) f.roles[r].title = title;
                apply_dates(f.roles[r], dates);
                cur = r;
            }
        }
    } else if (!title.empty()) {
        if (cur == kNone) {
            cur = new_role(f);
            f.roles[cur].title = title;
        } else if (f.roles[cur].title.empty()) {
            f.roles[cur].title = title;
        } else if (!iequals(f.roles[cur].title, title)) {
            cur = new_role(f);
            if (f.roles[cur].title.empty()) f.roles[cur].title = title;
        }
        apply_dates(f.roles[cur], dates);
    }
    if (bullet) {
        if (cur == kNone) cur = new_role(f);
        Role& r = f.roles[cur];
        if (r.bullets.size() < kMaxBulletsPerRole && push_unique(r.bullets, *bullet)) ++f.bullets;
    }
}

Facts analyse(string_view input) {
    Facts f;
    string clean = sanitize(input);
    string low = lower_copy(clean);
    const std::vector<Span> spans = split_sentences(clean);
    // Instructions aimed at the model are removed before anything reads the text, so they can
    // neither steer the output nor be echoed into it.
    const std::vector<PhraseHit> injections =
        scan_phrases(low, kInjectionPhrases, injection_index());
    for (const Span& sp : spans) {
        const bool injected =
            std::any_of(injections.begin(), injections.end(),
                        [&](const PhraseHit& h) { return h.pos >= sp.b && h.pos < sp.e; });
        if (injected) {
            std::fill(clean.begin() + static_cast<std::ptrdiff_t>(sp.b),
                      clean.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
            std::fill(low.begin() + static_cast<std::ptrdiff_t>(sp.b),
                      low.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
        }
    }
    string display = clean;
    find_emails(clean, f.contacts);
    find_urls(clean, low, f.contacts);
    find_phones(clean, low, f.contacts);
    for (const Span& sp : f.contacts.spans) {
        std::fill(clean.begin() + static_cast<std::ptrdiff_t>(sp.b),
                  clean.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
        std::fill(low.begin() + static_cast<std::ptrdiff_t>(sp.b),
                  low.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
    }
    Doc d;
    d.text = std::move(clean);
    d.display = std::move(display);
    d.low = std::move(low);
    for (const Span& sp : spans) {
        std::vector<Token> toks = tokenize(d.text, sp.b, sp.e);
        if (!toks.empty()) d.sents.push_back({sp.b, sp.e, std::move(toks)});
    }

    bool explicit_name = false;
    const std::optional<NameHit> name = find_name(d, explicit_name);
    if (name) {
        f.name = name->text;
        f.name_explicit = explicit_name;
    }
    std::optional<string> years = find_years(d, false);
    if (!years) years = find_years(d, true);
    f.years = years.value_or("");
    f.location = find_location(d);
    std::vector<SkillHit> hits;
    scan_skills(d.text, d.low, 0, d.text.size(), hits);
    for (const SkillHit& h : hits) {
        if (name && h.pos < name->end && h.pos + h.len > name->pos) continue;  // "Sam Jenkins"
        add_skill(f, kSkills[h.skill].name, kSkills[h.skill].cat);
    }
    // Phrase tables are scanned once over the whole text; off-topic hits are then attributed to
    // their sentences by position.
    for (const PhraseHit& h : scan_phrases(d.low, kCareerPhrases, career_index()))
        f.career_words += kCareerPhrases[h.id].weight;
    const std::vector<PhraseHit> markers = scan_phrases(d.low, kOffTopicPhrases, off_topic_index());
    size_t cur = static_cast<size_t>(-1);
    size_t m = 0;
    // A heading alone on its line ("Education") holds until the next heading; an inline label
    // ("Skills: Go, SQL", "Contact: ...") only covers its own line.
    Section section = Section::None;
    Section line_section = Section::None;
    for (const Sentence& s : d.sents) {
        int off = 0;  // hits and sentences are both in text order
        while (m < markers.size() && markers[m].pos < s.b) ++m;
        for (; m < markers.size() && markers[m].pos < s.e; ++m)
            off += kOffTopicPhrases[markers[m].id].weight;
        const bool line_start = s.b == 0 || d.text[s.b - 1] == '\n';
        const bool after_blank = s.b >= 2 && d.text[s.b - 1] == '\n' && d.text[s.b - 2] == '\n';
        if (after_blank && section == Section::Summary) section = Section::None;
        if (line_start) {
            const std::optional<Section> heading = section_heading(d, s);
            const bool inline_label = content_start(d, s) > 0;
            if (heading && !inline_label) section = *heading;
            line_section = section;
            if (heading && inline_label) {
                line_section = *heading;
            } else if (inline_label && section != Section::Skills &&
                       section != Section::Certifications) {
                line_section = Section::None;  // "Internship: ..." is not part of a Projects list
            }
        }
        analyse_sentence(d, s, off, line_section, f, cur);
    }
    std::erase_if(f.skills, [&](const FoundSkill& sk) {
        return std::any_of(f.roles.begin(), f.roles.end(),
                           [&](const Role& r) { return iequals(r.employer, sk.name); });
    });
    return f;
}

// Career evidence against off-topic markers. Structured facts weigh most; capped so one long
// list cannot outvote a clear "write me a poem".
bool is_off_topic(const Facts& f) {
    const auto n = [](size_t v) { return static_cast<int>(std::min<size_t>(v, 100)); };
    int career = std::min(8, 2 * n(f.skills.size())) + std::min(6, 3 * n(f.titles.size())) +
                 std::min(6, 3 * n(f.employers)) + (f.years.empty() ? 0 : 3) +
                 std::min(6, 3 * n(f.education.size())) + std::min(6, 2 * n(f.bullets)) +
                 std::min(4, 2 * n(f.certifications.size())) + std::min(10, f.career_words);
    if (!f.name.empty()) career += f.name_explicit ? 3 : 1;
    const int contacts = (f.contacts.email.empty() ? 0 : 1) + (f.contacts.phone.empty() ? 0 : 1) +
                         (f.contacts.linkedin.empty() && f.contacts.github.empty() ? 0 : 1);
    career += std::min(4, 2 * contacts);
    return career < 3 || f.off_score >= career;
}

// ---------------------------------------------------------------------------------------------
// Rendering.

string group_label(Cat c) {
    switch (c) {
        case Cat::Lang:
            return "Languages";
        case Cat::Frame:
            return "Frameworks & Libraries";
        case Cat::Data:
            return "Data & Databases";
        case Cat::Cloud:
            return "Cloud & Infrastructure";
        case Cat::Tool:
            return "Tools & Practices";
        case Cat::Soft:
            return "Professional Skills";
        case Cat::Other:
            return "Other";
    }
    return "Other";
}

// "an MBA", "an M.Sc.", "a B.Sc.", "a Master's": by the sound of the first letter.
string article_for(string_view degree) {
    if (degree.empty()) return "a";
    const char c = degree[0];
    if (c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U') return "an";
    const bool acronym = degree.size() > 1 && (degree[1] == '.' || is_upper(degree[1]));
    return acronym && string_view("FHLMNRSX").find(c) != string_view::npos ? "an" : "a";
}

string summary_of(const Facts& f) {
    std::vector<string> tech;
    std::vector<string> soft;
    for (const FoundSkill& s : f.skills) {
        if (s.cat == Cat::Soft) {
            if (soft.size() < 3) {
                // Mid-sentence the soft skills read as plain words: "leadership and mentoring".
                string w = s.name;
                for (size_t i = 0; i < w.size(); ++i)
                    if ((i == 0 || w[i - 1] == ' ') && is_upper(w[i]) && i + 1 < w.size() &&
                        is_lower(w[i + 1]))
                        w[i] = to_lower(w[i]);
                soft.push_back(escape_md(w));
            }
        } else if (tech.size() < 3) {
            // "DevOps Engineer with ... in DevOps" says nothing new.
            if (!f.titles.empty() &&
                lower_copy(f.titles.front()).find(lower_copy(s.name)) != string::npos)
                continue;
            tech.push_back(escape_md(s.name));
        }
    }
    std::vector<string> sentences;
    string first = f.titles.empty() ? string("[Your Title]") : escape_md(f.titles.front());
    first += " with " + (f.years.empty() ? string("[X]") : f.years) + " years of experience";
    if (!tech.empty()) {
        first += " in " + join_and(tech);
    } else if (f.titles.empty()) {
        first += " in [your field]";
    }
    sentences.push_back(first + ".");
    std::vector<string> employers;
    for (const Role& r : f.roles)
        if (!r.employer.empty() && employers.size() < 3) employers.push_back(escape_md(r.employer));
    if (!employers.empty())
        sentences.push_back("Experience includes work at " + join_and(employers) + ".");
    if (!soft.empty()) {
        sentences.push_back("Strengths include " + join_and(soft) + ".");
    } else if (sentences.size() < 3 && !f.education.empty() &&
               !f.education.front().degree.empty()) {
        const Education& e = f.education.front();
        const string_view unknown = "[Degree] in ";
        if (e.degree.substr(0, unknown.size()) == unknown) {
            // The kind of degree was not stated, so do not claim one.
            sentences.push_back("Background in " + escape_md(e.degree.substr(unknown.size())) +
                                ".");
        } else {
            const bool expected = e.year.substr(0, 8) == "Expected";
            sentences.push_back(string(expected ? "Pursuing " : "Holds ") + article_for(e.degree) +
                                " " + escape_md(e.degree) + ".");
        }
    }
    if (sentences.size() == 1)
        sentences.emplace_back(
            "[Add one or two sentences about your key strengths and the role you are targeting.]");
    string out;
    for (size_t i = 0; i < sentences.size() && i < 3; ++i) {
        if (i > 0) out += ' ';
        out += sentences[i];
    }
    return out;
}

// The degree as stated; "[Degree] in X" keeps our placeholder unescaped.
string degree_text(const string& degree) {
    constexpr string_view kUnknown = "[Degree]";
    if (degree.substr(0, kUnknown.size()) == kUnknown)
        return string(kUnknown) + escape_md(string_view(degree).substr(kUnknown.size()));
    return escape_md(degree);
}

string render(const Facts& f) {
    string out;
    out += "# " + (f.name.empty() ? string("[Your Name]") : escape_md(f.name)) + "\n\n";

    std::vector<string> contact;
    if (!f.location.empty()) contact.push_back(escape_md(f.location));
    contact.push_back(f.contacts.email.empty() ? "[Your Email]" : escape_md(f.contacts.email));
    contact.push_back(f.contacts.phone.empty() ? "[Your Phone]" : escape_md(f.contacts.phone));
    contact.push_back(f.contacts.linkedin.empty() ? "[LinkedIn URL]"
                                                  : escape_md(f.contacts.linkedin));
    if (!f.contacts.github.empty()) contact.push_back(escape_md(f.contacts.github));
    if (!f.contacts.website.empty()) contact.push_back(escape_md(f.contacts.website));
    for (size_t i = 0; i < contact.size(); ++i) out += (i > 0 ? " | " : "") + contact[i];
    out += "\n\n## Professional Summary\n\n" + summary_of(f) + "\n\n## Skills\n\n";

    if (f.skills.empty()) {
        out += "- [Skill 1], [Skill 2], [Skill 3]\n";
    } else {
        for (Cat c :
             {Cat::Lang, Cat::Frame, Cat::Data, Cat::Cloud, Cat::Tool, Cat::Soft, Cat::Other}) {
            std::vector<string> names;
            for (const FoundSkill& s : f.skills)
                if (s.cat == c && names.size() < kMaxSkillsPerGroup)
                    names.push_back(escape_md(s.name));
            if (names.empty()) continue;
            out += "- **" + group_label(c) + ":** ";
            for (size_t i = 0; i < names.size(); ++i) out += (i > 0 ? ", " : "") + names[i];
            out += '\n';
        }
    }

    out += "\n## Professional Experience\n\n";
    // A title mentioned on its own ("Product Manager | email") yields an empty role; it only
    // helps when nothing more specific exists.
    std::vector<Role> roles;
    for (const Role& r : f.roles)
        if (!r.employer.empty() || !r.bullets.empty() || !r.start.empty()) roles.push_back(r);
    if (roles.empty() && !f.roles.empty()) roles.push_back(f.roles.front());
    if (roles.empty()) roles.emplace_back();
    for (size_t i = 0; i < roles.size(); ++i) {
        const Role& r = roles[i];
        if (i > 0) out += '\n';
        out += "### " + (r.title.empty() ? string("[Job Title]") : escape_md(r.title)) + " — " +
               (r.employer.empty() ? string("[Company Name]") : escape_md(r.employer)) + "\n";
        out += (r.start.empty() ? string("[Start Date]") : r.start) + " – " +
               (r.end.empty() ? string("[End Date]") : r.end) + "\n\n";
        if (r.bullets.empty()) {
            out += "- [Key achievement: what you did, how, and the measurable result]\n";
        } else {
            for (const string& b : r.bullets) out += "- " + b + "\n";
        }
    }

    out += "\n## Education\n\n";
    if (f.education.empty()) {
        out += "[Degree], [University], [Year]\n";
    } else {
        for (size_t i = 0; i < f.education.size(); ++i) {
            const Education& e = f.education[i];
            if (i > 0) out += '\n';
            out += degree_text(e.degree) + ", " +
                   (e.institution.empty() ? string("[University]") : escape_md(e.institution)) +
                   ", " + (e.year.empty() ? string("[Year]") : escape_md(e.year)) + "\n";
        }
    }
    if (!f.certifications.empty()) {
        out += "\n## Certifications\n\n";
        for (const string& c : f.certifications) out += "- " + escape_md(c) + "\n";
    }
    if (!f.projects.empty()) {
        out += "\n## Projects\n\n";
        for (const string& p : f.projects) out += "- " + p + "\n";
    }
    return out;
}

}  // namespace

std::string generate_offline_resume(std::string_view user_input) {
    const Facts facts = analyse(user_input);
    if (is_off_topic(facts)) return std::string(kOffTopicAnswer);
    return render(facts);
}

}  // namespace resumate::ai
