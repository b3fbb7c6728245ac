// Hostile input (issue 5 points 4 and 8): malformed and overlong UTF-8, NUL bytes, lone
// surrogates, numbers out of range, wrong JSON types, deep nesting, duplicate keys, SQL
// injection strings and path traversal, sent to every endpoint and field. Each must get a clear
// 4xx (a 400 naming the field in DRF's shape, or a 404 / 413 / 431), never a 500; nothing is
// stored; and the server keeps serving. The suite runs its own server so that a crash here is
// seen here.
#include "harness.hpp"

namespace e2e {
namespace {

constexpr std::string_view kNotString = "Not a valid string.";
constexpr std::string_view kNulMessage = "Null characters are not allowed.";

struct Counts {
    std::string users, resumes, jobs, models;
    bool operator==(const Counts&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Counts& c) {
    return os << "users=" << c.users << " resumes=" << c.resumes << " jobs=" << c.jobs
              << " models=" << c.models;
}

class Hostile : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<Server>(ServerOptions{.env = {}, .tag = "hostile"});
        server_->start();
    }
    static void TearDownTestSuite() {
        if (server_) {
            EXPECT_TRUE(server_->running());
            EXPECT_FALSE(server_->wait_exit(1ms).has_value()) << "the server died";
            if (server_->running()) {
                EXPECT_EQ(server_->stop(), 0);
            }
        }
        server_.reset();
    }

    void SetUp() override {
        ASSERT_TRUE(server_ && server_->running()) << "server did not start";
        user_ = create_user(*server_, "hostile");
        admin_ = admin_user(*server_);
        Response r =
            post(*server_, "/api/resumes/", R"({"title":"Mine","content":"# Me"})", user_.access);
        ASSERT_STATUS(r, 201);
        resume_id_ = r.obj()["id"].as_int64();
        r = post(*server_, "/api/job-applications/", R"({"job_title":"Dev"})", user_.access);
        ASSERT_STATUS(r, 201);
        job_id_ = r.obj()["id"].as_int64();
        before_ = counts();
    }

    // After every test: no row was created by the rejected requests, the server is alive and
    // a normal request still succeeds.
    void TearDown() override {
        if (check_counts_) {
            EXPECT_EQ(counts(), before_) << "a rejected request stored something";
        }
        ASSERT_FALSE(server_->wait_exit(1ms).has_value()) << "the server died";
        expect_still_serving();
    }

    static void expect_still_serving() {
        EXPECT_STATUS(get(*server_, "/api/"), 200);
        TestUser u = login(*server_, kAdminUser, kAdminPassword);
        EXPECT_STATUS(get(*server_, "/api/resumes/", u.access), 200);
    }

    static std::string count(const std::string& table) {
        auto row = query_row(server_->data_dir(), "SELECT COUNT(*) FROM " + table);
        if (!row || row->empty()) return "?";
        return (*row)[0];
    }
    static Counts counts() {
        return {count("auth_user"), count("resume_resume"), count("job_tracker_jobapplication"),
                count("ai_aimodel")};
    }

    static Response send(std::string method, std::string target, std::string body,
                         std::string token = {}, std::string type = "application/json") {
        return call(*server_, std::move(method), std::move(target), std::move(body),
                    std::move(token), std::move(type));
    }

    std::string resume_path() const { return "/api/resumes/" + std::to_string(resume_id_) + "/"; }
    std::string job_path() const {
        return "/api/job-applications/" + std::to_string(job_id_) + "/";
    }

    // One writable endpoint: where to send, who sends, and a valid body to mutate.
    struct Target {
        std::string name;
        std::string method;
        std::string path;
        std::string token;
        json::object valid;
        std::vector<std::string> string_fields;  // CharFields
    };

    std::vector<Target> targets() const {
        json::object reg{{"username", unique_name("hreg")},
                         {"email", "h@example.com"},
                         {"password", kPassword},
                         {"password2", kPassword}};
        json::object resume{{"title", "T"}, {"content", "C"}};
        json::object job{{"job_title", "J"},
                         {"company_name", "C"},
                         {"original_job_description", "D"},
                         {"notes", "N"}};
        json::object gen{
            {"model", "ResuMate Offline"}, {"user_input", kResumeInput}, {"title", "G"}};
        json::object model{{"display_name", "Hostile Model"}, {"model_name", "m"},
                           {"api_provider", "offline"},       {"api_key_name", ""},
                           {"response_time_info", "r"},       {"description", "d"}};
        const std::vector<std::string> job_fields = {"job_title", "company_name",
                                                     "original_job_description", "notes"};
        const std::vector<std::string> model_fields = {"display_name", "model_name", "api_key_name",
                                                       "response_time_info", "description"};
        return {
            {"register",
             "POST",
             "/api/auth/register/",
             "",
             reg,
             {"username", "email", "password", "password2"}},
            {"token",
             "POST",
             "/api/auth/token/",
             "",
             json::object{{"username", user_.username}, {"password", user_.password}},
             {"username", "password"}},
            {"refresh",
             "POST",
             "/api/auth/token/refresh/",
             "",
             json::object{{"refresh", user_.refresh}},
             {"refresh"}},
            {"verify",
             "POST",
             "/api/auth/token/verify/",
             "",
             json::object{{"token", user_.access}},
             {"token"}},
            {"blacklist",
             "POST",
             "/api/auth/token/blacklist/",
             "",
             json::object{{"refresh", user_.refresh}},
             {"refresh"}},
            {"resume create", "POST", "/api/resumes/", user_.access, resume, {"title", "content"}},
            {"resume put", "PUT", resume_path(), user_.access, resume, {"title", "content"}},
            {"resume patch", "PATCH", resume_path(), user_.access, resume, {"title", "content"}},
            {"job create", "POST", "/api/job-applications/", user_.access, job, job_fields},
            {"job put", "PUT", job_path(), user_.access, job, job_fields},
            {"job patch", "PATCH", job_path(), user_.access, job, job_fields},
            {"generate",
             "POST",
             "/api/ai/generate/",
             user_.access,
             gen,
             {"model", "user_input", "title"}},
            {"generate anonymous",
             "POST",
             "/api/ai/generate/",
             "",
             gen,
             {"model", "user_input", "title"}},
            {"generate stream",
             "POST",
             "/api/ai/generate/stream/",
             user_.access,
             gen,
             {"model", "user_input", "title"}},
            {"admin model create", "POST", "/api/admin/ai-models/", admin_.access, model,
             model_fields},
        };
    }

    // Sends `body` to the target and expects a 400 whose dict names `field` (with `message`
    // among its messages when given).
    static void expect_field_error(const Target& t, const std::string& body, std::string_view field,
                                   std::string_view message = {}) {
        SCOPED_TRACE(t.name + " " + t.method + " " + t.path + " " + body.substr(0, 300));
        Response r = send(t.method, t.path, body, t.token);
        expect_field_error(r, field, message);
    }
    static void expect_field_error(const Response& r, std::string_view field,
                                   std::string_view message = {}) {
        ASSERT_STATUS(r, 400);
        json::object o = r.obj();
        ASSERT_TRUE(o.contains(field) && o.at(field).is_array()) << r.describe();
        if (message.empty()) return;
        bool found = false;
        for (const auto& m : o.at(field).as_array()) found |= m == json::value(message);
        EXPECT_TRUE(found) << "expected \"" << message << "\" under " << field << ": "
                           << r.describe();
    }
    // Expects a 400 {"detail": "<prefix>..."}.
    static void expect_detail(const Response& r, int status, std::string_view prefix) {
        EXPECT_STATUS(r, status);
        json::object o = r.obj();
        ASSERT_TRUE(o.size() == 1 && o.contains("detail") && o.at("detail").is_string())
            << r.describe();
        EXPECT_TRUE(std::string_view(o.at("detail").as_string()).starts_with(prefix))
            << "expected a detail starting with \"" << prefix << "\": " << r.describe();
    }

    // `valid` with `field` replaced by the raw JSON text `raw`.
    static std::string with_raw(const json::object& valid, std::string_view field,
                                std::string_view raw) {
        json::object o = valid;
        o[field] = "\x01PLACEHOLDER\x01";
        std::string text = to_json(o);
        std::string needle = to_json(json::value("\x01PLACEHOLDER\x01"));
        text.replace(text.find(needle), needle.size(), raw);
        return text;
    }

    static inline std::unique_ptr<Server> server_;
    TestUser user_;
    TestUser admin_;
    int64_t resume_id_ = 0;
    int64_t job_id_ = 0;
    Counts before_;
    bool check_counts_ = true;
};

// ------------------------------------------------------------------------------------------
// Wrong JSON types.

TEST_F(Hostile, ArraysObjectsAndBooleansForEveryStringField) {
    for (const Target& t : targets()) {
        for (const std::string& field : t.string_fields) {
            for (std::string_view raw :
                 {"[]", "{}", "true", "false", R"(["a"])", R"({"a":"b"})", R"([[[[["deep"]]]]])"}) {
                expect_field_error(t, with_raw(t.valid, field, raw), field, kNotString);
            }
        }
    }
}

TEST_F(Hostile, NullForNonNullableStringFields) {
    for (const Target& t : targets()) {
        if (t.name.starts_with("job")) continue;  // every job application text is nullable
        for (const std::string& field : t.string_fields) {
            if (field == "title" && t.name.starts_with("generate")) continue;  // nullable
            expect_field_error(t, with_raw(t.valid, field, "null"), field,
                               "This field may not be null.");
        }
    }
}

TEST_F(Hostile, TopLevelBodiesThatAreNotObjects) {
    for (const Target& t : targets()) {
        for (auto [raw, type] :
             std::initializer_list<std::pair<std::string_view, std::string_view>>{
                 {"[]", "list"},
                 {R"([{"title":"a","content":"b"}])", "list"},
                 {R"("a string")", "str"},
                 {"123", "int"},
                 {"-0", "int"},
                 {"1.5", "float"},
                 {"1e999", "float"},
                 {"true", "bool"}}) {
            SCOPED_TRACE(t.name + " " + std::string(raw));
            Response r = send(t.method, t.path, std::string(raw), t.token);
            EXPECT_STATUS(r, 400);
            EXPECT_JSON(r,
                        R"({"non_field_errors":["Invalid data. Expected a dictionary, but got )" +
                            std::string(type) + R"(."]})");
        }
        Response r = send(t.method, t.path, "null", t.token);
        EXPECT_STATUS(r, 400);
        EXPECT_JSON(r, R"({"non_field_errors":["No data provided"]})");
    }
}

TEST_F(Hostile, StringsAndOtherTypesWhereNumbersAndBooleansAreExpected) {
    const Target job{"job", "POST", "/api/job-applications/", user_.access, json::object{}, {}};
    const std::string pk_type = "Incorrect type. Expected pk value, received ";
    for (auto [raw, type] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
             {R"("abc")", "str"},
             {R"("' OR 1=1 --")", "str"},
             {R"("1.5")", "str"},
             {"true", "bool"},
             {"false", "bool"},
             {"[1]", "list"},
             {R"({"id":1})", "dict"},
             {"1.5", "float"},
             {"1e400", "float"}}) {
        expect_field_error(job, with_raw({}, "resume_used", raw), "resume_used",
                           pk_type + std::string(type) + ".");
    }
    for (std::string_view raw : {R"("yesterday")", "20240101", R"("2024-02-30")", R"("2024-13-01")",
                                 R"("99999-01-01")", "[]", "true", R"("2024-01-01' OR 1=1 --")"}) {
        expect_field_error(job, with_raw({}, "date_applied", raw), "date_applied",
                           "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.");
    }
    for (auto [raw, shown] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
             {"1", "1"},
             {"true", "True"},
             {R"("applied")", "applied"},
             {R"("Applied ")", "Applied "},
             {"[]", "[]"},
             {R"("' OR 1=1 --")", "' OR 1=1 --"}}) {
        expect_field_error(job, with_raw({}, "status", raw), "status",
                           "\"" + std::string(shown) + "\" is not a valid choice.");
    }
    expect_field_error(job, with_raw({}, "status", "null"), "status",
                       "This field may not be null.");

    const Target model{
        "model",
        "POST",
        "/api/admin/ai-models/",
        admin_.access,
        json::object{{"display_name", "Typed"}, {"model_name", "m"}, {"api_provider", "offline"}},
        {}};
    for (std::string_view raw : {R"("abc")", R"("1e5")", "true", "[]", "{}", "1.5", R"("1.5")",
                                 "1e400", "-1e400", "1e16", R"("")"}) {
        expect_field_error(model, with_raw(model.valid, "daily_limit", raw), "daily_limit",
                           "A valid integer is required.");
    }
    for (std::string_view raw : {R"("maybe")", "2", "[]", "{}", "1.5", R"("")"}) {
        expect_field_error(model, with_raw(model.valid, "is_active", raw), "is_active",
                           "Must be a valid boolean.");
        expect_field_error(model, with_raw(model.valid, "login_required", raw), "login_required",
                           "Must be a valid boolean.");
    }
    expect_field_error(model, with_raw(model.valid, "api_provider", "[]"), "api_provider");
    expect_field_error(model, with_raw(model.valid, "api_provider", R"("nope")"), "api_provider",
                       "\"nope\" is not a valid choice.");
}

// ------------------------------------------------------------------------------------------
// Numbers out of range, in bodies and in URLs.

TEST_F(Hostile, OutOfRangeResumeIds) {
    const Target job{"job", "POST", "/api/job-applications/", user_.access, json::object{}, {}};
    for (std::string_view raw :
         {"-1", "0", "-0", "9223372036854775807", "9223372036854775808", "18446744073709551615",
          "-9223372036854775808", R"("-1")", R"("0")", R"("99999999999999999999")", "-2.0"}) {
        std::string shown(raw);
        if (shown.front() == '"') shown = shown.substr(1, shown.size() - 2);
        if (shown == "-0") shown = "0";
        expect_field_error(job, with_raw({}, "resume_used", raw), "resume_used",
                           "Invalid pk \"" + shown + "\" - object does not exist.");
    }
    // Beyond 2^64 the number is a float to the parser: still a 400 naming the field.
    for (std::string_view raw :
         {"18446744073709551616", "-9223372036854775809", "99999999999999999999999999999"}) {
        expect_field_error(job, with_raw({}, "resume_used", raw), "resume_used");
    }
}

TEST_F(Hostile, OutOfRangeIntegers) {
    const Target model{
        "model",
        "POST",
        "/api/admin/ai-models/",
        admin_.access,
        json::object{{"display_name", "Ranged"}, {"model_name", "m"}, {"api_provider", "offline"}},
        {}};
    const std::string too_big = "Ensure this value is less than or equal to 2147483647.";
    for (std::string_view raw :
         {"2147483648", "9223372036854775807", "9223372036854775808", "18446744073709551615",
          R"("2147483648")", R"("99999999999999999999")", R"(" 99999999999999999999 ")"}) {
        expect_field_error(model, with_raw(model.valid, "daily_limit", raw), "daily_limit",
                           too_big);
    }
    const std::string negative = "Ensure this value is greater than or equal to 0.";
    for (std::string_view raw :
         {"-1", "-9223372036854775808", R"("-1")", R"("-99999999999999999999")", "-1.0"}) {
        expect_field_error(model, with_raw(model.valid, "daily_limit", raw), "daily_limit",
                           negative);
    }
    // DRF's IntegerField refuses strings longer than 1000 characters outright.
    expect_field_error(model,
                       with_raw(model.valid, "daily_limit", '"' + std::string(1001, '1') + '"'),
                       "daily_limit", "String value too large.");
}

TEST_F(Hostile, BadIdsInUrlsAre404) {
    const std::vector<std::string> ids = {"-1",
                                          "0",
                                          "-0",
                                          "99999999999999999999",
                                          "9223372036854775808",
                                          "18446744073709551616",
                                          "1e3",
                                          "0x1",
                                          "%2D1",
                                          "abc",
                                          "' OR 1=1 --",
                                          "1%20OR%201=1",
                                          "%00",
                                          "1%00",
                                          "%C0%AF",
                                          "%ED%A0%80"};
    for (const std::string& id : ids) {
        std::string enc = id.find(' ') == std::string::npos ? id : url_encode(id);
        for (std::string base : {"/api/resumes/", "/api/job-applications/"}) {
            for (std::string method : {"GET", "PUT", "PATCH", "DELETE"}) {
                SCOPED_TRACE(method + " " + base + enc);
                Response r =
                    send(method, base + enc + "/", R"({"title":"x","content":"y"})", user_.access);
                EXPECT_STATUS(r, 404);
                EXPECT_JSON(r, kNotFound);
            }
        }
        SCOPED_TRACE(enc);
        EXPECT_STATUS(get(*server_, "/api/example-job-applications/" + enc + "/"), 404);
        EXPECT_STATUS(send("PATCH", "/api/admin/ai-models/" + enc + "/", R"({"description":"x"})",
                           admin_.access),
                      404);
        EXPECT_STATUS(send("DELETE", "/api/admin/ai-models/" + enc + "/", "", admin_.access), 404);
    }
}

TEST_F(Hostile, HostileQueryParametersAreHarmless) {
    for (std::string query :
         {"limit=1' OR 1=1 --", "limit=1;DROP TABLE resume_resume", "limit=-1", "limit=0",
          "limit=99999999999999999999", "limit=1&offset=-5", "limit=1&offset=99999999999999999999",
          "limit=2&offset=9223372036854775807",
          "limit=9223372036854775807&offset=9223372036854775807", "limit=%00", "limit=%C0%AF",
          "offset=1' OR '1'='1", "format=json'--", "limit=1e3", "limit[]=1"}) {
        for (std::string path : {"/api/resumes/", "/api/job-applications/"}) {
            SCOPED_TRACE(path + "?" + query);
            std::string encoded;
            for (char c : query) {
                if (c == ' ')
                    encoded += "%20";
                else if (c == '\'')
                    encoded += "%27";
                else
                    encoded += c;
            }
            Response r = get(*server_, path + "?" + encoded, user_.access);
            EXPECT_TRUE(r.status == 200 || r.status == 404) << r.describe();
            ASSERT_TRUE(r.json_ok()) << r.describe();
            if (r.status == 200 && r.json().is_object()) {
                json::object o = r.obj();
                // The envelope never links to a negative offset.
                if (o.contains("next") && o.at("next").is_string()) {
                    EXPECT_EQ(std::string(o.at("next").as_string()).find("offset=-"),
                              std::string::npos)
                        << r.describe();
                }
            }
        }
    }
    // The user's data is untouched and nobody else's leaked in.
    Response r = get(*server_, "/api/resumes/", user_.access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.arr().size(), 1u) << r.describe();
}

// ------------------------------------------------------------------------------------------
// NUL bytes.

TEST_F(Hostile, NulCharactersInEveryStringField) {
    for (const Target& t : targets()) {
        for (const std::string& field : t.string_fields) {
            for (std::string_view raw :
                 {R"("\u0000")", R"("a\u0000b")", R"("abc\u0000")", R"(" \u0000 ")"}) {
                expect_field_error(t, with_raw(t.valid, field, raw), field, kNulMessage);
            }
        }
    }
}

TEST_F(Hostile, RawNulBytesInFormAndMultipartBodies) {
    const std::string nul(1, '\0');
    for (const std::string& body : std::vector<std::string>{
             "title=a%00b&content=x", "title=a" + nul + "b&content=x", "title=x&content=" + nul}) {
        SCOPED_TRACE(body);
        Response r = post_form(*server_, "/api/resumes/", body, user_.access);
        expect_field_error(r, body.find("content=x") != std::string::npos ? "title" : "content",
                           kNulMessage);
    }
    std::string multipart =
        "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nt" + nul +
        "t\r\n--B\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nc\r\n--B--\r\n";
    expect_field_error(
        send("POST", "/api/resumes/", multipart, user_.access, "multipart/form-data; boundary=B"),
        "title", kNulMessage);
    // Raw NUL inside a JSON string is a control character: a JSON parse error.
    expect_detail(send("POST", "/api/resumes/",
                       "{\"title\": \"a" + nul + "b\", \"content\": \"x\"}", user_.access),
                  400, "JSON parse error - Invalid control character at: line 1 column 13");
    // Register and login with NUL: never a user, never a 500.
    Response reg = post_form(*server_, "/api/auth/register/",
                             "username=nul%00user&email=&password=" + url_encode(kPassword) +
                                 "&password2=" + url_encode(kPassword));
    expect_field_error(reg, "username", kNulMessage);
    Response login =
        post_form(*server_, "/api/auth/token/",
                  "username=" + user_.username + "%00&password=" + url_encode(kPassword));
    expect_field_error(login, "username", kNulMessage);
}

TEST_F(Hostile, NulInKeysIsJustAnUnknownKey) {
    Response r =
        post(*server_, "/api/resumes/", R"({"title\u0000": "x", "content": "y"})", user_.access);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"title":["This field is required."]})");
}

// ------------------------------------------------------------------------------------------
// Malformed UTF-8 and lone surrogates.

TEST_F(Hostile, MalformedUtf8InJsonIsAParseErrorWithPythonsText) {
    struct Case {
        std::string bytes;
        size_t offset;  // of the first bad byte within `bytes`
        size_t span;    // bytes Python names
        std::string reason;
    };
    const std::vector<Case> cases = {
        {"\xC0\xAF", 0, 1, "invalid start byte"},                 // overlong '/'
        {"\xC1\xBF", 0, 1, "invalid start byte"},                 // overlong
        {"\xE0\x80\xAF", 0, 1, "invalid continuation byte"},      // overlong, 3 bytes
        {"\xED\xA0\x80", 0, 1, "invalid continuation byte"},      // UTF-8 encoded surrogate
        {"\xF8\x88\x80\x80\x80", 0, 1, "invalid start byte"},     // 5-byte form
        {"\xF4\x90\x80\x80", 0, 1, "invalid continuation byte"},  // above U+10FFFF
        {"\xFF", 0, 1, "invalid start byte"},
        {"\x80", 0, 1, "invalid start byte"},                 // lone continuation byte
        {"\xE2\x82", 0, 2, "invalid continuation byte"},      // truncated
        {"\xF0\x9F\x98", 0, 3, "invalid continuation byte"},  // truncated
        {"a\xE2", 1, 1, "invalid continuation byte"},
    };
    for (const Target& t : targets()) {
        for (const std::string& field : t.string_fields) {
            for (const Case& c : cases) {
                json::object o = t.valid;
                o.erase(field);
                std::string head = "{\"" + field + "\": \"";
                std::string rest = to_json(o);
                std::string body =
                    head + c.bytes + "\"" + (rest.size() > 2 ? ", " + rest.substr(1) : "}");
                size_t pos = head.size() + c.offset;
                char hex[8];
                std::snprintf(hex, sizeof hex, "%02x",
                              static_cast<unsigned char>(c.bytes[c.offset]));
                std::string where = c.span == 1 ? "byte 0x" + std::string(hex) + " in position " +
                                                      std::to_string(pos)
                                                : "bytes in position " + std::to_string(pos) + "-" +
                                                      std::to_string(pos + c.span - 1);
                SCOPED_TRACE(t.name + " " + field);
                expect_detail(
                    send(t.method, t.path, body, t.token), 400,
                    "JSON parse error - 'utf-8' codec can't decode " + where + ": " + c.reason);
            }
        }
    }
}

TEST_F(Hostile, MalformedUtf8InFormBodies) {
    for (const std::string& body :
         std::vector<std::string>{"title=%C0%AF&content=x", "title=%ED%A0%80&content=x",
                                  "title=x&content=%F8%88%80%80%80", "title=%E2%82&content=x",
                                  std::string("title=\xC0\xAF&content=x")}) {
        SCOPED_TRACE(body);
        Response r = post_form(*server_, "/api/resumes/", body, user_.access);
        expect_detail(r, 400, "Form parse error - the body is not valid ");
    }
    std::string multipart =
        "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n\xED\xA0\x80\r\n"
        "--B\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nc\r\n--B--\r\n";
    expect_detail(
        send("POST", "/api/resumes/", multipart, user_.access, "multipart/form-data; boundary=B"),
        400, "Multipart form parse error - a field is not valid UTF-8.");
}

// DRF's CharField has ProhibitSurrogateCharactersValidator: Python's json accepts "\ud800", and
// the field refuses it ("Surrogate characters are not allowed: U+D800.").
TEST_F(Hostile, LoneSurrogatesAreRefusedByTheField) {
    for (const Target& t : targets()) {
        for (const std::string& field : t.string_fields) {
            for (auto [raw, cp] :
                 std::initializer_list<std::pair<std::string_view, std::string_view>>{
                     {R"("\ud800")", "D800"},
                     {R"("\udc00")", "DC00"},
                     {R"("a\ud800b")", "D800"},
                     {R"("\ud800\u0041")", "D800"},
                     {R"("\uDBFF\uDBFF")", "DBFF"},
                     {R"("\ude00\ud83d")", "DE00"},
                     {R"("ok\ud83d\ude00\udfff")", "DFFF"}}) {
                expect_field_error(
                    t, with_raw(t.valid, field, raw), field,
                    "Surrogate characters are not allowed: U+" + std::string(cp) + ".");
            }
        }
    }
}

TEST_F(Hostile, SurrogatePairsAreOneCharacter) {
    check_counts_ = false;
    std::string title;
    for (int i = 0; i < 255; ++i) title += "\\ud83d\\ude00";
    Response r = post(*server_, "/api/resumes/",
                      R"({"title": ")" + title + R"(", "content": "\ud83d\ude00"})", user_.access);
    ASSERT_STATUS(r, 201);
    std::string emoji = "\xF0\x9F\x98\x80";
    std::string expected;
    for (int i = 0; i < 255; ++i) expected += emoji;
    EXPECT_EQ(str(r.obj()["title"]), expected);
    EXPECT_EQ(str(r.obj()["content"]), emoji);
    r = post(*server_, "/api/resumes/",
             R"({"title": ")" + title + R"(\ud83d\ude00", "content": "x"})", user_.access);
    expect_field_error(r, "title", "Ensure this field has no more than 255 characters.");
}

// ------------------------------------------------------------------------------------------
// NaN and Infinity: Python's json accepts them, so DRF sees floats.

TEST_F(Hostile, NanAndInfinityAreFloatsAsInPython) {
    const Target job{"job", "POST", "/api/job-applications/", user_.access, json::object{}, {}};
    for (std::string_view raw : {"NaN", "Infinity", "-Infinity"}) {
        expect_field_error(job, with_raw({}, "resume_used", raw), "resume_used",
                           "Incorrect type. Expected pk value, received float.");
        expect_field_error(job, with_raw({}, "date_applied", raw), "date_applied");
        std::string shown = raw == "NaN" ? "nan" : raw == "Infinity" ? "inf" : "-inf";
        expect_field_error(job, with_raw({}, "status", raw), "status",
                           "\"" + shown + "\" is not a valid choice.");
    }
    const Target model{
        "model",
        "POST",
        "/api/admin/ai-models/",
        admin_.access,
        json::object{{"display_name", "Nan"}, {"model_name", "m"}, {"api_provider", "offline"}},
        {}};
    for (std::string_view raw : {"NaN", "Infinity", "-Infinity"}) {
        expect_field_error(model, with_raw(model.valid, "daily_limit", raw), "daily_limit",
                           "A valid integer is required.");
        expect_field_error(model, with_raw(model.valid, "is_active", raw), "is_active",
                           "Must be a valid boolean.");
    }
    // Top level: a float, not a dictionary.
    Response r = post(*server_, "/api/resumes/", "NaN", user_.access);
    EXPECT_JSON(r,
                R"({"non_field_errors":["Invalid data. Expected a dictionary, but got float."]})");
    // A string field stores Python's str() of the float, as DRF does.
    check_counts_ = false;
    r = post(*server_, "/api/resumes/", R"({"title": NaN, "content": -Infinity})", user_.access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["title"]), "nan");
    EXPECT_EQ(str(r.obj()["content"]), "-inf");
}

// ------------------------------------------------------------------------------------------
// Deep nesting, duplicate keys, big bodies.

TEST_F(Hostile, DeepNestingIsA400NotACrash) {
    const std::string too_deep = "JSON parse error - nesting too deep (at most 64 levels)";
    for (const Target& t : targets()) {
        SCOPED_TRACE(t.name);
        std::string arrays = std::string(10000, '[') + std::string(10000, ']');
        expect_detail(
            send(t.method, t.path, with_raw(t.valid, t.string_fields[0], arrays), t.token), 400,
            too_deep);
        std::string objects;
        for (int i = 0; i < 10000; ++i) objects += "{\"a\":";
        objects += "1" + std::string(10000, '}');
        expect_detail(send(t.method, t.path, objects, t.token), 400, too_deep);
        // Unterminated: the depth limit is met before the end of the text.
        expect_detail(send(t.method, t.path, std::string(500000, '['), t.token), 400, too_deep);
    }
    // 64 levels in all is fine (the value is then just not a string).
    const Target resume = targets()[5];
    std::string ok = std::string(63, '[') + std::string(63, ']');
    expect_field_error(resume, with_raw(resume.valid, "title", ok), "title", kNotString);
    std::string deep = std::string(64, '[') + std::string(64, ']');
    expect_detail(
        send("POST", "/api/resumes/", with_raw(resume.valid, "title", deep), user_.access), 400,
        too_deep);
}

TEST_F(Hostile, DuplicateKeysKeepTheLastValueAsPython) {
    check_counts_ = false;
    Response r = post(*server_, "/api/resumes/",
                      R"({"title": "first", "title": "second", "content": "x"})", user_.access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["title"]), "second");
    r = post(*server_, "/api/resumes/", R"({"title": [], "title": "ok", "content": "x"})",
             user_.access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["title"]), "ok");
    Counts after_ok = counts();
    r = post(*server_, "/api/resumes/", R"({"title": "ok", "title": [], "content": "x"})",
             user_.access);
    expect_field_error(r, "title", kNotString);
    r = post(*server_, "/api/resumes/", R"({"title": "ok", "content": "x", "content": "\u0000"})",
             user_.access);
    expect_field_error(r, "content", kNulMessage);
    EXPECT_EQ(counts(), after_ok);
}

TEST_F(Hostile, OverlongValuesCountCharacters) {
    const Target resume = targets()[5];
    // 256 characters, in 1-, 2- and 4-byte forms.
    for (std::string unit : {"a", "\xC3\xA9", "\xF0\x9F\x98\x80"}) {
        std::string s;
        for (int i = 0; i < 256; ++i) s += unit;
        expect_field_error(resume, with_raw(resume.valid, "title", to_json(json::value(s))),
                           "title", "Ensure this field has no more than 255 characters.");
    }
    for (const Target& t : targets()) {
        if (!t.name.starts_with("job")) continue;
        for (std::string field : {"job_title", "company_name"}) {
            expect_field_error(
                t, with_raw(t.valid, field, to_json(json::value(std::string(256, 'x')))), field,
                "Ensure this field has no more than 255 characters.");
        }
    }
    const Target reg = targets()[0];
    expect_field_error(reg,
                       with_raw(reg.valid, "username", to_json(json::value(std::string(151, 'u')))),
                       "username", "Ensure this field has no more than 150 characters.");
    const Target model = targets().back();
    expect_field_error(
        model, with_raw(model.valid, "display_name", to_json(json::value(std::string(101, 'd')))),
        "display_name", "Ensure this field has no more than 100 characters.");
    // 49 two-byte characters are 98 bytes but still too short.
    const Target gen = targets()[12];
    std::string short_input;
    for (int i = 0; i < 49; ++i) short_input += "\xC3\xA9";
    expect_field_error(gen, with_raw(gen.valid, "user_input", to_json(json::value(short_input))),
                       "user_input", "Ensure this field has at least 50 characters.");
    // Over the body limit: 413 from the declared length alone (only the head is sent, so the
    // client cannot race the server's close while writing the body).
    Client c(server_->port(), 10s);
    ASSERT_TRUE(c.connect());
    ASSERT_TRUE(c.write_raw(
        "POST /api/resumes/ HTTP/1.1\r\nHost: " + server_->host() + "\r\nAuthorization: Bearer " +
        user_.access + "\r\nContent-Type: application/json\r\nContent-Length: 1100000\r\n\r\n"));
    Response r = c.read_response();
    EXPECT_STATUS(r, 413);
    EXPECT_JSON(r, R"({"detail":"Request body too large."})");
    // A long resume under the limit is fine (no per-string cap below the body limit).
    check_counts_ = false;
    std::string long_content;
    for (int i = 0; i < 90000; ++i) long_content += "line " + std::to_string(i % 10) + "\n";
    r = post(*server_, "/api/resumes/",
             to_json(json::object{{"title", "Long"}, {"content", long_content}}), user_.access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["content"]).size(), long_content.size() - 1);  // trailing \n trimmed
}

// ------------------------------------------------------------------------------------------
// SQL injection: stored verbatim or refused, never executed.

TEST_F(Hostile, SqlInjectionStringsAreStoredVerbatim) {
    check_counts_ = false;
    const std::vector<std::string> payloads = {
        "' OR 1=1 --",
        "\"; DROP TABLE resume_resume; --",
        "Robert'); DROP TABLE job_tracker_jobapplication;--",
        "1; DELETE FROM auth_user WHERE 1=1",
        "' UNION SELECT password FROM auth_user --",
        "$1 $2 ? ?1 :name %s %d \\' \\\"",
    };
    Counts start = counts();
    for (const std::string& p : payloads) {
        SCOPED_TRACE(p);
        Response r = post(*server_, "/api/resumes/",
                          to_json(json::object{{"title", p}, {"content", p}}), user_.access);
        ASSERT_STATUS(r, 201);
        int64_t id = r.obj()["id"].as_int64();
        Response back = get(*server_, "/api/resumes/" + std::to_string(id) + "/", user_.access);
        EXPECT_EQ(str(back.obj()["title"]), p);
        EXPECT_EQ(str(back.obj()["content"]), p);
        r = post(*server_, "/api/job-applications/",
                 to_json(json::object{{"job_title", p},
                                      {"company_name", p},
                                      {"original_job_description", p},
                                      {"notes", p}}),
                 user_.access);
        ASSERT_STATUS(r, 201);
        EXPECT_EQ(str(r.obj()["notes"]), p);
        EXPECT_EQ(str(r.obj()["company_name"]), p);
        // Login with it: no account, a 401.
        Response login = post(*server_, "/api/auth/token/",
                              to_json(json::object{{"username", p}, {"password", p}}));
        EXPECT_STATUS(login, 401);
        // As a model name: not a model.
        expect_field_error(post(*server_, "/api/ai/generate/",
                                to_json(json::object{{"model", p}, {"user_input", kResumeInput}})),
                           "model", "This model is not valid or is currently disabled.");
        // As a username: refused by the username rules (or taken), never a 500.
        Response reg = post(*server_, "/api/auth/register/",
                            to_json(json::object{{"username", p},
                                                 {"email", ""},
                                                 {"password", kPassword},
                                                 {"password2", kPassword}}));
        expect_field_error(reg, "username");
    }
    Counts end = counts();
    EXPECT_EQ(end.users, start.users);
    EXPECT_EQ(end.models, start.models);
    EXPECT_EQ(std::stoll(end.resumes), std::stoll(start.resumes) + int64_t(payloads.size()));
    EXPECT_EQ(std::stoll(end.jobs), std::stoll(start.jobs) + int64_t(payloads.size()));
    // Every table is still there and the admin can still log in (TearDown checks too).
    EXPECT_STATUS(get(*server_, "/api/job-applications/", user_.access), 200);
    // A model whose display name is an injection string is stored verbatim and found by it.
    std::string name = "x'); DROP TABLE ai_aimodel; --";
    Response m =
        post(*server_, "/api/admin/ai-models/",
             to_json(json::object{
                 {"display_name", name}, {"model_name", "offline"}, {"api_provider", "offline"}}),
             admin_.access);
    ASSERT_STATUS(m, 201);
    EXPECT_EQ(str(m.obj()["display_name"]), name);
    Response gen =
        post(*server_, "/api/ai/generate/",
             to_json(json::object{{"model", name}, {"user_input", kResumeInput}}), user_.access);
    EXPECT_STATUS(gen, 201);
    EXPECT_STATUS(
        del(*server_, "/api/admin/ai-models/" + std::to_string(m.obj()["id"].as_int64()) + "/",
            admin_.access),
        204);
}

// ------------------------------------------------------------------------------------------
// Paths.

TEST_F(Hostile, PathTraversalAndOddPathsAre404) {
    const std::vector<std::string> paths = {
        "/api/../etc/passwd",
        "/api/../etc/passwd/",
        "/../../etc/passwd",
        "/api/resumes/%2e%2e/",
        "/api/resumes/%2e%2e/%2e%2e/etc/passwd/",
        "/api/resumes/1/../../",
        "/api/resumes/../../../etc/passwd/",
        "/api/resumes/..%2f..%2fetc%2fpasswd/",
        "/api/resumes/%2F/",
        "/api/resumes/1%2F2/",
        "/api/resumes/1%2f/",
        "/api/%2e%2e/%2e%2e/etc/passwd",
        "/api/resumes/./",
        "/api/./resumes/1/",
        "/api/resumes/%00/",
        "/api/resumes/..%5c..%5c/",
        "/api/resumes/\\..\\../",
        "/api/resumes/%252e%252e/",
        "/api/resumes/;/",
        "/api/resumes/1;drop/",
        "/api/resumes/%C0%AE%C0%AE/",
        "/api/resumes/.%2e/",
        "/%2e%2e/%2e%2e/",
        "/api/resumes/1/..%00/",
    };
    for (const std::string& p : paths) {
        for (std::string method : {"GET", "POST", "DELETE"}) {
            SCOPED_TRACE(method + " " + p);
            Response r = send(method, p, "{}", user_.access);
            EXPECT_TRUE(r.status == 404 || r.status == 400 || r.status == 405 || r.status == 301 ||
                        r.status == 308)
                << r.describe();
            EXPECT_EQ(r.body.find("root:"), std::string::npos) << r.describe();
            if (r.status == 404) {
                EXPECT_JSON(r, kNotFound);
            }
        }
    }
    // Very long paths: 404 while the request head fits, 431/414 after.
    for (size_t n : {1000u, 7000u}) {
        Response r = get(*server_, "/api/resumes/" + std::string(n, 'a') + "/", user_.access);
        EXPECT_STATUS(r, 404);
    }
    for (size_t n : {9000u, 100000u}) {
        Response r = get(*server_, "/api/resumes/" + std::string(n, '1') + "/", user_.access);
        EXPECT_TRUE(r.status == 431 || r.status == 414 || r.status == 400) << r.describe();
    }
    Response deep_path = get(*server_, "/api" + std::string(2000, '/') + "resumes/", user_.access);
    EXPECT_STATUS(deep_path, 404);
}

}  // namespace
}  // namespace e2e
