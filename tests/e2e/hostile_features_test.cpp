// Hostile input (issues 14 and 15) for the routes beyond the original: a resume's export, the
// resume import, tailoring, the match score, the tracker's stats/, trash/ and restore/, and its
// CSV export and import. Wrong JSON types for every field, ids out of range or another user's
// (404, never 403), soft-deleted applications, odd format=/paper= values, NUL bytes and malformed
// UTF-8, deep nesting, duplicate keys, bodies at and over the limit, malformed multipart, wrong
// content types, and hostile CSV (formula cells, byte order marks, line-end mixes, unbalanced
// quotes, too many rows, wrong and duplicate headers). Every answer is one the contract allows,
// never a 500; a 400 names what is wrong; and nothing is saved on error: the caller's resumes and
// live and deleted applications are counted through the API around every test, and another
// user's too. The suite runs its own server, so that a crash is seen here.
#include <algorithm>
#include <set>
#include <tuple>

#include "harness.hpp"

namespace e2e::hostile_features {
namespace {

constexpr std::string_view kResumeImport = "/api/resumes/import/";
constexpr std::string_view kJobs = "/api/job-applications/";
constexpr std::string_view kJobImport = "/api/job-applications/import/";
constexpr std::string_view kJobExport = "/api/job-applications/export/";
constexpr std::string_view kOffline = "ResuMate Offline";
constexpr std::string_view kTooLarge = R"({"detail":"Request body too large."})";
constexpr std::string_view kNoFile = R"({"file":["No file was submitted."]})";
constexpr std::string_view kMultipartError = "Multipart form parse error - ";
constexpr std::string_view kNotString = "Must be a string.";
constexpr std::string_view kNulMessage = "Null characters are not allowed.";
constexpr std::string_view kBadDate =
    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.";
constexpr std::string_view kNotUtf8 = "The file is not valid UTF-8 text.";
constexpr std::string_view kCsvHeader = "job_title,company_name,notes,original_job_description\r\n";

constexpr std::string_view kResumeText =
    "# Dana Whitfield\n\ndana@example.com\n\n## Skills\n\n- Python, PostgreSQL, Docker\n\n"
    "## Experience\n\n### Engineer — Larkspur\n\n- Cut PostgreSQL latency by 40%\n";
constexpr std::string_view kPosting =
    "Backend Engineer. Requirements: Python, PostgreSQL, Kubernetes in production, Docker.";

// Ids that name nothing, as a URL path may spell them.
const std::vector<std::string> kBadPathIds = {"-1",
                                              "0",
                                              "-0",
                                              "99999999999999999999",
                                              "9223372036854775808",
                                              "18446744073709551616",
                                              "1e3",
                                              "0x1",
                                              "1.0",
                                              "%2D1",
                                              "abc",
                                              "1%20OR%201=1",
                                              "%00",
                                              "1%00",
                                              "%C0%AF",
                                              "%ED%A0%80",
                                              "%FF",
                                              "%20"};

struct Counts {
    int64_t resumes = 0;
    int64_t live = 0;     // job applications
    int64_t deleted = 0;  // job applications in the trash
    bool operator==(const Counts&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Counts& c) {
    return os << "resumes=" << c.resumes << " live=" << c.live << " deleted=" << c.deleted;
}

// A 400's body names what is wrong: a non-empty JSON object whose every value is a message (a
// non-empty string, or a non-empty list of them or of {"message": …} objects).
::testing::AssertionResult names_the_problem(const Response& r) {
    if (!r.json_ok() || !r.json().is_object() || r.obj().empty())
        return ::testing::AssertionFailure() << "no JSON object naming the problem" << r.describe();
    for (const auto& [key, value] : r.obj()) {
        bool ok = value.is_string() && !value.as_string().empty();
        if (value.is_array() && !value.as_array().empty()) {
            ok = true;
            for (const auto& m : value.as_array()) {
                if (m.is_string()) {
                    ok = ok && !m.as_string().empty();
                } else if (m.is_object() && m.as_object().contains("message")) {
                    const json::value& text = m.as_object().at("message");
                    ok = ok && text.is_string() && !text.as_string().empty();
                } else {
                    ok = false;
                }
            }
        }
        if (!ok) {
            return ::testing::AssertionFailure()
                   << "\"" << std::string_view(key) << "\" names no problem" << r.describe();
        }
    }
    return ::testing::AssertionSuccess();
}

// A 400 that names `key` (with `message` among its messages when given).
void expect_400(const Response& r, std::string_view key = {}, std::string_view message = {}) {
    ASSERT_STATUS(r, 400);
    EXPECT_TRUE(names_the_problem(r));
    if (key.empty()) return;
    json::object o = r.obj();
    ASSERT_TRUE(o.contains(key)) << "expected the problem named under \"" << key << "\""
                                 << r.describe();
    if (message.empty()) return;
    bool found = false;
    if (o.at(key).is_array()) {
        for (const auto& m : o.at(key).as_array()) found = found || m == json::value(message);
    }
    EXPECT_TRUE(found) << "expected \"" << message << "\" under " << key << r.describe();
}

// `status` with a {"detail": "<prefix>…"} body.
void expect_detail(const Response& r, int status, std::string_view prefix) {
    EXPECT_STATUS(r, status);
    json::object o = r.obj();
    ASSERT_TRUE(o.size() == 1 && o.contains("detail") && o.at("detail").is_string())
        << r.describe();
    EXPECT_TRUE(std::string_view(o.at("detail").as_string()).starts_with(prefix))
        << "expected a detail starting with \"" << prefix << "\"" << r.describe();
}

void expect_not_found(const Response& r) {
    EXPECT_STATUS(r, 404);
    EXPECT_JSON(r, kNotFound);
}

// {"<key>": ["<message>"]} as JSON text.
std::string field_error(std::string_view key, std::string_view message) {
    return to_json(json::object{{key, json::array{json::value(message)}}});
}

// DRF's ChoiceField message for `shown`.
std::string not_a_choice(std::string_view shown) {
    return "\"" + std::string(shown) + "\" is not a valid choice.";
}

using CsvError = std::tuple<int64_t, std::optional<std::string>, std::string>;

// {"errors": [...]} of a refused CSV import, as JSON text.
std::string csv_errors(const std::vector<CsvError>& errors) {
    json::array list;
    for (const auto& [line, column, message] : errors) {
        json::object e{{"line", line}, {"message", message}};
        if (column) {
            e["column"] = *column;
        } else {
            e["column"] = nullptr;
        }
        list.push_back(std::move(e));
    }
    return to_json(json::object{{"errors", std::move(list)}});
}

// RFC 4180 records (CRLF between records, line breaks kept inside quoted fields).
std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c != '"') {
                cell += c;
            } else if (i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else {
                quoted = false;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;
            row.push_back(std::move(cell));
            cell.clear();
            rows.push_back(std::move(row));
            row.clear();
        } else {
            cell += c;
        }
    }
    if (!cell.empty() || !row.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

// One part of a multipart/form-data body.
struct Part {
    std::string name;
    std::optional<std::string> filename;
    std::string content;
};

std::string multipart(std::string_view boundary, const std::vector<Part>& parts) {
    std::string out;
    for (const Part& p : parts) {
        out += "--" + std::string(boundary) + "\r\nContent-Disposition: form-data; name=\"" +
               p.name + "\"";
        if (p.filename) out += "; filename=\"" + *p.filename + "\"";
        out += "\r\nContent-Type: application/octet-stream\r\n\r\n" + p.content + "\r\n";
    }
    return out + "--" + std::string(boundary) + "--\r\n";
}

constexpr std::string_view kBoundary = "hf-B0und";
const std::string kMultipartType = "multipart/form-data; boundary=" + std::string(kBoundary);

// Every string field of a JSON Resume document the import reads, each with the JSON text `raw`
// as its value (arrays of strings hold one item).
std::string every_field(std::string_view raw) {
    std::string text = R"({"basics": {"name": @, "label": @, "email": @, "phone": @, "url": @,
      "summary": @, "location": {"address": @, "city": @, "region": @, "postalCode": @,
      "countryCode": @}, "profiles": [{"network": @, "username": @, "url": @}]},
    "work": [{"name": @, "position": @, "location": @, "startDate": @, "endDate": @,
      "summary": @, "highlights": [@]}],
    "volunteer": [{"organization": @, "position": @, "location": @, "startDate": @,
      "endDate": @, "summary": @, "highlights": [@]}],
    "education": [{"institution": @, "area": @, "studyType": @, "startDate": @, "endDate": @,
      "score": @, "courses": [@]}],
    "skills": [{"name": @, "level": @, "keywords": [@]}],
    "projects": [{"name": @, "url": @, "startDate": @, "endDate": @, "description": @,
      "highlights": [@], "keywords": [@]}],
    "certificates": [{"name": @, "issuer": @, "date": @}],
    "awards": [{"title": @, "awarder": @, "date": @, "summary": @}],
    "publications": [{"name": @, "publisher": @, "releaseDate": @}],
    "languages": [{"language": @, "fluency": @}],
    "interests": [{"name": @, "keywords": [@]}],
    "references": [{"name": @, "reference": @}]})";
    std::string out;
    for (char c : text) {
        if (c == '@') {
            out += raw;
        } else {
            out += c;
        }
    }
    return out;
}

// The paths the import names the string fields of every_field() by ("basics.location.city",
// "work[0].highlights[0]").
void leaf_paths(const json::value& v, const std::string& path, std::vector<std::string>& out) {
    if (v.is_string()) {
        out.push_back(path);
    } else if (v.is_object()) {
        for (const auto& [key, item] : v.as_object()) {
            leaf_paths(item, path.empty() ? std::string(key) : path + "." + std::string(key), out);
        }
    } else if (v.is_array()) {
        for (size_t i = 0; i < v.as_array().size(); ++i)
            leaf_paths(v.as_array()[i], path + "[" + std::to_string(i) + "]", out);
    }
}

std::vector<std::string> every_field_path() {
    std::vector<std::string> out;
    leaf_paths(parse_json(every_field(R"("x")")), "", out);
    return out;
}

bool is_list_item(std::string_view path) {
    return path.ends_with("]");
}

// {"<path>": ["<message>"], …} for each path.
std::string errors_at(const std::vector<std::string>& paths, std::string_view message) {
    json::object o;
    for (const auto& p : paths) o[p] = json::array{json::value(message)};
    return to_json(o);
}

const std::vector<std::string_view> kSections = {
    "work",   "volunteer",    "education", "skills",    "projects",  "certificates",
    "awards", "publications", "languages", "interests", "references"};

// The bytes of `s` for a trace: control and non-ASCII bytes as \xNN.
std::string printable(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        }
    }
    return out;
}

// `ascii` as UTF-16 (little or big endian) after its byte order mark.
std::string utf16(std::string_view ascii, bool little_endian) {
    std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
    for (char c : ascii) {
        if (little_endian) {
            out += c;
            out += '\0';
        } else {
            out += '\0';
            out += c;
        }
    }
    return out;
}

const std::string kNul(1, '\0');

size_t utf8_chars(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

class HostileFeatures : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        try {
            server_ = std::make_unique<Server>(
                ServerOptions{.env = {{"RESUMATE_ACCESS_TOKEN_LIFETIME_SECONDS", "3600"}},
                              .with_superuser = false,
                              .tag = "hostilefeatures"});
            server_->start();
            me_ = create_user(*server_, "hfme");
            them_ = create_user(*server_, "hfthem");
            my_resume_ = make_resume(me_, "Mine", kResumeText);
            their_resume_ = make_resume(them_, "Theirs", kResumeText);
            my_app_ = make_application(me_, {{"company_name", "Acme"},
                                             {"original_job_description", kPosting},
                                             {"resume_used", my_resume_}});
            my_deleted_ = make_application(
                me_, {{"company_name", "Gone"}, {"original_job_description", kPosting}});
            their_app_ = make_application(them_, {{"company_name", "Theirs"},
                                                  {"original_job_description", kPosting},
                                                  {"resume_used", their_resume_}});
            their_deleted_ = make_application(
                them_, {{"company_name", "TheirsGone"}, {"original_job_description", kPosting}});
            remove_application(me_, my_deleted_);
            remove_application(them_, their_deleted_);
        } catch (const std::exception& e) {
            setup_error_ = e.what();
        }
    }
    static void TearDownTestSuite() {
        if (server_) {
            EXPECT_TRUE(server_->running()) << "the server died";
            EXPECT_FALSE(server_->wait_exit(1ms).has_value()) << "the server died";
            if (server_->running()) {
                EXPECT_EQ(server_->stop(), 0);
            }
        }
        server_.reset();
    }

    void SetUp() override {
        ASSERT_TRUE(setup_error_.empty()) << setup_error_;
        ASSERT_TRUE(server_ && server_->running()) << "the server is not running";
        before_ = counts(me_);
        their_before_ = counts(them_);
    }

    // After every test: the server is alive, the caller's data changed only as the test said it
    // would (delta_), and the other user's not at all.
    void TearDown() override {
        if (!server_ || !setup_error_.empty()) return;
        ASSERT_FALSE(server_->wait_exit(1ms).has_value()) << "the server died";
        const Counts want{before_.resumes + delta_.resumes, before_.live + delta_.live,
                          before_.deleted + delta_.deleted};
        EXPECT_EQ(counts(me_), want) << "what was saved is not what the answers said";
        EXPECT_EQ(counts(them_), their_before_) << "another user's data changed";
    }

    static int64_t make_resume(const TestUser& u, std::string_view title,
                               std::string_view content) {
        Response r = post(*server_, "/api/resumes/",
                          to_json(json::object{{"title", title}, {"content", content}}), u.access);
        if (r.status != 201) throw std::runtime_error("resume creation failed" + r.describe());
        return r.obj().at("id").as_int64();
    }
    static int64_t make_application(const TestUser& u, const json::object& fields) {
        Response r = post(*server_, std::string(kJobs), to_json(fields), u.access);
        if (r.status != 201) throw std::runtime_error("application creation failed" + r.describe());
        return r.obj().at("id").as_int64();
    }
    static void remove_application(const TestUser& u, int64_t id) {
        Response r = del(*server_, job_path(std::to_string(id)), u.access);
        if (r.status != 204) throw std::runtime_error("application deletion failed" + r.describe());
    }

    static int64_t count_of(const TestUser& u, std::string_view list) {
        Response r = get(*server_, std::string(list) + "?limit=1", u.access);
        if (r.status != 200 || !r.obj().contains("count") || !r.obj().at("count").is_int64()) {
            ADD_FAILURE() << "cannot count " << list << r.describe();
            return -1;
        }
        return r.obj().at("count").as_int64();
    }
    static Counts counts(const TestUser& u) {
        return {count_of(u, "/api/resumes/"), count_of(u, kJobs),
                count_of(u, "/api/job-applications/trash/")};
    }

    static std::string resume_path(const std::string& id, std::string_view tail = "") {
        return "/api/resumes/" + id + "/" + std::string(tail);
    }
    static std::string resume_path(int64_t id, std::string_view tail = "") {
        return resume_path(std::to_string(id), tail);
    }
    static std::string job_path(const std::string& id, std::string_view tail = "") {
        return std::string(kJobs) + id + "/" + std::string(tail);
    }
    static std::string job_path(int64_t id, std::string_view tail = "") {
        return job_path(std::to_string(id), tail);
    }

    static Response send(std::string method, std::string target, std::optional<std::string> body,
                         std::string type = "application/json", HeaderList headers = {}) {
        return call(*server_, std::move(method), std::move(target), std::move(body), me_.access,
                    std::move(type), std::move(headers));
    }
    static Response send_as(const TestUser& u, std::string method, std::string target,
                            std::optional<std::string> body) {
        return call(*server_, std::move(method), std::move(target), std::move(body), u.access);
    }

    // A request whose head declares a body over the limit (1 MiB); only the head is sent, so the
    // client cannot race the server's close while writing the body.
    static Response declared_too_large(std::string_view method, std::string_view path,
                                       std::string_view type) {
        Client c(server_->port(), 10s);
        if (!c.connect()) return {};
        c.write_raw(std::string(method) + " " + std::string(path) +
                    " HTTP/1.1\r\nHost: " + server_->host() + "\r\nAuthorization: Bearer " +
                    me_.access + "\r\nContent-Type: " + std::string(type) +
                    "\r\nContent-Length: 1100000\r\n\r\n");
        return c.read_response();
    }

    static Response import_resume(std::string body, std::string type = "application/json") {
        return send("POST", std::string(kResumeImport), std::move(body), std::move(type));
    }
    static Response upload_resume(std::string_view filename, std::string_view content) {
        return send("POST", std::string(kResumeImport),
                    multipart(kBoundary, {{"file", std::string(filename), std::string(content)}}),
                    kMultipartType);
    }
    static Response import_csv(std::string body, std::string type = "text/csv") {
        return send("POST", std::string(kJobImport), std::move(body), std::move(type));
    }
    static json::array my_applications() {
        Response r = get(*server_, std::string(kJobs) + "?ordering=id", me_.access);
        EXPECT_STATUS(r, 200);
        return r.arr();
    }

    static inline std::unique_ptr<Server> server_;
    static inline std::string setup_error_;
    static inline TestUser me_;
    static inline TestUser them_;
    static inline int64_t my_resume_ = 0;
    static inline int64_t their_resume_ = 0;
    static inline int64_t my_app_ = 0;
    static inline int64_t my_deleted_ = 0;
    static inline int64_t their_app_ = 0;
    static inline int64_t their_deleted_ = 0;

    Counts before_;
    Counts their_before_;
    Counts delta_;  // what the test's accepted requests saved
};

// ---------------------------------------------------------------------------------------------
// GET /api/resumes/{id}/export/

TEST_F(HostileFeatures, ExportOddFormatAndPaperValuesAre400NamingTheParameter) {
    const std::string base = resume_path(my_resume_, "export/");
    struct Case {
        std::string query;
        std::string body;  // "" when only the key is checked
        std::string key;
    };
    const std::string required = field_error("format", "This field is required.");
    const std::vector<Case> cases = {
        {"?format=PDF", field_error("format", not_a_choice("PDF")), "format"},
        {"?format=pdf%20", field_error("format", not_a_choice("pdf ")), "format"},
        {"?format=+pdf", field_error("format", not_a_choice(" pdf")), "format"},
        {"?format=pdf%00", field_error("format", not_a_choice(std::string("pdf\0", 4))), "format"},
        {"?format=%00", field_error("format", not_a_choice(std::string(1, '\0'))), "format"},
        {"?format=%FF", field_error("format", not_a_choice("\xEF\xBF\xBD")), "format"},
        {"?format=%ED%A0%80", "", "format"},
        {"?format=%C0%AF", "", "format"},
        {"?format=%F0%9F%98%80", field_error("format", not_a_choice("\xF0\x9F\x98\x80")), "format"},
        {"?format=csv", field_error("format", not_a_choice("csv")), "format"},
        {"?format=xlsx", field_error("format", not_a_choice("xlsx")), "format"},
        {"?format=..%2F..%2Fetc%2Fpasswd", field_error("format", not_a_choice("../../etc/passwd")),
         "format"},
        {"?format=pdf,docx", field_error("format", not_a_choice("pdf,docx")), "format"},
        {"?format=pdf%3Bdocx", field_error("format", not_a_choice("pdf;docx")), "format"},
        {"?format=" + std::string(5000, 'x'),
         field_error("format", not_a_choice(std::string(5000, 'x'))), "format"},
        {"?format=md&format=xyz", field_error("format", not_a_choice("xyz")), "format"},
        {"?format[]=pdf", required, "format"},
        {"?FORMAT=pdf", required, "format"},
        {"?format", field_error("format", not_a_choice("")), "format"},
        {"?format=%ZZ", "", "format"},
        {"?format=md&paper=A4", field_error("paper", not_a_choice("A4")), "paper"},
        {"?format=md&paper=a5", field_error("paper", not_a_choice("a5")), "paper"},
        {"?format=pdf&paper=", field_error("paper", not_a_choice("")), "paper"},
        {"?format=pdf&paper=letter%00",
         field_error("paper", not_a_choice(std::string("letter\0", 7))), "paper"},
        {"?format=docx&paper=%ED%A0%80", "", "paper"},
        {"?format=html&paper=-1", field_error("paper", not_a_choice("-1")), "paper"},
        {"?format=pdf&paper=letter&paper=legal", field_error("paper", not_a_choice("legal")),
         "paper"},
        {"?format=xyz&paper=xyz",
         to_json(json::object{{"format", json::array{json::value(not_a_choice("xyz"))}},
                              {"paper", json::array{json::value(not_a_choice("xyz"))}}}),
         "format"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.query.substr(0, 80));
        Response r = get(*server_, base + c.query, me_.access);
        expect_400(r, c.key);
        if (!c.body.empty()) {
            EXPECT_JSON(r, c.body);
        }
        EXPECT_EQ(r.header("Content-Type"), "application/json");
    }
    // The last of a repeated parameter counts, as Django's QueryDict.get() has it.
    Response md = get(*server_, base + "?format=xyz&format=md&paper=a5&paper=letter", me_.access);
    ASSERT_STATUS(md, 200);
    EXPECT_EQ(md.header("Content-Type"), "text/markdown; charset=utf-8");
}

TEST_F(HostileFeatures, ExportOfNoResumeOrAnotherUsersIs404WhateverTheQuery) {
    const int64_t gone = make_resume(me_, "Gone", "# Gone");
    ASSERT_STATUS(del(*server_, resume_path(gone), me_.access), 204);
    std::vector<std::string> ids = kBadPathIds;
    ids.push_back(std::to_string(their_resume_));
    ids.push_back(std::to_string(gone));
    for (const std::string& id : ids) {
        for (std::string_view query : {"?format=pdf", "?format=md", "?format=xyz&paper=xyz", ""}) {
            SCOPED_TRACE(id + " " + std::string(query));
            expect_not_found(
                get(*server_, resume_path(id, "export/") + std::string(query), me_.access));
        }
    }
    // The owner still gets it.
    EXPECT_STATUS(get(*server_, resume_path(their_resume_, "export/?format=md"), them_.access),
                  200);
}

TEST_F(HostileFeatures, ExportOfHostileContentIsAFileInEveryFormat) {
    std::string nested_quotes, nested_lists;
    for (int i = 0; i < 300; ++i)
        nested_lists += std::string(2 * static_cast<size_t>(i), ' ') + "- x\n";
    nested_quotes = std::string(500, '>') + " deep\n";
    std::string table = "|";
    for (int i = 0; i < 60; ++i) table += " c" + std::to_string(i) + " |";
    table += "\n|";
    for (int i = 0; i < 60; ++i) table += " --- |";
    table += "\n|";
    for (int i = 0; i < 60; ++i) table += " v |";
    table += "\n";
    std::string combining = "e";
    for (int i = 0; i < 200; ++i) combining += "\xCC\x81";  // U+0301
    const std::vector<std::pair<std::string, std::string>> resumes = {
        {"Controls\r\nX-Evil: 1\";'\\",
         "# Ctl \x01\x02\x07\x08\x0B\x0C\x1B[31m red \x7F \xC2\x80 \xC2\x9F\n\n- tab\there\n"},
        {"../../etc/passwd",
         "# Bidi \xE2\x80\xAE"
         "desrever \xE2\x81\xA6 iso\n\nU+FFFE \xEF\xBF\xBE U+FFFF \xEF\xBF\xBF U+10FFFF "
         "\xF4\x8F\xBF\xBF\n"},
        {"<script>alert(1)</script>",
         "# <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<!-- x --> ]]> &amp; &#0; "
         "&#xD800;\n\n[js](javascript:alert(1)) [file](file:///etc/passwd) "
         "![img](http://127.0.0.1:1/x.png) <javascript:alert(1)>\n"},
        {"Long word", "# " + std::string(20000, 'W') + "\n"},
        {"Table", table},
        {"Nesting", nested_quotes + "\n" + nested_lists},
        {"Combining " + combining, "# " + combining +
                                       "\n\n\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB x" +
                                       std::string(200, '*') + "\n"},
        {std::string(255, 'T'), "# Untitled"},
    };
    struct Format {
        std::string_view query;
        std::string_view type;
    };
    const std::vector<Format> formats = {
        {"pdf", "application/pdf"},
        {"pdf&paper=letter", "application/pdf"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"html", "text/html; charset=utf-8"},
        {"md", "text/markdown; charset=utf-8"},
        {"json", "application/json"}};
    for (const auto& [title, content] : resumes) {
        const int64_t id = make_resume(me_, title, content);
        ++delta_.resumes;
        for (const Format& f : formats) {
            SCOPED_TRACE(title.substr(0, 40) + " as " + std::string(f.query));
            Response r = get(*server_, resume_path(id, "export/?format=") + std::string(f.query),
                             me_.access);
            ASSERT_STATUS(r, 200);
            EXPECT_EQ(r.header("Content-Type"), f.type);
            const std::string disposition = r.header("Content-Disposition");
            EXPECT_TRUE(disposition.starts_with("attachment; filename=\"")) << disposition;
            EXPECT_EQ(disposition.find_first_of("\r\n"), std::string::npos) << disposition;
            EXPECT_EQ(disposition.find('/'), std::string::npos) << disposition;
            EXPECT_FALSE(r.has_header("X-Evil"));
            EXPECT_SECURITY_HEADERS(r);
            if (f.query.starts_with("pdf")) {
                EXPECT_TRUE(r.body.starts_with("%PDF-"));
                EXPECT_GE(std::stoi(r.header("X-Page-Count")), 1);
            } else if (f.query == "html") {
                EXPECT_EQ(r.body.find("<script"), std::string::npos);
                EXPECT_EQ(r.body.find("<img src=x"), std::string::npos);
                EXPECT_EQ(r.body.find("javascript:alert(1)\""), std::string::npos);
            } else if (f.query == "json") {
                EXPECT_TRUE(r.json_ok() && r.json().is_object()) << r.body.substr(0, 300);
            } else if (f.query == "docx") {
                EXPECT_TRUE(r.body.starts_with("PK"));
            }
        }
    }
}

// Nested block quotes and lists a few tens of kilobytes deep: the PDF and DOCX writers walk the
// Markdown's blocks recursively. A server of its own, so that a crash here does not take the
// suite's server with it.
TEST(HostileFeaturesExport, DeeplyNestedMarkdownIsAFileNotACrash) {
    Server s(ServerOptions{.env = {}, .with_superuser = false, .tag = "hostilenesting"});
    s.start();
    TestUser u = create_user(s, "hfnest");
    const std::vector<std::pair<std::string, std::string>> contents = {
        {"block quotes", std::string(200000, '>') + " deep\n"},
        {"lists",
         [] {
             std::string out;
             for (int i = 0; i < 200000; ++i) out += "- ";
             return out + "x\n";
         }()},
        {"ordered lists",
         [] {
             std::string out;
             for (int i = 0; i < 150000; ++i) out += "1. ";
             return out + "x\n";
         }()},
    };
    for (const auto& [name, content] : contents) {
        Response created =
            post(s, "/api/resumes/", to_json(json::object{{"title", name}, {"content", content}}),
                 u.access);
        ASSERT_STATUS(created, 201);
        const int64_t id = created.obj().at("id").as_int64();
        for (std::string_view format : {"pdf", "docx", "html", "json", "md"}) {
            SCOPED_TRACE(name + " as " + std::string(format));
            ASSERT_TRUE(s.running() && !s.wait_exit(1ms).has_value()) << "the server died";
            Client c(s.port(), 60s);
            Response r = c.send(make_request(
                "GET",
                "/api/resumes/" + std::to_string(id) + "/export/?format=" + std::string(format),
                std::nullopt, u.access));
            EXPECT_TRUE(r.status == 200 || r.status == 400) << r.describe();
            if (r.status == 0) {
                ASSERT_FALSE(s.wait_exit(2s).has_value())
                    << "the server died exporting " << name << " as " << format;
            }
        }
    }
    EXPECT_STATUS(get(s, "/api/resumes/?limit=1", u.access), 200);
    EXPECT_FALSE(s.wait_exit(1ms).has_value()) << "the server died";
}

// ---------------------------------------------------------------------------------------------
// POST /api/resumes/import/

TEST_F(HostileFeatures, ImportWrongJsonTypesForEveryStringField) {
    const std::vector<std::string> paths = every_field_path();
    ASSERT_GT(paths.size(), 60u);
    for (std::string_view raw :
         {"42", "-7", "0", "1.5", "1e400", "-1e400", "NaN", "Infinity", "true", "false", "[]", "{}",
          R"(["a"])", R"({"a": "b"})", R"([[[[["deep"]]]]])"}) {
        SCOPED_TRACE(raw);
        Response r = import_resume(every_field(raw));
        expect_400(r);
        EXPECT_JSON(r, errors_at(paths, kNotString));
    }
    // null is "not given" for a field; a list item that is null is still not a string.
    std::vector<std::string> items;
    std::copy_if(paths.begin(), paths.end(), std::back_inserter(items), is_list_item);
    Response nulls = import_resume(every_field("null"));
    expect_400(nulls);
    EXPECT_JSON(nulls, errors_at(items, kNotString));
    // The same document as a .json file answers the same.
    Response file = upload_resume("cv.json", every_field("42"));
    expect_400(file);
    EXPECT_JSON(file, errors_at(paths, kNotString));
    // Strings where a date is expected.
    json::object dates{
        {"work", json::array{json::object{
                     {"name", "Acme"}, {"startDate", "2019-02-29"}, {"endDate", "19-01"}}}},
        {"certificates", json::array{json::object{{"date", "yesterday"}}}},
        {"publications", json::array{json::object{{"releaseDate", "2020-1-1"}}}}};
    Response bad_dates = import_resume(to_json(dates));
    expect_400(bad_dates);
    const std::string date_message = "Enter a valid date: YYYY, YYYY-MM or YYYY-MM-DD.";
    EXPECT_JSON(bad_dates, errors_at({"work[0].startDate", "work[0].endDate",
                                      "certificates[0].date", "publications[0].releaseDate"},
                                     date_message));
}

TEST_F(HostileFeatures, ImportWrongContainerTypesAreNamedByTheirPath) {
    auto with_sections = [](std::string_view raw) {
        json::object o;
        for (std::string_view s : kSections) o[s] = parse_json(raw);
        return to_json(o);
    };
    std::vector<std::string> sections(kSections.begin(), kSections.end());
    for (std::string_view raw : {R"("x")", "1", "1.5", "true", "{}", R"({"name": "x"})"}) {
        SCOPED_TRACE(raw);
        Response r = import_resume(with_sections(raw));
        expect_400(r);
        EXPECT_JSON(r, errors_at(sections, "Must be a list."));
    }
    std::vector<std::string> first_items;
    for (std::string_view s : kSections) first_items.push_back(std::string(s) + "[0]");
    for (std::string_view raw : {"1", R"("x")", "[]", "true", "null", R"([{}])"}) {
        SCOPED_TRACE(raw);
        Response r = import_resume(with_sections("[" + std::string(raw) + "]"));
        expect_400(r);
        EXPECT_JSON(r, errors_at(first_items, "Must be an object."));
    }
    for (std::string_view raw : {R"("Alice")", "1", "[]", "true", R"([{"name": "A"}])"}) {
        SCOPED_TRACE(raw);
        Response r = import_resume(R"({"basics": )" + std::string(raw) + "}");
        expect_400(r);
        EXPECT_JSON(r, field_error("basics", "Must be an object."));
        r = import_resume(R"({"basics": {"name": "A", "location": )" + std::string(raw) + "}}");
        expect_400(r);
        EXPECT_JSON(r, field_error("basics.location", "Must be an object."));
    }
    const std::vector<std::string> lists = {"work[0].highlights",     "volunteer[0].highlights",
                                            "education[0].courses",   "skills[0].keywords",
                                            "projects[0].highlights", "projects[0].keywords",
                                            "interests[0].keywords"};
    for (std::string_view raw : {R"("x")", "1", "{}", "true"}) {
        SCOPED_TRACE(raw);
        const std::string r_ = std::string(raw);
        const std::string doc =
            R"({"work": [{"highlights": )" + r_ + R"(}], "volunteer": [{"highlights": )" + r_ +
            R"(}], "education": [{"courses": )" + r_ + R"(}], "skills": [{"keywords": )" + r_ +
            R"(}], "projects": [{"highlights": )" + r_ + R"(, "keywords": )" + r_ +
            R"(}], "interests": [{"keywords": )" + r_ + "}]}";
        Response r = import_resume(doc);
        expect_400(r);
        EXPECT_JSON(r, errors_at(lists, "Must be a list of strings."));
    }
}

// The profiles of basics are named by their path, as every other field of basics is.
TEST_F(HostileFeatures, ImportNamesTheProfilesListByItsPath) {
    Response r = import_resume(R"({"basics": {"name": "A", "profiles": "x"}})");
    expect_400(r);
    EXPECT_JSON(r, field_error("basics.profiles", "Must be a list."));
    r = import_resume(R"({"basics": {"name": "A", "profiles": [1]}})");
    expect_400(r);
    EXPECT_JSON(r, field_error("basics.profiles[0]", "Must be an object."));
}

TEST_F(HostileFeatures, ImportRefusesNulInEveryStringField) {
    std::vector<std::string> fields;
    for (const auto& p : every_field_path()) {
        if (!is_list_item(p)) fields.push_back(p);
    }
    // Every scalar field; the list items are the next test's.
    std::string doc = every_field(R"("a\u0000b")");
    for (const auto& list : {"highlights", "courses", "keywords"}) {
        const std::string needle = "\"" + std::string(list) + "\": [\"a\\u0000b\"]";
        for (size_t at = doc.find(needle); at != std::string::npos; at = doc.find(needle))
            doc.replace(at, needle.size(), "\"" + std::string(list) + "\": [\"ok\"]");
    }
    Response r = import_resume(doc);
    expect_400(r);
    EXPECT_JSON(r, errors_at(fields, kNulMessage));
    // Raw NUL bytes: a JSON parse error in the body, refused files.
    expect_detail(import_resume("{\"basics\": {\"name\": \"a" + kNul + "b\"}}"), 400,
                  "JSON parse error - Invalid control character at");
    Response md = upload_resume("cv.md", std::string("# A\0B", 5));
    EXPECT_STATUS(md, 400);
    EXPECT_JSON(md, R"({"file":["The file holds null characters: it is not a text file."]})");
    Response json_file = upload_resume("cv.json", "{\"basics\": {\"name\": \"a" + kNul + "b\"}}");
    EXPECT_STATUS(json_file, 400);
    EXPECT_JSON(json_file, R"({"file":["The file is not a valid JSON document."]})");
}

// The strings of highlights, courses and keywords are text as every other field is: a NUL is
// refused (PostgreSQL cannot store one in a text column; libpq would cut the text there).
TEST_F(HostileFeatures, ImportRefusesNulInListItems) {
    std::vector<std::string> items;
    for (const auto& p : every_field_path()) {
        if (is_list_item(p)) items.push_back(p);
    }
    Response r = import_resume(every_field(R"("a\u0000b")"));
    expect_400(r);
    json::object o = r.obj();
    std::string unnamed;
    for (const auto& p : items) {
        if (!o.contains(p) || o.at(p) != json::value(json::array{json::value(kNulMessage)}))
            unnamed += " " + p;
    }
    EXPECT_EQ(unnamed, "") << "list items whose NUL is not refused" << r.describe();
    Response only = import_resume(
        R"({"basics": {"name": "A"}, "work": [{"name": "W", "highlights": ["a\u0000b"]}]})");
    EXPECT_STATUS(only, 400);
    EXPECT_JSON(only, field_error("work[0].highlights[0]", kNulMessage));
    if (only.status == 201) ++delta_.resumes;
}

// A lone surrogate escape is refused, as the API's text fields refuse it and as the same
// document uploaded as a .json file is refused; never stored as U+FFFD.
TEST_F(HostileFeatures, ImportRefusesLoneSurrogates) {
    const std::string doc =
        R"({"basics": {"name": "A\ud800"}, "skills": [{"keywords": ["\udc00"]}]})";
    Response file = upload_resume("cv.json", doc);
    EXPECT_STATUS(file, 400);
    EXPECT_JSON(file, R"({"file":["The file is not a valid JSON document."]})");
    Response r = import_resume(doc);
    EXPECT_STATUS(r, 400);
    if (r.status == 201) ++delta_.resumes;
    EXPECT_TRUE(names_the_problem(r));
    EXPECT_EQ(r.body.find("\xEF\xBF\xBD"), std::string::npos) << r.describe();
}

TEST_F(HostileFeatures, ImportMalformedUtf8) {
    for (std::string bytes : {std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                              std::string("\xF8\x88\x80\x80\x80"), std::string("\xF4\x90\x80\x80"),
                              std::string("\xFF"), std::string("\x80"), std::string("\xE2\x82")}) {
        SCOPED_TRACE(printable(bytes));
        const std::string doc = "{\"basics\": {\"name\": \"" + bytes + "\"}}";
        expect_detail(import_resume(doc), 400, "JSON parse error - 'utf-8' codec can't decode ");
        Response json_file = upload_resume("cv.json", doc);
        EXPECT_STATUS(json_file, 400);
        EXPECT_JSON(json_file, R"({"file":["The file is not a valid JSON document."]})");
        Response md = upload_resume("cv.md", "# " + bytes + "\n");
        EXPECT_STATUS(md, 400);
        EXPECT_JSON(md, R"({"file":["The file is not UTF-8 text."]})");
    }
}

TEST_F(HostileFeatures, ImportDeepNestingDuplicateKeysAndNonObjects) {
    const std::string too_deep = "JSON parse error - nesting too deep (at most 64 levels)";
    expect_detail(import_resume(std::string(100000, '[')), 400, too_deep);
    expect_detail(import_resume(R"({"basics": {"name": )" + std::string(10000, '[') +
                                std::string(10000, ']') + "}}"),
                  400, too_deep);
    std::string objects;
    for (int i = 0; i < 5000; ++i) objects += "{\"basics\":";
    expect_detail(import_resume(objects + "1" + std::string(5000, '}')), 400, too_deep);
    // Within the limit the value is just not a string.
    Response ok_depth = import_resume(R"({"basics": {"name": )" + std::string(62, '[') +
                                      std::string(62, ']') + "}}");
    expect_400(ok_depth);
    EXPECT_JSON(ok_depth, field_error("basics.name", kNotString));
    Response deep_file =
        upload_resume("cv.json", std::string(100000, '[') + std::string(100000, ']'));
    EXPECT_STATUS(deep_file, 400);
    EXPECT_JSON(deep_file, R"({"file":["The file is not a valid JSON document."]})");

    // Duplicate keys: the last one counts, as in Python.
    Response last = import_resume(R"({"basics": {"name": 42}, "basics": {"name": "Dup"}})");
    ASSERT_STATUS(last, 201);
    ++delta_.resumes;
    EXPECT_EQ(str(last.obj()["title"]), "Dup");
    expect_400(import_resume(R"({"basics": {"name": "Dup"}, "basics": []})"), "basics",
               "Must be an object.");
    expect_400(import_resume(R"({"basics": {"name": "A", "name": []}})"), "basics.name",
               kNotString);
    expect_400(import_resume(R"({"basics": {"name": "A"}, "work": [], "work": "x"})"), "work",
               "Must be a list.");

    // Documents that are not objects, or show nothing.
    for (auto [raw, type] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
             {"[]", "list"},
             {R"("basics")", "str"},
             {"1", "int"},
             {"1.5", "float"},
             {"true", "bool"}}) {
        Response r = import_resume(std::string(raw));
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(
            r, field_error("non_field_errors", "Invalid data. Expected a dictionary, but got " +
                                                   std::string(type) + "."));
    }
    Response null_body = import_resume("null");
    EXPECT_STATUS(null_body, 400);
    EXPECT_JSON(null_body, field_error("non_field_errors", "No data provided"));
    const std::string nothing = field_error(
        "non_field_errors",
        "The document has nothing a resume shows: no basics, work, education, skills or other "
        "section.");
    for (std::string_view raw :
         {"{}", "", R"({"basics": {}, "work": [], "unknown": [1, 2]})",
          R"({"basics": {"name": "   ", "label": "\n\t"}})", R"({"basics": null, "work": null})",
          R"({"$schema": "https://example.com", "meta": {"version": "v1"}})"}) {
        SCOPED_TRACE(raw);
        Response r = import_resume(std::string(raw));
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, nothing);
    }
}

TEST_F(HostileFeatures, ImportHugeValuesWithinAndOverTheBodyLimit) {
    // A title is cut at 255 characters (not bytes), wherever it comes from.
    std::string e300;
    for (int i = 0; i < 300; ++i) e300 += "\xC3\xA9";
    Response named = import_resume(to_json(
        json::object{{"basics", json::object{{"name", e300}, {"label", std::string(300, 'L')}}}}));
    ASSERT_STATUS(named, 201);
    ++delta_.resumes;
    EXPECT_EQ(utf8_chars(str(named.obj()["title"])), 255u);
    Response heading = upload_resume("cv.md", "# " + std::string(1000, 'H') + "\n\ntext\n");
    ASSERT_STATUS(heading, 201);
    ++delta_.resumes;
    EXPECT_EQ(str(heading.obj()["title"]), std::string(255, 'H'));
    // Near the body limit (1 MiB): a long text is fine.
    const std::string summary(1'000'000, 's');
    Response big = import_resume(
        to_json(json::object{{"basics", json::object{{"name", "Big"}, {"summary", summary}}}}));
    ASSERT_STATUS(big, 201);
    ++delta_.resumes;
    EXPECT_NE(str(big.obj()["content"]).find(summary), std::string::npos);
    Response big_file = upload_resume("cv.md", "# Big\n" + std::string(1'000'000, 'm'));
    ASSERT_STATUS(big_file, 201);
    ++delta_.resumes;
    // Over it: 413 from the declared length.
    for (const std::string& type : {std::string("application/json"), kMultipartType}) {
        Response r = declared_too_large("POST", kResumeImport, type);
        EXPECT_STATUS(r, 413);
        EXPECT_JSON(r, kTooLarge);
    }
}

// Multipart bodies that do not follow RFC 7578, for both upload routes.
struct BadMultipart {
    std::string name;
    std::string type;
    std::string body;
};

std::vector<BadMultipart> bad_multipart_bodies(std::string_view content) {
    const std::string b(kBoundary);
    const std::string file_head =
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n";
    const std::string good =
        "--" + b + "\r\n" + file_head + "\r\n" + std::string(content) + "\r\n--" + b + "--\r\n";
    auto with_headers = [&](const std::string& headers) {
        return "--" + b + "\r\n" + headers + "\r\n" + std::string(content) + "\r\n--" + b +
               "--\r\n";
    };
    std::string many;
    for (int i = 0; i < 101; ++i)
        many += "--" + b + "\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) +
                "\"\r\n\r\nv\r\n";
    many += "--" + b + "--\r\n";
    const std::string long_b(71, 'b');
    return {
        {"no boundary", "multipart/form-data", good},
        {"an empty boundary", "multipart/form-data; boundary=", good},
        {"a quoted empty boundary", "multipart/form-data; boundary=\"\"", good},
        {"a boundary of 71 characters", "multipart/form-data; boundary=" + long_b,
         "--" + long_b + "\r\n" + file_head + "\r\nx\r\n--" + long_b + "--\r\n"},
        {"a boundary with a bad character", "multipart/form-data; boundary=\"hf{B\"",
         "--hf{B\r\n" + file_head + "\r\nx\r\n--hf{B--\r\n"},
        {"a boundary ending in a space", "multipart/form-data; boundary=\"hfB \"",
         "--hfB \r\n" + file_head + "\r\nx\r\n--hfB --\r\n"},
        {"a body without the boundary", kMultipartType,
         "--other\r\n" + file_head + "\r\nx\r\n--other--\r\n"},
        {"an empty body", kMultipartType, ""},
        {"a body cut in the content", kMultipartType,
         "--" + b + "\r\n" + file_head + "\r\n" + std::string(content)},
        {"a body cut in the headers", kMultipartType,
         "--" + b + "\r\nContent-Disposition: form-data; name=\"file\""},
        {"a body cut after the delimiter", kMultipartType, "--" + b},
        {"text after the delimiter", kMultipartType,
         "--" + b + "xyz\r\n" + file_head + "\r\nx\r\n--" + b + "--\r\n"},
        {"the boundary inside the content", kMultipartType,
         "--" + b + "\r\n" + file_head + "\r\nx\r\n--" + b + "\r\nnot a part\r\n--" + b + "--\r\n"},
        {"a part without headers", kMultipartType,
         "--" + b + "\r\n\r\n" + std::string(content) + "\r\n--" + b + "--\r\n"},
        {"no Content-Disposition", kMultipartType, with_headers("Content-Type: text/csv\r\n")},
        {"not form-data", kMultipartType,
         with_headers("Content-Disposition: attachment; name=\"file\"; filename=\"a.csv\"\r\n")},
        {"no name", kMultipartType,
         with_headers("Content-Disposition: form-data; filename=\"a.csv\"\r\n")},
        {"an unterminated quoted name", kMultipartType,
         with_headers("Content-Disposition: form-data; name=\"file; filename=\"a.csv\r\n")},
        {"two Content-Dispositions", kMultipartType, with_headers(file_head + file_head)},
        {"a folded header", kMultipartType,
         with_headers("Content-Disposition: form-data;\r\n name=\"file\"; filename=\"a.csv\"\r\n")},
        {"a header without a colon", kMultipartType,
         with_headers(file_head + "Content-Type text/csv\r\n")},
        {"a base64 transfer encoding", kMultipartType,
         with_headers(file_head + "Content-Transfer-Encoding: base64\r\n")},
        {"a filename* that is not UTF-8", kMultipartType,
         with_headers(
             "Content-Disposition: form-data; name=\"file\"; filename*=latin-1''a.csv\r\n")},
        {"a filename* with a bad escape", kMultipartType,
         with_headers(
             "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''a%G1.csv\r\n")},
        {"101 parts", kMultipartType, many},
        {"a header block over 8 KiB", kMultipartType,
         with_headers(file_head + "X-Pad: " + std::string(9000, 'p') + "\r\n")},
    };
}

TEST_F(HostileFeatures, MalformedMultipartIsRefusedByBothUploads) {
    for (const auto& [route, content] :
         {std::pair{std::string(kResumeImport), std::string("# A\n")},
          std::pair{std::string(kJobImport), std::string("job_title\r\nx\r\n")}}) {
        for (const BadMultipart& m : bad_multipart_bodies(content)) {
            SCOPED_TRACE(route + ": " + m.name);
            expect_detail(send("POST", route, m.body, m.type), 400, kMultipartError);
        }
    }
}

TEST_F(HostileFeatures, MultipartWithoutTheFileOrWithTwo) {
    const std::string b(kBoundary);
    // The resume import: the part must be a file named "file".
    for (const std::vector<Part>& parts : std::vector<std::vector<Part>>{
             {},
             {{"upload", "cv.md", "# A"}},
             {{"FILE", "cv.md", "# A"}},
             {{"file", std::nullopt, "# A"}},
             {{"title", std::nullopt, "x"}, {"files", "cv.md", "# A"}}}) {
        Response r = send("POST", std::string(kResumeImport), multipart(b, parts), kMultipartType);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, kNoFile);
    }
    struct NamedFile {
        std::string filename;
        std::string content;
        std::string body;
    };
    for (const NamedFile& f : std::vector<NamedFile>{
             {"cv.pdf", "%PDF-1.4",
              R"({"file":["Upload a Markdown (.md) or JSON Resume (.json) file."]})"},
             {"cv.md.exe", "# A",
              R"({"file":["Upload a Markdown (.md) or JSON Resume (.json) file."]})"},
             {"cv", "# A", R"({"file":["Upload a Markdown (.md) or JSON Resume (.json) file."]})"},
             {"", "# A", R"({"file":["Upload a Markdown (.md) or JSON Resume (.json) file."]})"},
             {"cv.json", "# A", R"({"file":["The file is not a valid JSON document."]})"},
             {"cv.md", "", R"({"file":["The submitted file is empty."]})"},
             {"cv.md", "\xEF\xBB\xBF \r\n", R"({"file":["The submitted file is empty."]})"},
             {"cv.json", "", R"({"file":["The file is not a valid JSON document."]})"}}) {
        SCOPED_TRACE(f.filename);
        Response r = upload_resume(f.filename, f.content);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, f.body);
    }
    // Two files: one resume, from one of them; a path in the name is only a name.
    Response two =
        send("POST", std::string(kResumeImport),
             multipart(b, {{"file", "one.md", "# First"}, {"file", "two.md", "# Second"}}),
             kMultipartType);
    ASSERT_STATUS(two, 201);
    ++delta_.resumes;
    const std::string title = str(two.obj()["title"]);
    EXPECT_TRUE(title == "First" || title == "Second") << title;
    Response traversal = upload_resume("../../../etc/passwd.md", "# Traversal");
    ASSERT_STATUS(traversal, 201);
    ++delta_.resumes;
    EXPECT_EQ(str(traversal.obj()["title"]), "Traversal");

    // The CSV import: a part named "file" (a file or not).
    for (const std::vector<Part>& parts :
         std::vector<std::vector<Part>>{{},
                                        {{"upload", "jobs.csv", "job_title\r\nx\r\n"}},
                                        {{"FILE", "jobs.csv", "job_title\r\nx\r\n"}}}) {
        Response r = send("POST", std::string(kJobImport), multipart(b, parts), kMultipartType);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, kNoFile);
    }
    Response empty = send("POST", std::string(kJobImport), multipart(b, {{"file", "jobs.csv", ""}}),
                          kMultipartType);
    EXPECT_STATUS(empty, 400);
    EXPECT_JSON(empty, R"({"file":["The submitted file is empty."]})");
    Response two_csv = send("POST", std::string(kJobImport),
                            multipart(b, {{"file", "a.csv", "job_title\r\nfirst\r\n"},
                                          {"file", "b.csv", "job_title\r\nsecond\r\nthird\r\n"}}),
                            kMultipartType);
    ASSERT_STATUS(two_csv, 201);
    const int64_t created = two_csv.obj()["created"].as_int64();
    EXPECT_TRUE(created == 1 || created == 2) << two_csv.describe();
    delta_.live += created;
}

TEST_F(HostileFeatures, UploadsWithWrongContentTypes) {
    const std::string doc = R"({"basics": {"name": "Typed"}})";
    for (std::string type :
         {"text/plain", "application/xml", "text/csv", "text/markdown", "application/octet-stream",
          "multipart/mixed; boundary=hf-B0und", "image/png", "application/jsonx", "json"}) {
        SCOPED_TRACE(type);
        Response r = import_resume(doc, type);
        EXPECT_STATUS(r, 415);
        EXPECT_JSON(r, to_json(json::object{
                           {"detail", "Unsupported media type \"" + type + "\" in request."}}));
    }
    // A form is read as DRF reads one: its values are strings.
    Response form = import_resume("basics=Alice&work=x", "application/x-www-form-urlencoded");
    EXPECT_STATUS(form, 400);
    EXPECT_JSON(form, R"({"basics":["Must be an object."],"work":["Must be a list."]})");
    // No Content-Type: no data.
    Response untyped = import_resume(doc, "");
    EXPECT_STATUS(untyped, 400);
    EXPECT_TRUE(names_the_problem(untyped));
    // Latin-1 bytes declared as such: JSON is UTF-8.
    expect_detail(
        import_resume("{\"basics\": {\"name\": \"Jos\xE9\"}}", "application/json; charset=latin-1"),
        400, "JSON parse error - 'utf-8' codec can't decode byte 0xe9");

    for (std::string type :
         {"application/json", "text/plain", "application/x-www-form-urlencoded", "text/csvx",
          "application/vnd.ms-excel", "text/tab-separated-values"}) {
        SCOPED_TRACE(type);
        Response r = import_csv("job_title\r\nx\r\n", type);
        EXPECT_STATUS(r, 415);
        EXPECT_JSON(r, to_json(json::object{
                           {"detail", "Unsupported media type \"" + type + "\" in request."}}));
    }
    Response untyped_csv = import_csv("job_title\r\nx\r\n", "");
    EXPECT_STATUS(untyped_csv, 400);
    EXPECT_JSON(untyped_csv, kNoFile);
    Response upper = import_csv("job_title\r\nUpper\r\n", "TEXT/CSV; charset=UTF-8");
    ASSERT_STATUS(upper, 201);
    EXPECT_JSON(upper, R"({"created":1})");
    ++delta_.live;
}

// ---------------------------------------------------------------------------------------------
// POST /api/resumes/{id}/tailor/ and /tailor/stream/

TEST_F(HostileFeatures, TailorWrongJsonTypesForEveryField) {
    const std::string app = std::to_string(my_app_);
    const std::string model = to_json(json::value(kOffline));
    auto body = [](const std::string& a, const std::string& m, std::optional<std::string> attach) {
        std::string out = R"({"job_application": )" + a + R"(, "model": )" + m;
        if (attach) out += R"(, "attach": )" + *attach;
        return out + "}";
    };
    struct Case {
        std::string body;
        std::string expected;
    };
    std::vector<Case> cases;
    const std::string pk = "Incorrect type. Expected pk value, received ";
    for (auto [raw, type] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
             {R"("abc")", "str"},
             {R"("1 OR 1=1")", "str"},
             {R"("1.5")", "str"},
             {"true", "bool"},
             {"false", "bool"},
             {"[1]", "list"},
             {"[]", "list"},
             {R"({"id": 1})", "dict"},
             {"1.5", "float"},
             {"NaN", "float"},
             {"1e400", "float"}}) {
        cases.push_back({body(std::string(raw), model, std::nullopt),
                         field_error("job_application", pk + std::string(type) + ".")});
    }
    cases.push_back({body("null", model, std::nullopt),
                     field_error("job_application", "This field may not be null.")});
    for (std::string_view raw : {"[]", "{}", "true", "false", R"(["ResuMate Offline"])",
                                 R"({"name": "ResuMate Offline"})"}) {
        cases.push_back({body(app, std::string(raw), std::nullopt),
                         field_error("model", "Not a valid string.")});
    }
    cases.push_back(
        {body(app, "null", std::nullopt), field_error("model", "This field may not be null.")});
    for (std::string_view raw : {R"("")", R"("   ")", R"("\n\t")"}) {
        cases.push_back({body(app, std::string(raw), std::nullopt),
                         field_error("model", "This field may not be blank.")});
    }
    for (std::string_view raw : {"42", "1.5", R"("Offline")", R"("ResuMate  Offline")"}) {
        cases.push_back(
            {body(app, std::string(raw), std::nullopt),
             field_error("model", "This model is not valid or is currently disabled.")});
    }
    for (std::string_view raw :
         {R"("maybe")", "2", "-1", "1.5", "[]", "{}", R"("")", R"("yes please")", "[true]"}) {
        cases.push_back({body(app, model, std::string(raw)),
                         field_error("attach", "Must be a valid boolean.")});
    }
    cases.push_back(
        {body(app, model, "null"), field_error("attach", "This field may not be null.")});
    cases.push_back(
        {body("[]", "{}", "2"),
         R"({"job_application":["Incorrect type. Expected pk value, received list."],"model":["Not a valid string."],"attach":["Must be a valid boolean."]})"});
    cases.push_back(
        {R"({"jobapplication": 1, "Model": "ResuMate Offline"})",
         R"({"job_application":["This field is required."],"model":["This field is required."]})"});
    for (std::string_view tail : {"tailor/", "tailor/stream/"}) {
        for (const Case& c : cases) {
            SCOPED_TRACE(std::string(tail) + " " + c.body);
            Response r = send("POST", resume_path(my_resume_, tail), c.body);
            EXPECT_STATUS(r, 400);
            EXPECT_JSON(r, c.expected);
            EXPECT_EQ(r.header("Content-Type"), "application/json");
        }
    }
}

TEST_F(HostileFeatures, TailorIdsOutOfRangeForeignOrDeleted) {
    const std::string model = to_json(json::value(kOffline));
    auto invalid_pk = [](std::string_view shown) {
        return field_error("job_application",
                           "Invalid pk \"" + std::string(shown) + "\" - object does not exist.");
    };
    struct Case {
        std::string raw;
        std::string shown;
    };
    const std::vector<Case> cases = {
        {"-1", "-1"},
        {"0", "0"},
        {"-0", "0"},
        {"9223372036854775807", "9223372036854775807"},
        {"-9223372036854775808", "-9223372036854775808"},
        {"18446744073709551615", "18446744073709551615"},
        {R"("9223372036854775808")", "9223372036854775808"},
        {R"("-1")", "-1"},
        {"1e3", "1000.0"},
        {std::to_string(their_app_), std::to_string(their_app_)},
        {std::to_string(their_deleted_), std::to_string(their_deleted_)},
        {std::to_string(my_deleted_), std::to_string(my_deleted_)},
        {"\"" + std::to_string(my_deleted_) + "\"", std::to_string(my_deleted_)},
    };
    for (std::string_view tail : {"tailor/", "tailor/stream/"}) {
        for (const Case& c : cases) {
            SCOPED_TRACE(std::string(tail) + " " + c.raw);
            Response r = send("POST", resume_path(my_resume_, tail),
                              R"({"job_application": )" + c.raw + R"(, "model": )" + model +
                                  R"(, "attach": true})");
            EXPECT_STATUS(r, 400);
            EXPECT_JSON(r, invalid_pk(c.shown));
        }
        // No resume, or another user's: 404 whatever the body.
        const int64_t gone = make_resume(me_, "Gone", "# Gone");
        ASSERT_STATUS(del(*server_, resume_path(gone), me_.access), 204);
        std::vector<std::string> ids = kBadPathIds;
        ids.push_back(std::to_string(their_resume_));
        ids.push_back(std::to_string(gone));
        for (const std::string& id : ids) {
            for (const std::string& body : {R"({"job_application": )" + std::to_string(my_app_) +
                                                R"(, "model": )" + model + "}",
                                            R"({"job_application": )" + std::to_string(their_app_) +
                                                R"(, "model": )" + model + "}",
                                            std::string("[]"), std::string("{")}) {
                SCOPED_TRACE(std::string(tail) + " " + id + " " + body);
                expect_not_found(send("POST", resume_path(id, tail), body));
            }
        }
    }
    // Their application keeps its resume; mine is untouched.
    Response theirs = get(*server_, job_path(their_app_), them_.access);
    EXPECT_EQ(theirs.obj()["resume_used"], json::value(their_resume_));
    Response mine = get(*server_, job_path(my_app_), me_.access);
    EXPECT_EQ(mine.obj()["resume_used"], json::value(my_resume_));
}

TEST_F(HostileFeatures, TailorNulUtf8NestingDuplicatesAndBodySizes) {
    const std::string path = resume_path(my_resume_, "tailor/");
    const std::string stream = resume_path(my_resume_, "tailor/stream/");
    const std::string app = std::to_string(my_app_);
    for (const std::string& p : {path, stream}) {
        SCOPED_TRACE(p);
        expect_400(send("POST", p, R"({"job_application": )" + app + R"(, "model": "\u0000"})"),
                   "model", kNulMessage);
        expect_400(send("POST", p,
                        R"({"job_application": )" + app + R"(, "model": "ResuMate\u0000Offline"})"),
                   "model", kNulMessage);
        expect_400(send("POST", p, R"({"job_application": )" + app + R"(, "model": "\ud800"})"),
                   "model", "Surrogate characters are not allowed: U+D800.");
        expect_400(send("POST", p, R"({"job_application": "\u0000", "model": "ResuMate Offline"})"),
                   "job_application");
        expect_detail(
            send("POST", p, "{\"job_application\": " + app + ", \"model\": \"\xC0\xAF\"}"), 400,
            "JSON parse error - 'utf-8' codec can't decode byte 0xc0");
        expect_detail(send("POST", p, "{\"model\": \"a" + kNul + "b\"}"), 400,
                      "JSON parse error - Invalid control character at");
        expect_detail(send("POST", p, std::string(100000, '[')), 400,
                      "JSON parse error - nesting too deep");
        expect_detail(
            send("POST", p,
                 R"({"job_application": )" + std::string(1000, '[') + std::string(1000, ']') + "}"),
            400, "JSON parse error - nesting too deep");
        expect_detail(send("POST", p, R"({"job_application": 1,)"), 400,
                      "JSON parse error - Expecting property name enclosed in double quotes");
        for (auto [raw, type] :
             std::initializer_list<std::pair<std::string_view, std::string_view>>{
                 {"[]", "list"}, {R"("x")", "str"}, {"7", "int"}, {"true", "bool"}}) {
            Response r = send("POST", p, std::string(raw));
            EXPECT_STATUS(r, 400);
            EXPECT_JSON(
                r, field_error("non_field_errors", "Invalid data. Expected a dictionary, but got " +
                                                       std::string(type) + "."));
        }
        // Duplicate keys: the last counts.
        expect_400(send("POST", p,
                        R"({"job_application": )" + app +
                            R"(, "model": "ResuMate Offline", "model": []})"),
                   "model", "Not a valid string.");
        // A huge model name within the body limit is just not a model; over the limit, 413.
        expect_400(send("POST", p,
                        to_json(json::object{{"job_application", my_app_},
                                             {"model", std::string(1'000'000, 'm')}})),
                   "model", "This model is not valid or is currently disabled.");
        Response big = declared_too_large("POST", p, "application/json");
        EXPECT_STATUS(big, 413);
        EXPECT_JSON(big, kTooLarge);
        // Content types.
        Response plain = send("POST", p, "{}", "text/plain");
        EXPECT_STATUS(plain, 415);
        EXPECT_JSON(plain, R"({"detail":"Unsupported media type \"text/plain\" in request."})");
        expect_400(
            send("POST", p, "job_application=" + app + "&model=ResuMate+Offline&attach=maybe",
                 "application/x-www-form-urlencoded"),
            "attach", "Must be a valid boolean.");
        expect_detail(send("POST", p, "x", "multipart/form-data"), 400,
                      "Multipart form parse error - Invalid boundary in multipart: None");
    }
    // The first of duplicate keys is overridden by a good value: a tailored resume.
    Response dup = send("POST", path,
                        R"({"job_application": "x", "job_application": )" + app +
                            R"(, "model": [], "model": "ResuMate Offline"})");
    ASSERT_STATUS(dup, 201);
    ++delta_.resumes;
}

// ---------------------------------------------------------------------------------------------
// GET /api/job-applications/{id}/match/

TEST_F(HostileFeatures, MatchHostileResumeParameterAndIds) {
    const std::string base = job_path(my_app_, "match/");
    const std::string not_integer = field_error("resume", "A valid integer is required.");
    for (std::string_view q : {"",
                               "+",
                               "%20",
                               "abc",
                               "1.5",
                               "1e3",
                               "0x10",
                               "%2B5",
                               "%00",
                               "5%00",
                               "%ED%A0%80",
                               "%FF",
                               "%C0%AF",
                               "99999999999999999999",
                               "9223372036854775808",
                               "-9223372036854775809",
                               "5abc",
                               "1%2C2",
                               "%27%20OR%201%3D1%20--",
                               "%EF%BC%95"}) {
        SCOPED_TRACE(q);
        Response r = get(*server_, base + "?resume=" + std::string(q), me_.access);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, not_integer);
    }
    auto invalid_pk = [](std::string_view shown) {
        return field_error("resume",
                           "Invalid pk \"" + std::string(shown) + "\" - object does not exist.");
    };
    const int64_t gone = make_resume(me_, "Gone", "# Gone");
    ASSERT_STATUS(del(*server_, resume_path(gone), me_.access), 204);
    for (auto [q, shown] : std::vector<std::pair<std::string, std::string>>{
             {"-1", "-1"},
             {"0", "0"},
             {"-0", "0"},
             {"9223372036854775807", "9223372036854775807"},
             {"-9223372036854775808", "-9223372036854775808"},
             {std::to_string(their_resume_), std::to_string(their_resume_)},
             {std::to_string(gone), std::to_string(gone)},
             {"%20" + std::to_string(their_resume_) + "%20", std::to_string(their_resume_)}}) {
        SCOPED_TRACE(q);
        Response r = get(*server_, base + "?resume=" + q, me_.access);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, invalid_pk(shown));
    }
    // The last of a repeated parameter counts; unknown parameters are ignored.
    for (std::string q : {"?resume=abc&resume=" + std::to_string(my_resume_),
                          "?Resume=abc&resume_id=" + std::to_string(their_resume_),
                          "?resume=%20" + std::to_string(my_resume_) + "%20"}) {
        SCOPED_TRACE(q);
        Response r = get(*server_, base + q, me_.access);
        ASSERT_STATUS(r, 200);
        EXPECT_EQ(r.obj()["resume"], json::value(my_resume_));
    }
    // No such application, another user's, or a deleted one: 404, whatever the query.
    std::vector<std::string> ids = kBadPathIds;
    for (int64_t id : {their_app_, their_deleted_, my_deleted_}) ids.push_back(std::to_string(id));
    Response examples = get(*server_, "/api/example-job-applications/");
    ASSERT_STATUS(examples, 200);
    const json::object example_list = examples.obj();
    for (const auto& e : example_list.at("data").as_array())
        ids.push_back(std::to_string(e.as_object().at("id").as_int64()));
    for (const std::string& id : ids) {
        for (const std::string& q : std::vector<std::string>{
                 "", "?resume=" + std::to_string(my_resume_), std::string("?resume=abc")}) {
            SCOPED_TRACE(id + q);
            expect_not_found(get(*server_, job_path(id, "match/") + q, me_.access));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// stats/, trash/, {id}/restore/

TEST_F(HostileFeatures, StatsIgnoresHostileQueriesAndCountsOnlyTheCallersLiveApplications) {
    Response plain = get(*server_, "/api/job-applications/stats/", me_.access);
    ASSERT_STATUS(plain, 200);
    EXPECT_EQ(plain.obj()["total"], json::value(before_.live));
    const std::string them = std::to_string(them_.id);
    for (const std::string& q : std::vector<std::string>{
             "?limit=-1", "?limit=1&offset=99999999999999999999", "?user=" + them,
             "?user_id=" + them, "?status=Nope", "?is_deleted=true", "?format=json", "?%00=%00",
             "?search=%ED%A0%80", "?ordering=-id%27%20OR%201%3D1", "?date_applied_after=yesterday",
             "?" + std::string(4000, 'q')}) {
        SCOPED_TRACE(q.substr(0, 60));
        Response r = get(*server_, "/api/job-applications/stats/" + q, me_.access);
        ASSERT_STATUS(r, 200);
        EXPECT_EQ(r.body, plain.body);
    }
    // A format the route does not render is not found, as DRF's ?format= has it.
    for (std::string_view q : {"?format=xml", "?format=csv", "?format=%00", "?format=json%27--"}) {
        SCOPED_TRACE(q);
        expect_not_found(
            get(*server_, "/api/job-applications/stats/" + std::string(q), me_.access));
    }
    Response theirs = get(*server_, "/api/job-applications/stats/", them_.access);
    ASSERT_STATUS(theirs, 200);
    EXPECT_EQ(theirs.obj()["total"], json::value(their_before_.live));
    // POST with a body changes nothing.
    Response posted = send("POST", "/api/job-applications/stats/", R"({"total": 0})");
    EXPECT_STATUS(posted, 405);
}

TEST_F(HostileFeatures, TrashShowsOnlyTheCallersDeletedApplicationsWhateverTheQuery) {
    const std::string them = std::to_string(them_.id);
    for (const std::string& q : std::vector<std::string>{
             "", "?limit=-1", "?limit=0", "?limit=1%27%20OR%201%3D1%20--",
             "?limit=99999999999999999999", "?limit=1&offset=-5",
             "?limit=2&offset=9223372036854775807",
             "?limit=9223372036854775807&offset=9223372036854775807", "?limit=%00", "?limit=%C0%AF",
             "?limit[]=1", "?user=" + them, "?is_deleted=false", "?status=Nope", "?search=%00"}) {
        SCOPED_TRACE(q);
        Response r = get(*server_, "/api/job-applications/trash/" + q, me_.access);
        ASSERT_STATUS(r, 200);
        json::array items = r.json().is_array() ? r.arr() : r.obj()["results"].as_array();
        std::set<int64_t> ids;
        for (const auto& item : items) {
            const json::object& o = item.as_object();
            ids.insert(o.at("id").as_int64());
            EXPECT_EQ(o.at("user"), json::value(me_.id));
            EXPECT_EQ(o.at("is_deleted"), json::value(true));
        }
        EXPECT_FALSE(ids.contains(their_deleted_));
        EXPECT_FALSE(ids.contains(their_app_));
        EXPECT_FALSE(ids.contains(my_app_));
        if (r.json().is_array()) {
            EXPECT_TRUE(ids.contains(my_deleted_)) << r.describe();
        }
    }
}

TEST_F(HostileFeatures, RestoreRefusesEverythingButTheCallersOwnDeletedApplication) {
    std::vector<std::string> ids = kBadPathIds;
    for (int64_t id : {their_deleted_, their_app_, my_app_}) ids.push_back(std::to_string(id));
    Response examples = get(*server_, "/api/example-job-applications/");
    ASSERT_STATUS(examples, 200);
    const json::object example_list = examples.obj();
    for (const auto& e : example_list.at("data").as_array())
        ids.push_back(std::to_string(e.as_object().at("id").as_int64()));
    for (const std::string& id : ids) {
        for (std::optional<std::string> body :
             {std::optional<std::string>(), std::optional<std::string>(R"({"is_deleted": false})"),
              std::optional<std::string>("[")}) {
            SCOPED_TRACE(id + " " + body.value_or("(no body)"));
            expect_not_found(send("POST", job_path(id, "restore/"), body));
        }
    }
    // Another user's deleted application stays in their trash.
    EXPECT_STATUS(get(*server_, job_path(their_deleted_), them_.access), 404);

    // Mine comes back whatever the body says, unchanged and still mine; once.
    const int64_t mine = make_application(me_, {{"job_title", "Back"}, {"notes", "kept"}});
    remove_application(me_, mine);
    Response r = send("POST", job_path(mine, "restore/"),
                      to_json(json::object{{"is_deleted", true},
                                           {"user", them_.id},
                                           {"job_title", json::array{}},
                                           {"notes", std::string(1000, 'n')}}));
    ASSERT_STATUS(r, 200);
    ++delta_.live;
    json::object o = r.obj();
    EXPECT_EQ(o["user"], json::value(me_.id));
    EXPECT_EQ(o["is_deleted"], json::value(false));
    EXPECT_EQ(str(o["job_title"]), "Back");
    EXPECT_EQ(str(o["notes"]), "kept");
    expect_not_found(send("POST", job_path(mine, "restore/"), std::nullopt));
    expect_not_found(send_as(them_, "POST", job_path(mine, "restore/"), std::nullopt));
    Response big =
        declared_too_large("POST", job_path(my_deleted_, "restore/"), "application/json");
    EXPECT_STATUS(big, 413);
}

// ---------------------------------------------------------------------------------------------
// GET /api/job-applications/export/

TEST_F(HostileFeatures, CsvExportOddFormatValuesAndWhatItHolds) {
    for (auto [q, shown] : std::vector<std::pair<std::string, std::string>>{
             {"CSV", "CSV"},
             {"xlsx", "xlsx"},
             {"", ""},
             {"csv%20", "csv "},
             {"+csv", " csv"},
             {"csv%00", std::string("csv\0", 4)},
             {"%FF", "\xEF\xBF\xBD"},
             {"json", "json"},
             {"csv,json", "csv,json"},
             {"..%2Fcsv", "../csv"},
             {std::string(3000, 'c'), std::string(3000, 'c')},
             {"csv&format=xml", "xml"}}) {
        SCOPED_TRACE(q.substr(0, 40));
        Response r = get(*server_, std::string(kJobExport) + "?format=" + q, me_.access);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, field_error("format", not_a_choice(shown)));
    }
    for (const std::string& q :
         std::vector<std::string>{"", "?format=csv", "?format=xml&format=csv", "?FORMAT=xml",
                                  "?limit=-1", "?user=" + std::to_string(them_.id)}) {
        SCOPED_TRACE(q);
        Response r = get(*server_, std::string(kJobExport) + q, me_.access);
        ASSERT_STATUS(r, 200);
        EXPECT_EQ(r.header("Content-Type"), "text/csv; charset=utf-8");
        auto rows = parse_csv(r.body);
        ASSERT_FALSE(rows.empty());
        EXPECT_EQ(static_cast<int64_t>(rows.size()) - 1, before_.live);
        std::set<std::string> ids;
        for (size_t i = 1; i < rows.size(); ++i) ids.insert(rows[i].at(0));
        EXPECT_TRUE(ids.contains(std::to_string(my_app_)));
        for (int64_t other : {my_deleted_, their_app_, their_deleted_})
            EXPECT_FALSE(ids.contains(std::to_string(other))) << other;
    }
}

// ---------------------------------------------------------------------------------------------
// POST /api/job-applications/import/

TEST_F(HostileFeatures, CsvFormulaCellsRoundTripNeutralized) {
    const std::string csv = std::string(kCsvHeader) +
                            "=1+1,+cmd,-2+3,@SUM(A1)\r\n"
                            "\"\t=tab\",\"\r=cr\",'=quoted,''=twice\r\n"
                            "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",-5 "
                            "degrees,@home,\"+1 555, ext 2\"\r\n"
                            "\"=cmd|' /C calc'!A0\",'plain,'',\"'\t=x\"\r\n";
    Response imported = import_csv(csv);
    ASSERT_STATUS(imported, 201);
    EXPECT_JSON(imported, R"({"created":4})");
    delta_.live += 4;
    const std::vector<std::vector<std::string>> want = {
        {"=1+1", "+cmd", "-2+3", "@SUM(A1)"},
        {"=tab", "=cr", "=quoted", "'=twice"},
        {"=HYPERLINK(\"http://evil.example\",\"x\")", "-5 degrees", "@home", "+1 555, ext 2"},
        {"=cmd|' /C calc'!A0", "'plain", "''", "=x"}};
    const char* fields[] = {"job_title", "company_name", "notes", "original_job_description"};
    json::array all = my_applications();
    ASSERT_GE(all.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
        const json::object& row = all[all.size() - 4 + i].as_object();
        for (size_t f = 0; f < 4; ++f)
            EXPECT_EQ(str(row.at(fields[f])), want[i][f]) << "row " << i << " " << fields[f];
    }

    // The export neutralizes every formula cell: none starts with = + - @, a tab or a CR.
    Response exported = get(*server_, std::string(kJobExport), me_.access);
    ASSERT_STATUS(exported, 200);
    auto rows = parse_csv(exported.body);
    ASSERT_EQ(rows.size(), all.size() + 1);
    for (size_t i = 1; i < rows.size(); ++i) {
        for (const std::string& cell : rows[i]) {
            if (cell.empty()) continue;
            EXPECT_EQ(std::string_view("=+-@\t\r").find(cell[0]), std::string_view::npos)
                << "an unguarded formula cell: " << cell;
        }
    }
    // Columns: id, job_title, company_name, status, date_applied, resume_used, notes,
    // original_job_description, created_at, updated_at.
    for (std::string_view guarded :
         {",'=1+1,'+cmd,Applied,,,'-2+3,'@SUM(A1),", ",'=tab,'=cr,Applied,,,'=quoted,''=twice,",
          ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",'-5 degrees,Applied,,,'@home,"
          "\"'+1 555, ext 2\",",
          ",'=cmd|' /C calc'!A0,'plain,Applied,,,'','=x,"}) {
        EXPECT_NE(exported.body.find(guarded), std::string::npos) << guarded << "\n"
                                                                  << exported.body;
    }
    // Imported again, the export gives back exactly what was stored.
    Response again = import_csv(exported.body);
    ASSERT_STATUS(again, 201);
    const size_t n = all.size();
    EXPECT_EQ(again.obj()["created"], json::value(static_cast<int64_t>(n)));
    delta_.live += static_cast<int64_t>(n);
    json::array twice = my_applications();
    ASSERT_EQ(twice.size(), 2 * n);
    for (size_t i = 0; i < n; ++i) {
        for (const char* f : {"job_title", "company_name", "notes", "original_job_description",
                              "status", "date_applied", "resume_used"}) {
            EXPECT_EQ(twice[n + i].as_object().at(f), twice[i].as_object().at(f))
                << f << " of row " << i;
        }
    }
}

TEST_F(HostileFeatures, CsvByteOrderMarksLineEndsAndQuotes) {
    struct Ok {
        std::string csv;
        int64_t created;
    };
    for (const Ok& c :
         std::vector<Ok>{{"\xEF\xBB\xBFjob_title\r\nBom\r\n", 1},
                         {"job_title\rCr1\rCr2\r", 2},
                         {"job_title\nLf1\n\nLf2", 2},
                         {"job_title\r\n\r\n\r\nMix1\r\r\nMix2\n\r", 2},
                         {"\r\n\n\rjob_title\r\nLate header", 1},
                         {"job_title,notes\r\nQ,\"l1\rl2\nl3\r\nl4 \"\"q\"\", x\"\r\n", 1},
                         {"job_title,notes\r\nNo end,\"unterminated line end\"", 1}}) {
        SCOPED_TRACE(printable(c.csv));
        Response r = import_csv(c.csv);
        ASSERT_STATUS(r, 201);
        EXPECT_EQ(r.obj()["created"], json::value(c.created));
        delta_.live += c.created;
    }
    json::array all = my_applications();
    EXPECT_EQ(str(all[all.size() - 2].as_object().at("notes")), "l1\rl2\nl3\r\nl4 \"q\", x");
    EXPECT_EQ(str(all[all.size() - 10].as_object().at("job_title")), "Bom");

    struct Bad {
        std::string csv;
        std::string body;
    };
    const std::string not_closed = "A quoted field is not closed.";
    for (const Bad& c : std::vector<Bad>{
             {"\xEF\xBB\xBF\xEF\xBB\xBFjob_title\r\nx\r\n",
              csv_errors({{1, "\xEF\xBB\xBFjob_title", "Unknown column."}})},
             {utf16("job_title\r\nx\r\n", true),
              csv_errors({{1, std::nullopt, std::string(kNotUtf8)}})},
             {utf16("job_title\r\nx\r\n", false),
              csv_errors({{1, std::nullopt, std::string(kNotUtf8)}})},
             {"\xEF\xBB\xBF", csv_errors({{1, std::nullopt, "The file has no header row."}})},
             {"\xEF\xBB\xBF\r\n\n\r",
              csv_errors({{1, std::nullopt, "The file has no header row."}})},
             {"job_title,notes\r\nA,\"open\r\nB,x\r\n",
              csv_errors({{2, std::nullopt, not_closed}})},
             {"\"job_title\r\nA\r\n", csv_errors({{1, std::nullopt, not_closed}})},
             {"job_title\rA\r\"B\r", csv_errors({{3, std::nullopt, not_closed}})},
             {"job_title\r\n\"A\"\"\r\n", csv_errors({{2, std::nullopt, not_closed}})},
             {"job_title\r\nA\"B\r\n",
              csv_errors({{2, std::nullopt,
                           "A quote inside an unquoted field (quote the field and double the "
                           "quote)."}})},
             {"job_title\r\n\"A\"B\r\n",
              csv_errors({{2, std::nullopt, "Unexpected text after a closing quote."}})},
             {"job_title,notes\r\nok,fine\n\"multi\nline\",x\r\"bad\"x,y\r\n",
              csv_errors({{5, std::nullopt, "Unexpected text after a closing quote."}})}}) {
        SCOPED_TRACE(printable(c.csv));
        Response r = import_csv(c.csv);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, c.body);
    }
}

TEST_F(HostileFeatures, CsvWrongAndDuplicateHeaders) {
    const std::string unknown = "Unknown column.";
    const std::string duplicate = "Duplicate column.";
    struct Bad {
        std::string csv;
        std::vector<CsvError> errors;
    };
    for (const Bad& c : std::vector<Bad>{
             {"Job Title\r\nx\r\n", {{1, "job title", unknown}}},
             {"jobtitle\r\nx\r\n", {{1, "jobtitle", unknown}}},
             {"job_title,\r\nx,y\r\n", {{1, "", unknown}}},
             {",job_title\r\n,x\r\n", {{1, "", unknown}}},
             {"job_title;status\r\nx;Applied\r\n", {{1, "job_title;status", unknown}}},
             {"job_title\tstatus\r\nx\tApplied\r\n", {{1, "job_title\tstatus", unknown}}},
             {"salary,job_title,bonus\r\n1,x,2\r\n",
              {{1, "salary", unknown}, {1, "bonus", unknown}}},
             {"=cmd,job_title\r\n1,x\r\n", {{1, "=cmd", unknown}}},
             {"'job_title\r\nx\r\n", {{1, "'job_title", unknown}}},
             {"job_title,status,Status\r\nx,Applied,Offer\r\n", {{1, "status", duplicate}}},
             {"notes, NOTES ,notes\r\na,b,c\r\n",
              {{1, "notes", duplicate}, {1, "notes", duplicate}}},
             {"id,id,job_title\r\n1,2,x\r\n", {{1, "id", duplicate}}},
             {"job_title,job_title,salary\r\nx,y,z\r\n",
              {{1, "job_title", duplicate}, {1, "salary", unknown}}},
             {std::string("job_title,sta\0tus\r\nx,y\r\n", 24),
              {{1, std::string("sta\0tus", 7), unknown}}}}) {
        SCOPED_TRACE(printable(c.csv));
        Response r = import_csv(c.csv);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, csv_errors(c.errors));
    }
    // Quoted, padded or upper-case names are the same columns; id, created_at and updated_at
    // are read and dropped.
    for (std::string csv :
         {"\"job_title\",\"status\"\r\nQuoted,Offer\r\n",
          " JOB_TITLE , Status \r\nPadded,Offer\r\n",
          "id,created_at,updated_at,job_title\r\n-1,=1+1,yesterday,Dropped\r\n"}) {
        SCOPED_TRACE(csv);
        Response r = import_csv(csv);
        ASSERT_STATUS(r, 201);
        EXPECT_JSON(r, R"({"created":1})");
        ++delta_.live;
    }
    json::array all = my_applications();
    EXPECT_EQ(str(all.back().as_object().at("job_title")), "Dropped");
    EXPECT_EQ(str(all[all.size() - 2].as_object().at("status")), "Offer");
}

TEST_F(HostileFeatures, CsvMoreThanFiveThousandRows) {
    const std::string too_many = "Too many rows: at most 5000 rows can be imported at once.";
    std::string rows5001 = "job_title\r\n";
    for (int i = 0; i < 5001; ++i) rows5001 += "r" + std::to_string(i) + "\r\n";
    Response r = import_csv(rows5001);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, csv_errors({{5002, std::nullopt, too_many}}));
    // Errors in the first rows give way to the row limit.
    std::string bad_then_many = "job_title,status\r\nx,Nope\r\n";
    for (int i = 0; i < 5000; ++i) bad_then_many += "r,Applied\r\n";
    r = import_csv(bad_then_many);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, csv_errors({{5002, std::nullopt, too_many}}));
    // Tiny rows, far more of them.
    std::string tiny = "job_title\n";
    for (int i = 0; i < 50000; ++i) tiny += "x\n";
    r = import_csv(tiny);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, csv_errors({{5002, std::nullopt, too_many}}));
    // At most 100 errors are named, in line order.
    std::string bad300 = "job_title,status\r\n";
    for (int i = 0; i < 300; ++i) bad300 += "x,Nope\r\n";
    r = import_csv(bad300);
    EXPECT_STATUS(r, 400);
    const json::array errors = r.obj()["errors"].as_array();
    ASSERT_EQ(errors.size(), 100u) << r.body.substr(0, 300);
    for (size_t i = 0; i < errors.size(); ++i)
        EXPECT_EQ(errors[i].as_object().at("line"), json::value(static_cast<int64_t>(i + 2)));
    // Exactly 5,000 rows, blank lines between them not counted: all saved.
    std::string rows5000 = "job_title\r\n";
    for (int i = 0; i < 5000; ++i)
        rows5000 += "r" + std::to_string(i) + (i % 3 ? "\r\n" : "\r\n\r\n");
    r = import_csv(rows5000);
    ASSERT_STATUS(r, 201);
    EXPECT_JSON(r, R"({"created":5000})");
    delta_.live += 5000;
}

TEST_F(HostileFeatures, CsvNulMalformedUtf8WrongValuesAndHugeCells) {
    // NUL in every text column, each named.
    Response nul = import_csv(std::string(kCsvHeader) + std::string("a\0b,c\0,\0,x\0y\r\n", 14));
    EXPECT_STATUS(nul, 400);
    EXPECT_JSON(nul, csv_errors({{2, "job_title", std::string(kNulMessage)},
                                 {2, "company_name", std::string(kNulMessage)},
                                 {2, "notes", std::string(kNulMessage)},
                                 {2, "original_job_description", std::string(kNulMessage)}}));
    for (std::string column : {"status", "date_applied", "resume_used"}) {
        Response r = import_csv(column + "\r\n" + std::string("1\0", 2) + "\r\n");
        expect_400(r);
        ASSERT_EQ(r.obj()["errors"].as_array().size(), 1u) << r.describe();
        EXPECT_EQ(r.obj()["errors"].as_array()[0].as_object().at("column"), json::value(column));
    }
    // Malformed UTF-8 anywhere: the line it is on.
    for (std::string bytes : {std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                              std::string("\xF8\x88\x80\x80\x80"), std::string("\xF4\x90\x80\x80"),
                              std::string("\x80"), std::string("\xE2\x82"), std::string("\xE9")}) {
        SCOPED_TRACE(printable(bytes));
        Response r = import_csv("job_title,notes\r\nok,fine\r\n\"multi\r\nline\",x\r\nz," + bytes);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, csv_errors({{5, std::nullopt, std::string(kNotUtf8)}}));
        r = import_csv("job_" + bytes + "title\r\nx\r\n");
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, csv_errors({{1, std::nullopt, std::string(kNotUtf8)}}));
    }
    // Values the API refuses, with the API's messages.
    const std::string other = std::to_string(their_resume_);
    const std::string pk_str = "Incorrect type. Expected pk value, received str.";
    auto invalid_pk = [](std::string_view shown) {
        return "Invalid pk \"" + std::string(shown) + "\" - object does not exist.";
    };
    Response values = import_csv(
        "status,date_applied,resume_used\r\n"
        "applied,,\r\n"                    // 2
        "APPLIED,2026-02-30,\r\n"          // 3
        "=Applied,20260101,abc\r\n"        // 4
        "'Applied,2026/01/01,1.5\r\n"      // 5
        "Applied ,,-1\r\n"                 // 6: the status is trimmed
        "Offer,yesterday,\r\n"             // 7
        "Offer,1e3,\r\n"                   // 8
        "Offer,,0\r\n"                     // 9
        "Offer,,99999999999999999999\r\n"  // 10
        "Offer,,=1\r\n"                    // 11
        "Offer,," +
        other + "\r\n");  // 12
    EXPECT_STATUS(values, 400);
    EXPECT_JSON(values, csv_errors({{2, "status", not_a_choice("applied")},
                                    {3, "status", not_a_choice("APPLIED")},
                                    {3, "date_applied", std::string(kBadDate)},
                                    {4, "status", not_a_choice("=Applied")},
                                    {4, "date_applied", std::string(kBadDate)},
                                    {4, "resume_used", pk_str},
                                    {5, "status", not_a_choice("'Applied")},
                                    {5, "date_applied", std::string(kBadDate)},
                                    {5, "resume_used", pk_str},
                                    {6, "resume_used", invalid_pk("-1")},
                                    {7, "date_applied", std::string(kBadDate)},
                                    {8, "date_applied", std::string(kBadDate)},
                                    {9, "resume_used", invalid_pk("0")},
                                    {10, "resume_used", invalid_pk("99999999999999999999")},
                                    {11, "resume_used", pk_str},
                                    {12, "resume_used", invalid_pk(other)}}));
    // Huge cells: the limited columns refuse them; the others take them.
    const std::string too_long = "Ensure this field has no more than 255 characters.";
    Response long_cells = import_csv("job_title,company_name\r\n" + std::string(256, 'T') + "," +
                                     std::string(100000, 'C') + "\r\n");
    EXPECT_STATUS(long_cells, 400);
    EXPECT_JSON(long_cells,
                csv_errors({{2, "job_title", too_long}, {2, "company_name", too_long}}));
    const std::string notes(1'000'000, 'n');
    Response big = import_csv("job_title,notes\r\nBig," + notes + "\r\n");
    ASSERT_STATUS(big, 201);
    ++delta_.live;
    EXPECT_EQ(str(my_applications().back().as_object().at("notes")), notes);
    for (const std::string& type : {std::string("text/csv"), kMultipartType}) {
        Response r = declared_too_large("POST", kJobImport, type);
        EXPECT_STATUS(r, 413);
        EXPECT_JSON(r, kTooLarge);
    }
}

}  // namespace
}  // namespace e2e::hostile_features
