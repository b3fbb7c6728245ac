// /api/job-applications/ with the stricter rules the README describes: resume_used must be one of
// the caller's resumes; is_deleted / is_example are read-only; DELETE is a soft delete.
#include <set>

#include "harness.hpp"

namespace e2e::jobs {
namespace {

const TestUser& owner() {
    static const TestUser user = create_user(shared_server(), "jobowner");
    return user;
}

const TestUser& other() {
    static const TestUser user = create_user(shared_server(), "jobother");
    return user;
}

std::string job_path(int64_t id) {
    return "/api/job-applications/" + std::to_string(id) + "/";
}

int64_t create_resume_id(const TestUser& user) {
    Response r = post(shared_server(), "/api/resumes/", R"({"title":"For jobs","content":"x"})",
                      user.access);
    if (r.status != 201) throw std::runtime_error("resume creation failed" + r.describe());
    return r.obj()["id"].as_int64();
}

json::object create_job(const TestUser& user, const std::string& body) {
    Response r = post(shared_server(), "/api/job-applications/", body, user.access);
    if (r.status != 201) throw std::runtime_error("job creation failed" + r.describe());
    return r.obj();
}

std::set<int64_t> ids_of(const json::array& items) {
    std::set<int64_t> ids;
    for (const auto& item : items) ids.insert(item.as_object().at("id").as_int64());
    return ids;
}

bool truthy(const std::string& s) {
    return s == "1" || s == "t" || s == "true";
}

// Checks the generated fields and returns the object with them replaced by the given values, so
// the rest can be compared with an exact expectation.
void expect_generated_fields(const json::object& o) {
    EXPECT_TRUE(o.contains("id") && o.at("id").is_int64()) << json::serialize(o);
    EXPECT_TRUE(o.contains("created_at") && is_timestamp(o.at("created_at"))) << json::serialize(o);
    EXPECT_TRUE(o.contains("updated_at") && is_timestamp(o.at("updated_at"))) << json::serialize(o);
}

json::object with_generated(json::object expected, const json::object& actual) {
    for (const char* k : {"id", "created_at", "updated_at"}) {
        if (actual.contains(k)) expected[k] = actual.at(k);
    }
    return expected;
}

void expect_400(const Response& r, std::string_view body) {
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, body);
    EXPECT_SECURITY_HEADERS(r);
}

TEST(JobApplications, CreateEmptyObjectGivesDefaults) {
    const TestUser& u = owner();
    Response r = post(shared_server(), "/api/job-applications/", "{}", u.access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(r.header("Allow"), kAllowList);
    EXPECT_SECURITY_HEADERS(r);
    json::object o = r.obj();
    expect_generated_fields(o);
    json::object expected{
        {"job_title", nullptr},    {"company_name", nullptr}, {"original_job_description", nullptr},
        {"date_applied", nullptr}, {"status", "Applied"},     {"notes", nullptr},
        {"is_deleted", false},     {"is_example", false},     {"user", u.id},
        {"resume_used", nullptr}};
    EXPECT_EQ(json::value(o), json::value(with_generated(expected, o)));
}

TEST(JobApplications, WireFormatKeyOrderMatchesTheOriginal) {
    json::object o = create_job(owner(), "{}");
    std::vector<std::string> keys;
    for (const auto& kv : o) keys.emplace_back(kv.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"id", "job_title", "company_name",
                                              "original_job_description", "date_applied", "status",
                                              "notes", "is_deleted", "is_example", "created_at",
                                              "updated_at", "user", "resume_used"}));
}

TEST(JobApplications, CreateFullIgnoresUserInBody) {
    const TestUser& u = owner();
    const int64_t resume = create_resume_id(u);
    Response r = post(shared_server(), "/api/job-applications/",
                      to_json(json::object{{"job_title", "Senior Software Engineer"},
                                           {"company_name", "TechCorp Inc."},
                                           {"original_job_description", "We are looking for..."},
                                           {"resume_used", resume},
                                           {"date_applied", "2025-01-15"},
                                           {"status", "Applied"},
                                           {"notes", "Applied through company website"},
                                           {"user", 999999},
                                           {"id", 1}}),
                      u.access);
    ASSERT_STATUS(r, 201);
    json::object o = r.obj();
    expect_generated_fields(o);
    json::object expected{{"job_title", "Senior Software Engineer"},
                          {"company_name", "TechCorp Inc."},
                          {"original_job_description", "We are looking for..."},
                          {"date_applied", "2025-01-15"},
                          {"status", "Applied"},
                          {"notes", "Applied through company website"},
                          {"is_deleted", false},
                          {"is_example", false},
                          {"user", u.id},
                          {"resume_used", resume}};
    EXPECT_EQ(json::value(o), json::value(with_generated(expected, o)));
    EXPECT_NE(o["id"], json::value(1));

    Response again = get(shared_server(), job_path(o["id"].as_int64()), u.access);
    ASSERT_STATUS(again, 200);
    EXPECT_EQ(again.header("Allow"), kAllowDetail);
    EXPECT_EQ(again.json(), json::value(o));
}

TEST(JobApplications, EveryStatusChoiceIsAccepted) {
    for (const char* status : {"Applied", "Interviewing", "Offer", "Rejected"}) {
        SCOPED_TRACE(status);
        Response r = post(shared_server(), "/api/job-applications/",
                          to_json(json::object{{"status", status}}), owner().access);
        EXPECT_STATUS(r, 201);
        EXPECT_EQ(str(r.obj()["status"]), status);
    }
}

TEST(JobApplications, InvalidStatus) {
    auto& s = shared_server();
    const std::string& t = owner().access;
    expect_400(post(s, "/api/job-applications/", R"({"status": "Interview Scheduled"})", t),
               R"({"status":["\"Interview Scheduled\" is not a valid choice."]})");
    expect_400(post(s, "/api/job-applications/", R"({"status": "applied"})", t),
               R"({"status":["\"applied\" is not a valid choice."]})");
    expect_400(post(s, "/api/job-applications/", R"({"status": ""})", t),
               R"({"status":["\"\" is not a valid choice."]})");
    expect_400(post(s, "/api/job-applications/", R"({"status": null})", t),
               R"({"status":["This field may not be null."]})");
}

TEST(JobApplications, InvalidDates) {
    for (const char* date : {R"("15/01/2025")", R"("2025-02-30")", R"("2025-01-15T10:00:00")",
                             R"("yesterday")", "20250115"}) {
        SCOPED_TRACE(date);
        expect_400(
            post(shared_server(), "/api/job-applications/",
                 std::string(R"({"date_applied": )") + date + "}", owner().access),
            R"({"date_applied":["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]})");
    }
}

TEST(JobApplications, NullableFieldsAcceptNull) {
    Response r = post(
        shared_server(), "/api/job-applications/",
        R"({"job_title": null, "company_name": null, "original_job_description": null, "date_applied": null, "notes": null, "resume_used": null})",
        owner().access);
    ASSERT_STATUS(r, 201);
    json::object o = r.obj();
    for (const char* k : {"job_title", "company_name", "original_job_description", "date_applied",
                          "notes", "resume_used"}) {
        EXPECT_TRUE(o[k].is_null()) << k << r.describe();
    }
}

TEST(JobApplications, LengthLimitsAndTrimming) {
    auto& s = shared_server();
    const std::string& t = owner().access;
    expect_400(
        post(s, "/api/job-applications/",
             to_json(json::object{{"job_title", std::string(256, 'j')},
                                  {"company_name", std::string(256, 'c')}}),
             t),
        R"({"job_title":["Ensure this field has no more than 255 characters."],"company_name":["Ensure this field has no more than 255 characters."]})");
    Response ok = post(s, "/api/job-applications/",
                       to_json(json::object{{"job_title", std::string(255, 'j')},
                                            {"company_name", "  Acme  "},
                                            {"notes", "\n note \n"}}),
                       t);
    ASSERT_STATUS(ok, 201);
    EXPECT_EQ(str(ok.obj()["job_title"]), std::string(255, 'j'));
    EXPECT_EQ(str(ok.obj()["company_name"]), "Acme");
    EXPECT_EQ(str(ok.obj()["notes"]), "note");

    expect_400(post(s, "/api/job-applications/", R"({"job_title": ["x"]})", t),
               R"({"job_title":["Not a valid string."]})");
}

TEST(JobApplications, ResumeUsedValidation) {
    auto& s = shared_server();
    const std::string& t = owner().access;
    expect_400(post(s, "/api/job-applications/", R"({"resume_used": 999999999})", t),
               R"({"resume_used":["Invalid pk \"999999999\" - object does not exist."]})");
    expect_400(post(s, "/api/job-applications/", R"({"resume_used": "abc"})", t),
               R"({"resume_used":["Incorrect type. Expected pk value, received str."]})");
}

TEST(JobApplications, ResumeUsedOfAnotherUserIsInvalidPk) {
    // beyond (the original accepts it): only the caller's own resumes may be referenced.
    const int64_t foreign = create_resume_id(other());
    const std::string expected = R"({"resume_used":["Invalid pk \")" + std::to_string(foreign) +
                                 R"(\" - object does not exist."]})";
    expect_400(post(shared_server(), "/api/job-applications/",
                    to_json(json::object{{"resume_used", foreign}}), owner().access),
               expected);

    json::object job = create_job(owner(), R"({"job_title":"mine"})");
    const std::string path = job_path(job["id"].as_int64());
    expect_400(patch(shared_server(), path, to_json(json::object{{"resume_used", foreign}}),
                     owner().access),
               expected);
    expect_400(
        put(shared_server(), path, to_json(json::object{{"resume_used", foreign}}), owner().access),
        expected);
    Response unchanged = get(shared_server(), path, owner().access);
    EXPECT_TRUE(unchanged.obj()["resume_used"].is_null()) << unchanged.describe();

    // Its own resume is fine.
    const int64_t mine = create_resume_id(owner());
    Response ok =
        patch(shared_server(), path, to_json(json::object{{"resume_used", mine}}), owner().access);
    EXPECT_STATUS(ok, 200);
    EXPECT_EQ(ok.obj()["resume_used"], json::value(mine));
}

TEST(JobApplications, IsDeletedIsReadOnlyOnCreateAndUpdate) {
    // beyond: the original lets a client create an already soft-deleted application.
    Response r = post(shared_server(), "/api/job-applications/",
                      R"({"job_title": "ghost", "is_deleted": true})", owner().access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(r.obj()["is_deleted"], json::value(false));
    const std::string path = job_path(r.obj()["id"].as_int64());
    EXPECT_STATUS(get(shared_server(), path, owner().access), 200);

    Response p = patch(shared_server(), path, R"({"is_deleted": true})", owner().access);
    EXPECT_STATUS(p, 200);
    EXPECT_EQ(p.obj()["is_deleted"], json::value(false));
    Response still = get(shared_server(), path, owner().access);
    EXPECT_STATUS(still, 200);
    EXPECT_EQ(still.obj()["is_deleted"], json::value(false));
}

TEST(JobApplications, IsExampleIsReadOnly) {
    // beyond: in the original this leaks a user's application into the public example feed.
    Response r = post(shared_server(), "/api/job-applications/",
                      R"({"job_title": "not an example", "is_example": true})", owner().access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(r.obj()["is_example"], json::value(false));
    const int64_t id = r.obj()["id"].as_int64();

    Response p = patch(shared_server(), job_path(id), R"({"is_example": true})", owner().access);
    EXPECT_STATUS(p, 200);
    EXPECT_EQ(p.obj()["is_example"], json::value(false));

    Response examples = get(shared_server(), "/api/example-job-applications/");
    ASSERT_STATUS(examples, 200);
    EXPECT_EQ(ids_of(examples.obj()["data"].as_array()), (std::set<int64_t>{1, 2, 3, 4, 5}));
    EXPECT_STATUS(get(shared_server(), "/api/example-job-applications/" + std::to_string(id) + "/"),
                  404);
}

TEST(JobApplications, PutWithEmptyObjectChangesNothing) {
    const int64_t resume = create_resume_id(owner());
    json::object o =
        create_job(owner(), to_json(json::object{{"job_title", "Senior Software Engineer"},
                                                 {"company_name", "TechCorp Inc."},
                                                 {"resume_used", resume},
                                                 {"date_applied", "2025-01-15"},
                                                 {"notes", "n"}}));
    Response r = put(shared_server(), job_path(o["id"].as_int64()), "{}", owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowDetail);
    json::object n = r.obj();
    for (const char* k :
         {"id", "job_title", "company_name", "original_job_description", "date_applied", "status",
          "notes", "is_deleted", "is_example", "created_at", "user", "resume_used"}) {
        EXPECT_EQ(n[k], o[k]) << k;
    }

    Response partial_put = put(shared_server(), job_path(o["id"].as_int64()),
                               R"({"status": "Offer"})", owner().access);
    ASSERT_STATUS(partial_put, 200);
    EXPECT_EQ(str(partial_put.obj()["status"]), "Offer");
    EXPECT_EQ(str(partial_put.obj()["job_title"]), "Senior Software Engineer");
    EXPECT_EQ(partial_put.obj()["resume_used"], json::value(resume));
}

TEST(JobApplications, PatchStatus) {
    json::object o = create_job(owner(), R"({"job_title": "Dev", "date_applied": "2025-01-15"})");
    Response r = patch(shared_server(), job_path(o["id"].as_int64()),
                       R"({"status": "Interviewing"})", owner().access);
    ASSERT_STATUS(r, 200);
    json::object n = r.obj();
    EXPECT_EQ(str(n["status"]), "Interviewing");
    EXPECT_EQ(str(n["job_title"]), "Dev");
    EXPECT_EQ(str(n["date_applied"]), "2025-01-15");
    EXPECT_EQ(n["created_at"], o["created_at"]);
    EXPECT_GE(str(n["updated_at"]), str(o["updated_at"]));

    Response clear = patch(shared_server(), job_path(o["id"].as_int64()),
                           R"({"date_applied": null, "job_title": null})", owner().access);
    ASSERT_STATUS(clear, 200);
    EXPECT_TRUE(clear.obj()["date_applied"].is_null());
    EXPECT_TRUE(clear.obj()["job_title"].is_null());
}

TEST(JobApplications, OtherUserGets404) {
    json::object o = create_job(owner(), R"({"job_title": "private"})");
    const std::string path = job_path(o["id"].as_int64());
    for (const auto& [method, body] :
         std::vector<std::pair<std::string, std::optional<std::string>>>{
             {"GET", std::nullopt},
             {"PUT", R"({"status":"Offer"})"},
             {"PATCH", R"({"status":"Offer"})"},
             {"DELETE", std::nullopt}}) {
        SCOPED_TRACE(method);
        Response r = call(shared_server(), method, path, body, other().access);
        EXPECT_STATUS(r, 404);
        EXPECT_JSON(r, kNotFound);
        EXPECT_EQ(r.header("Allow"), kAllowDetail);
    }
    Response mine = get(shared_server(), path, owner().access);
    ASSERT_STATUS(mine, 200);
    EXPECT_EQ(str(mine.obj()["status"]), "Applied");
    EXPECT_EQ(ids_of(get(shared_server(), "/api/job-applications/", other().access).arr())
                  .count(o["id"].as_int64()),
              0u);
}

TEST(JobApplications, ExamplesAreNotReachableThroughTheUserEndpoints) {
    for (const char* method : {"GET", "PATCH", "DELETE"}) {
        SCOPED_TRACE(method);
        Response r =
            call(shared_server(), method, job_path(1),
                 std::string(method) == "PATCH" ? std::optional<std::string>("{}") : std::nullopt,
                 owner().access);
        EXPECT_STATUS(r, 404);
    }
    auto ids = ids_of(get(shared_server(), "/api/job-applications/", owner().access).arr());
    for (int64_t id = 1; id <= 5; ++id) EXPECT_EQ(ids.count(id), 0u);
}

TEST(JobApplications, SoftDelete) {
    json::object o = create_job(owner(), R"({"job_title": "Senior Software Engineer"})");
    const int64_t id = o["id"].as_int64();
    const std::string path = job_path(id);

    Response r = del(shared_server(), path, owner().access);
    EXPECT_STATUS(r, 204);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.header("Allow"), kAllowDetail);
    EXPECT_SECURITY_HEADERS(r);

    for (const auto& [method, body] :
         std::vector<std::pair<std::string, std::optional<std::string>>>{
             {"GET", std::nullopt},
             {"PUT", "{}"},
             {"PATCH", R"({"status":"Offer"})"},
             {"DELETE", std::nullopt}}) {
        SCOPED_TRACE(method);
        Response after = call(shared_server(), method, path, body, owner().access);
        EXPECT_STATUS(after, 404);
        EXPECT_JSON(after, kNotFound);
    }
    EXPECT_EQ(
        ids_of(get(shared_server(), "/api/job-applications/", owner().access).arr()).count(id), 0u);

    // The row is still there, flagged.
    auto row =
        query_row(shared_server().data_dir(),
                  "SELECT job_title, is_deleted FROM job_tracker_jobapplication WHERE id = " +
                      std::to_string(id));
    ASSERT_TRUE(row.has_value()) << "no SQLite database with job_tracker_jobapplication found in "
                                 << shared_server().data_dir();
    ASSERT_EQ(row->size(), 2u) << "the soft-deleted row is gone";
    EXPECT_EQ((*row)[0], "Senior Software Engineer");
    EXPECT_TRUE(truthy((*row)[1])) << (*row)[1];
}

TEST(JobApplications, ListHasOnlyOwnNotDeletedApplications) {
    TestUser u = create_user(shared_server(), "joblist");
    json::object a = create_job(u, R"({"job_title":"a"})");
    json::object b = create_job(u, R"({"job_title":"b"})");
    json::object c = create_job(u, R"({"job_title":"c"})");
    ASSERT_STATUS(del(shared_server(), job_path(b["id"].as_int64()), u.access), 204);
    create_job(other(), R"({"job_title":"someone else"})");

    Response r = get(shared_server(), "/api/job-applications/", u.access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowList);
    EXPECT_EQ(ids_of(r.arr()), (std::set<int64_t>{a["id"].as_int64(), c["id"].as_int64()}));
    for (const auto& item : r.arr()) {
        EXPECT_EQ(item.as_object().at("user"), json::value(u.id));
        EXPECT_EQ(item.as_object().at("is_deleted"), json::value(false));
    }

    Response page = get(shared_server(), "/api/job-applications/?limit=1", u.access);
    ASSERT_STATUS(page, 200);
    json::object env = page.obj();
    EXPECT_EQ(env["count"], json::value(2));
    EXPECT_EQ(env["next"],
              json::value(shared_server().url("/api/job-applications/?limit=1&offset=1")));
    EXPECT_TRUE(env["previous"].is_null());
    ASSERT_TRUE(env["results"].is_array()) << page.describe();
    EXPECT_EQ(env["results"].as_array().size(), 1u);
}

TEST(JobApplications, FormEncodedCreate) {
    Response r =
        post_form(shared_server(), "/api/job-applications/",
                  "job_title=Dev+Ops&company_name=Cloud%26Co&status=Offer&date_applied=2025-03-01",
                  owner().access);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["job_title"]), "Dev Ops");
    EXPECT_EQ(str(r.obj()["company_name"]), "Cloud&Co");
    EXPECT_EQ(str(r.obj()["status"]), "Offer");
    EXPECT_EQ(str(r.obj()["date_applied"]), "2025-03-01");
}

TEST(JobApplications, AnonymousGets401) {
    json::object o = create_job(owner(), "{}");
    for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/api/job-applications/"},
             {"POST", "/api/job-applications/"},
             {"GET", job_path(o["id"].as_int64())},
             {"PATCH", job_path(o["id"].as_int64())},
             {"DELETE", job_path(o["id"].as_int64())}}) {
        SCOPED_TRACE(method + " " + target);
        Response r = call(shared_server(), method, target,
                          method == "POST" || method == "PATCH" ? std::optional<std::string>("{}")
                                                                : std::nullopt);
        EXPECT_STATUS(r, 401);
        EXPECT_JSON(r, kNotProvided);
        EXPECT_EQ(r.header("WWW-Authenticate"), R"(Bearer realm="api")");
    }
}

TEST(JobApplications, MethodNotAllowedOnList) {
    Response r =
        call(shared_server(), "DELETE", "/api/job-applications/", std::nullopt, owner().access);
    EXPECT_STATUS(r, 405);
    EXPECT_JSON(r, R"({"detail":"Method \"DELETE\" not allowed."})");
    EXPECT_EQ(r.header("Allow"), kAllowList);
}

}  // namespace
}  // namespace e2e::jobs
