// /api/resumes/: CRUD, validation, ordering, owner isolation, pagination.
#include <thread>

#include "harness.hpp"

namespace e2e::resumes {
namespace {

const TestUser& owner() {
    static const TestUser user = create_user(shared_server(), "resowner");
    return user;
}

const TestUser& other() {
    static const TestUser user = create_user(shared_server(), "resother");
    return user;
}

std::string resume_path(int64_t id) {
    return "/api/resumes/" + std::to_string(id) + "/";
}

json::object create_resume(const TestUser& user, std::string_view title, std::string_view content) {
    Response r = post(shared_server(), "/api/resumes/",
                      to_json(json::object{{"title", title}, {"content", content}}), user.access);
    if (r.status != 201) throw std::runtime_error("resume creation failed" + r.describe());
    return r.obj();
}

std::vector<int64_t> ids_of(const json::array& items) {
    std::vector<int64_t> ids;
    for (const auto& item : items) ids.push_back(item.as_object().at("id").as_int64());
    return ids;
}

std::vector<std::string> keys_of(const json::object& o) {
    std::vector<std::string> keys;
    for (const auto& kv : o) keys.emplace_back(kv.key());
    return keys;
}

void expect_resume_shape(const json::object& o, const TestUser& user) {
    EXPECT_EQ(o.size(), 6u) << json::serialize(o);
    EXPECT_TRUE(o.contains("id") && o.at("id").is_int64()) << json::serialize(o);
    EXPECT_EQ(o.contains("user") ? o.at("user") : json::value(), json::value(user.username))
        << json::serialize(o);
    EXPECT_TRUE(o.contains("title") && o.at("title").is_string()) << json::serialize(o);
    EXPECT_TRUE(o.contains("content") && o.at("content").is_string()) << json::serialize(o);
    EXPECT_TRUE(o.contains("created_at") && is_timestamp(o.at("created_at"))) << json::serialize(o);
    EXPECT_TRUE(o.contains("updated_at") && is_timestamp(o.at("updated_at"))) << json::serialize(o);
}

TEST(Resumes, CreateIgnoresReadOnlyFields) {
    const TestUser& u = owner();
    Response r = post(
        shared_server(), "/api/resumes/",
        R"({"title": "Backend CV", "content": "# Alice\n\n## Skills\n- Python", "user": "mallory", "id": 1, "created_at": "2000-01-01T00:00:00.000000Z"})",
        u.access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(r.header("Allow"), kAllowList);
    EXPECT_SECURITY_HEADERS(r);
    json::object o = r.obj();
    expect_resume_shape(o, u);
    EXPECT_EQ(str(o["title"]), "Backend CV");
    EXPECT_EQ(str(o["content"]), "# Alice\n\n## Skills\n- Python");
    EXPECT_NE(str(o["created_at"]), "2000-01-01T00:00:00.000000Z");

    Response again = get(shared_server(), resume_path(o["id"].as_int64()), u.access);
    EXPECT_STATUS(again, 200);
    EXPECT_EQ(again.json(), json::value(o));
}

TEST(Resumes, WireFormatKeyOrderMatchesTheOriginal) {
    json::object o = create_resume(owner(), "Order", "x");
    EXPECT_EQ(keys_of(o), (std::vector<std::string>{"id", "user", "title", "content", "created_at",
                                                    "updated_at"}));
}

TEST(Resumes, ListOwnNewestUpdatedFirstAndPatchMovesToTop) {
    TestUser u = create_user(shared_server(), "resorder");
    json::object a = create_resume(u, "Backend CV", "# Alice");
    json::object b = create_resume(u, "Frontend CV", "# Alice");
    const int64_t ida = a["id"].as_int64();
    const int64_t idb = b["id"].as_int64();

    Response list = get(shared_server(), "/api/resumes/", u.access);
    ASSERT_STATUS(list, 200);
    EXPECT_EQ(list.header("Allow"), kAllowList);
    EXPECT_EQ(ids_of(list.arr()), (std::vector<int64_t>{idb, ida}));
    ASSERT_EQ(list.arr().size(), 2u);
    EXPECT_EQ(list.arr()[0], json::value(b));

    std::this_thread::sleep_for(5ms);
    ASSERT_STATUS(
        patch(shared_server(), resume_path(ida), R"({"title":"Backend CV v2"})", u.access), 200);
    EXPECT_EQ(ids_of(get(shared_server(), "/api/resumes/", u.access).arr()),
              (std::vector<int64_t>{ida, idb}));

    std::this_thread::sleep_for(5ms);
    ASSERT_STATUS(
        put(shared_server(), resume_path(idb), R"({"title":"F","content":"C"})", u.access), 200);
    EXPECT_EQ(ids_of(get(shared_server(), "/api/resumes/", u.access).arr()),
              (std::vector<int64_t>{idb, ida}));
}

TEST(Resumes, Retrieve) {
    json::object o = create_resume(owner(), "Retrieve me", "# R");
    Response r = get(shared_server(), resume_path(o["id"].as_int64()), owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowDetail);
    EXPECT_SECURITY_HEADERS(r);
    EXPECT_EQ(r.json(), json::value(o));
}

TEST(Resumes, PutWithoutContentIs400) {
    json::object o = create_resume(owner(), "Put", "# P");
    Response r = put(shared_server(), resume_path(o["id"].as_int64()),
                     R"({"title": "Only a title"})", owner().access);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"content":["This field is required."]})");
    EXPECT_EQ(r.header("Allow"), kAllowDetail);
    // Nothing changed.
    EXPECT_EQ(get(shared_server(), resume_path(o["id"].as_int64()), owner().access).json(),
              json::value(o));
}

TEST(Resumes, PutReplacesWritableFieldsAndKeepsCreatedAt) {
    json::object o = create_resume(owner(), "Backend CV", "# Alice");
    const int64_t id = o["id"].as_int64();
    std::this_thread::sleep_for(5ms);
    Response r = put(shared_server(), resume_path(id),
                     R"({"title": "Backend CV v2", "content": "# Alice v2", "user": "mallory"})",
                     owner().access);
    ASSERT_STATUS(r, 200);
    json::object n = r.obj();
    expect_resume_shape(n, owner());
    EXPECT_EQ(n["id"], o["id"]);
    EXPECT_EQ(str(n["title"]), "Backend CV v2");
    EXPECT_EQ(str(n["content"]), "# Alice v2");
    EXPECT_EQ(n["created_at"], o["created_at"]);
    EXPECT_GT(str(n["updated_at"]), str(o["updated_at"]));
}

TEST(Resumes, PatchChangesOnlyTheGivenFields) {
    json::object o = create_resume(owner(), "Frontend CV", "# Alice");
    const int64_t id = o["id"].as_int64();
    std::this_thread::sleep_for(5ms);
    Response r =
        patch(shared_server(), resume_path(id), R"({"title": "Frontend CV v2"})", owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowDetail);
    json::object n = r.obj();
    EXPECT_EQ(str(n["title"]), "Frontend CV v2");
    EXPECT_EQ(str(n["content"]), "# Alice");
    EXPECT_EQ(n["created_at"], o["created_at"]);
    EXPECT_GT(str(n["updated_at"]), str(o["updated_at"]));

    Response empty = patch(shared_server(), resume_path(id), "{}", owner().access);
    EXPECT_STATUS(empty, 200);
    EXPECT_EQ(str(empty.obj()["title"]), "Frontend CV v2");

    Response blank = patch(shared_server(), resume_path(id), R"({"content": ""})", owner().access);
    EXPECT_STATUS(blank, 400);
    EXPECT_JSON(blank, R"({"content":["This field may not be blank."]})");
}

TEST(Resumes, OtherUserGets404AndCannotChangeAnything) {
    json::object o = create_resume(owner(), "Private", "# Mine");
    const std::string path = resume_path(o["id"].as_int64());
    const TestUser& x = other();

    for (const auto& [method, body] :
         std::vector<std::pair<std::string, std::optional<std::string>>>{
             {"GET", std::nullopt},
             {"PUT", R"({"title":"stolen","content":"x"})"},
             {"PATCH", R"({"title":"stolen"})"},
             {"DELETE", std::nullopt}}) {
        SCOPED_TRACE(method);
        Response r = call(shared_server(), method, path, body, x.access);
        EXPECT_STATUS(r, 404);
        EXPECT_JSON(r, kNotFound);
        EXPECT_EQ(r.header("Allow"), kAllowDetail);
        EXPECT_SECURITY_HEADERS(r);
    }
    Response list = get(shared_server(), "/api/resumes/", x.access);
    ASSERT_STATUS(list, 200);
    for (int64_t id : ids_of(list.arr())) EXPECT_NE(id, o["id"].as_int64());

    Response mine = get(shared_server(), path, owner().access);
    EXPECT_STATUS(mine, 200);
    EXPECT_EQ(mine.json(), json::value(o));
}

TEST(Resumes, NewUserListIsEmptyArray) {
    TestUser u = create_user(shared_server(), "resempty");
    Response r = get(shared_server(), "/api/resumes/", u.access);
    EXPECT_STATUS(r, 200);
    EXPECT_EQ(r.body, "[]");
}

TEST(Resumes, CreateValidation) {
    const std::string& t = owner().access;
    auto& s = shared_server();

    Response empty = post(s, "/api/resumes/", "{}", t);
    EXPECT_STATUS(empty, 400);
    EXPECT_JSON(empty,
                R"({"title":["This field is required."],"content":["This field is required."]})");
    EXPECT_EQ(empty.header("Allow"), kAllowList);

    Response too_long =
        post(s, "/api/resumes/",
             to_json(json::object{{"title", std::string(256, 'x')}, {"content", "c"}}), t);
    EXPECT_STATUS(too_long, 400);
    EXPECT_JSON(too_long, R"({"title":["Ensure this field has no more than 255 characters."]})");

    Response max_len =
        post(s, "/api/resumes/",
             to_json(json::object{{"title", std::string(255, 'x')}, {"content", "c"}}), t);
    EXPECT_STATUS(max_len, 201);

    Response blank = post(s, "/api/resumes/", R"({"title": "", "content": ""})", t);
    EXPECT_STATUS(blank, 400);
    EXPECT_JSON(
        blank,
        R"({"title":["This field may not be blank."],"content":["This field may not be blank."]})");

    Response spaces = post(s, "/api/resumes/", R"({"title": "   ", "content": "x"})", t);
    EXPECT_STATUS(spaces, 400);
    EXPECT_JSON(spaces, R"({"title":["This field may not be blank."]})");

    Response nulls = post(s, "/api/resumes/", R"({"title": null, "content": null})", t);
    EXPECT_STATUS(nulls, 400);
    EXPECT_JSON(
        nulls,
        R"({"title":["This field may not be null."],"content":["This field may not be null."]})");

    Response not_string = post(s, "/api/resumes/", R"({"title": "t", "content": ["a"]})", t);
    EXPECT_STATUS(not_string, 400);
    EXPECT_JSON(not_string, R"({"content":["Not a valid string."]})");

    Response object_title = post(s, "/api/resumes/", R"({"title": {"a": 1}, "content": "c"})", t);
    EXPECT_STATUS(object_title, 400);
    EXPECT_JSON(object_title, R"({"title":["Not a valid string."]})");

    Response array = post(s, "/api/resumes/", R"([{"title": "t", "content": "c"}])", t);
    EXPECT_STATUS(array, 400);
    EXPECT_JSON(array,
                R"({"non_field_errors":["Invalid data. Expected a dictionary, but got list."]})");

    Response malformed = post(s, "/api/resumes/", R"({"title": "t",)", t);
    EXPECT_STATUS(malformed, 400);
    EXPECT_EQ(str(malformed.obj()["detail"]).rfind("JSON parse error - ", 0), 0u)
        << malformed.describe();

    Response plain = call(s, "POST", "/api/resumes/", "title=t", t, "text/plain");
    EXPECT_STATUS(plain, 415);
    EXPECT_JSON(plain, R"({"detail":"Unsupported media type \"text/plain\" in request."})");
}

TEST(Resumes, TitleLengthCountsCharactersNotBytes) {
    std::string title255;
    for (int i = 0; i < 255; ++i) title255 += "\xC3\xA9";  // é
    Response ok =
        post(shared_server(), "/api/resumes/",
             to_json(json::object{{"title", title255}, {"content", "c"}}), owner().access);
    EXPECT_STATUS(ok, 201);
    EXPECT_EQ(str(ok.obj()["title"]), title255);

    Response too_long = post(
        shared_server(), "/api/resumes/",
        to_json(json::object{{"title", title255 + "\xC3\xA9"}, {"content", "c"}}), owner().access);
    EXPECT_STATUS(too_long, 400);
    EXPECT_JSON(too_long, R"({"title":["Ensure this field has no more than 255 characters."]})");
}

TEST(Resumes, UnicodeAndMarkdownRoundTrip) {
    const std::string content =
        "# J\xC3\xBCrgen \xE6\x97\xA5\xE6\x9C\xAC \xE2\x9C\x93\n\n"
        "- \"quotes\" and \\backslashes\\ and <tags> & tabs\t\n";
    json::object o = create_resume(owner(), "Unicode \xE2\x9C\x93", content);
    EXPECT_EQ(str(o["content"]),
              "# J\xC3\xBCrgen \xE6\x97\xA5\xE6\x9C\xAC \xE2\x9C\x93\n\n"
              "- \"quotes\" and \\backslashes\\ and <tags> & tabs");
    Response r = get(shared_server(), resume_path(o["id"].as_int64()), owner().access);
    EXPECT_EQ(r.json(), json::value(o));
}

TEST(Resumes, SurroundingWhitespaceIsTrimmed) {
    Response r = post(shared_server(), "/api/resumes/",
                      R"({"title": "  padded\t", "content": "\n\n# Body\n\n"})", owner().access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["title"]), "padded");
    EXPECT_EQ(str(r.obj()["content"]), "# Body");
}

TEST(Resumes, FormEncodedCreate) {
    Response r =
        post_form(shared_server(), "/api/resumes/",
                  "title=Form+CV&content=" + url_encode("# Form\n- a & b"), owner().access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["title"]), "Form CV");
    EXPECT_EQ(str(r.obj()["content"]), "# Form\n- a & b");
}

TEST(Resumes, DeleteIsHardAndAnswers204) {
    json::object o = create_resume(owner(), "Delete me", "# D");
    const std::string path = resume_path(o["id"].as_int64());
    Response r = del(shared_server(), path, owner().access);
    EXPECT_STATUS(r, 204);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.header("Allow"), kAllowDetail);
    EXPECT_SECURITY_HEADERS(r);

    Response after = get(shared_server(), path, owner().access);
    EXPECT_STATUS(after, 404);
    EXPECT_JSON(after, kNotFound);
    Response again = del(shared_server(), path, owner().access);
    EXPECT_STATUS(again, 404);
    EXPECT_JSON(again, kNotFound);
    for (int64_t id : ids_of(get(shared_server(), "/api/resumes/", owner().access).arr())) {
        EXPECT_NE(id, o["id"].as_int64());
    }
}

TEST(Resumes, DeletingAResumeKeepsJobApplicationsWithNullResume) {
    TestUser u = create_user(shared_server(), "rescascade");
    json::object res = create_resume(u, "For jobs", "x");
    Response job =
        post(shared_server(), "/api/job-applications/",
             to_json(json::object{{"job_title", "Dev"}, {"resume_used", res["id"]}}), u.access);
    ASSERT_STATUS(job, 201);
    EXPECT_EQ(job.obj()["resume_used"], res["id"]);
    const int64_t job_id = job.obj()["id"].as_int64();

    ASSERT_STATUS(del(shared_server(), resume_path(res["id"].as_int64()), u.access), 204);

    Response after =
        get(shared_server(), "/api/job-applications/" + std::to_string(job_id) + "/", u.access);
    ASSERT_STATUS(after, 200);
    EXPECT_TRUE(after.obj()["resume_used"].is_null()) << after.describe();
    EXPECT_EQ(str(after.obj()["job_title"]), "Dev");
}

TEST(Resumes, OddIdsAre404) {
    for (const char* id : {"abc", "0", "-1", "99999999", "99999999999999999999999", "1.5", "%20"}) {
        SCOPED_TRACE(id);
        Response r = get(shared_server(), std::string("/api/resumes/") + id + "/", owner().access);
        EXPECT_STATUS(r, 404);
        EXPECT_JSON(r, kNotFound);
    }
}

TEST(Resumes, AnonymousGets401Everywhere) {
    json::object o = create_resume(owner(), "Anon", "x");
    const std::string path = resume_path(o["id"].as_int64());
    for (const auto& [method, target, body] :
         std::vector<std::tuple<std::string, std::string, std::optional<std::string>>>{
             {"GET", "/api/resumes/", std::nullopt},
             {"POST", "/api/resumes/", R"({"title":"t","content":"c"})"},
             {"GET", path, std::nullopt},
             {"PUT", path, R"({"title":"t","content":"c"})"},
             {"PATCH", path, R"({"title":"t"})"},
             {"DELETE", path, std::nullopt}}) {
        SCOPED_TRACE(method + " " + target);
        Response r = call(shared_server(), method, target, body);
        EXPECT_STATUS(r, 401);
        EXPECT_JSON(r, kNotProvided);
        EXPECT_EQ(r.header("WWW-Authenticate"), R"(Bearer realm="api")");
        EXPECT_SECURITY_HEADERS(r);
    }
    EXPECT_EQ(get(shared_server(), path, owner().access).json(), json::value(o));
}

TEST(Resumes, LimitOffsetPagination) {
    TestUser u = create_user(shared_server(), "respage");
    for (int i = 0; i < 5; ++i) create_resume(u, "CV " + std::to_string(i), "x");
    Response all = get(shared_server(), "/api/resumes/", u.access);
    ASSERT_STATUS(all, 200);
    const json::array full = all.arr();
    ASSERT_EQ(full.size(), 5u);

    auto& s = shared_server();
    Response p1 = get(s, "/api/resumes/?limit=2&offset=0", u.access);
    ASSERT_STATUS(p1, 200);
    EXPECT_JSON(p1, to_json(json::object{{"count", 5},
                                         {"next", s.url("/api/resumes/?limit=2&offset=2")},
                                         {"previous", nullptr},
                                         {"results", json::array{full[0], full[1]}}}));

    Response p2 = get(s, "/api/resumes/?limit=2&offset=2", u.access);
    ASSERT_STATUS(p2, 200);
    EXPECT_JSON(p2, to_json(json::object{{"count", 5},
                                         {"next", s.url("/api/resumes/?limit=2&offset=4")},
                                         {"previous", s.url("/api/resumes/?limit=2")},
                                         {"results", json::array{full[2], full[3]}}}));

    Response p3 = get(s, "/api/resumes/?limit=2&offset=4", u.access);
    ASSERT_STATUS(p3, 200);
    EXPECT_JSON(p3, to_json(json::object{{"count", 5},
                                         {"next", nullptr},
                                         {"previous", s.url("/api/resumes/?limit=2&offset=2")},
                                         {"results", json::array{full[4]}}}));

    Response only_limit = get(s, "/api/resumes/?limit=3", u.access);
    ASSERT_STATUS(only_limit, 200);
    EXPECT_JSON(only_limit,
                to_json(json::object{{"count", 5},
                                     {"next", s.url("/api/resumes/?limit=3&offset=3")},
                                     {"previous", nullptr},
                                     {"results", json::array{full[0], full[1], full[2]}}}));

    Response beyond = get(s, "/api/resumes/?limit=2&offset=10", u.access);
    ASSERT_STATUS(beyond, 200);
    EXPECT_EQ(beyond.obj()["count"], json::value(5));
    EXPECT_EQ(beyond.obj()["results"], json::value(json::array{}));
    EXPECT_TRUE(beyond.obj()["next"].is_null()) << beyond.describe();
}

}  // namespace
}  // namespace e2e::resumes
