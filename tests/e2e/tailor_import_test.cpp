// POST /api/resumes/import/ (JSON Resume body, .md and .json uploads) and
// POST /api/resumes/{id}/tailor/ (+ stream/) with the offline model.
#include "harness.hpp"

namespace e2e::tailor_import {
namespace {

const TestUser& importer() {
    static const TestUser user = create_user(shared_server(), "importer");
    return user;
}

const TestUser& tailor_user() {
    static const TestUser user = create_user(shared_server(), "tailorer");
    return user;
}

const TestUser& stranger() {
    static const TestUser user = create_user(shared_server(), "tailorstranger");
    return user;
}

size_t resume_count(const TestUser& u) {
    Response r = get(shared_server(), "/api/resumes/", u.access);
    EXPECT_EQ(r.status, 200) << r.describe();
    return r.arr().size();
}

// A multipart/form-data body holding one file part (and the boundary to declare).
std::string multipart_file(std::string_view field, std::string_view filename,
                           std::string_view content) {
    return "--XyZbound\r\nContent-Disposition: form-data; name=\"" + std::string(field) +
           "\"; filename=\"" + std::string(filename) +
           "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + std::string(content) +
           "\r\n--XyZbound--\r\n";
}

Response upload(const TestUser& u, std::string_view field, std::string_view filename,
                std::string_view content) {
    return call(shared_server(), "POST", "/api/resumes/import/",
                multipart_file(field, filename, content), u.access,
                "multipart/form-data; boundary=XyZbound");
}

constexpr std::string_view kJsonResume = R"({
  "basics": {
    "name": "Zoë Ødegård",
    "label": "Backend Engineer",
    "email": "zoe@example.com",
    "phone": "+47 912 34 567",
    "url": "https://zoe.example.com",
    "summary": "Builds reliable APIs.",
    "location": {"city": "Oslo", "countryCode": "NO"},
    "profiles": [{"network": "GitHub", "username": "zoeo", "url": "https://github.com/zoeo"}]
  },
  "work": [{
    "name": "Fjord Systems", "position": "Senior Engineer",
    "startDate": "2019-03", "endDate": "2024-06",
    "highlights": ["Cut p99 latency by 40% with PostgreSQL tuning", "Led a team of 5"]
  }],
  "education": [{"institution": "NTNU", "studyType": "MSc", "area": "Computer Science", "endDate": "2018"}],
  "skills": [{"name": "Backend", "keywords": ["Python", "PostgreSQL", "Docker"]}],
  "certificates": [{"name": "CKA", "issuer": "CNCF", "date": "2022-05-01"}],
  "languages": [{"language": "Norwegian", "fluency": "Native"}]
})";

TEST(ResumeImport, JsonResumeBodyBecomesAMarkdownResume) {
    const TestUser& u = importer();
    Response r = post(shared_server(), "/api/resumes/import/", std::string(kJsonResume), u.access);
    ASSERT_STATUS(r, 201);
    EXPECT_SECURITY_HEADERS(r);
    json::object o = r.obj();
    EXPECT_EQ(str(o["title"]), "Zoë Ødegård — Backend Engineer");
    EXPECT_EQ(str(o["user"]), u.username);
    const std::string content = str(o["content"]);
    for (std::string_view fact :
         {"# Zoë Ødegård", "**Backend Engineer**", "zoe@example.com", "+47 912 34 567", "Oslo, NO",
          "[GitHub: zoeo](https://github.com/zoeo)", "## Experience",
          "### Senior Engineer — Fjord Systems", "2019-03 – 2024-06",
          "- Cut p99 latency by 40% with PostgreSQL tuning", "### MSc, Computer Science — NTNU",
          "**Backend**: Python, PostgreSQL, Docker", "CKA — CNCF — 2022-05-01",
          "Norwegian — Native", "Builds reliable APIs."}) {
        EXPECT_NE(content.find(fact), std::string::npos) << fact << "\n" << content;
    }
    Response again =
        get(shared_server(), "/api/resumes/" + std::to_string(o["id"].as_int64()) + "/", u.access);
    ASSERT_STATUS(again, 200);
    EXPECT_EQ(again.json(), json::value(o));
}

TEST(ResumeImport, JsonFileUploadAnswersAsTheBody) {
    const TestUser& u = importer();
    Response r = upload(u, "file", "resume.JSON", kJsonResume);
    ASSERT_STATUS(r, 201);
    Response body =
        post(shared_server(), "/api/resumes/import/", std::string(kJsonResume), u.access);
    ASSERT_STATUS(body, 201);
    EXPECT_EQ(str(r.obj()["content"]), str(body.obj()["content"]));
    EXPECT_EQ(str(r.obj()["title"]), str(body.obj()["title"]));
}

TEST(ResumeImport, MarkdownFileKeepsItsTextAndTakesItsFirstHeading) {
    const TestUser& u = importer();
    const std::string md = "\xEF\xBB\xBFIntro line\n\n## José García ##\n\n- Chef at Casa Lola\n";
    Response r = upload(u, "file", "cv.md", md);
    ASSERT_STATUS(r, 201);
    EXPECT_EQ(str(r.obj()["title"]), "José García");
    EXPECT_EQ(str(r.obj()["content"]), md.substr(3));  // without the byte-order mark

    Response untitled = upload(u, "file", "notes.markdown", "Just text, no heading.\n");
    ASSERT_STATUS(untitled, 201);
    EXPECT_EQ(str(untitled.obj()["title"]), "Imported Resume");
}

TEST(ResumeImport, InvalidInputNamesWhatIsWrongAndSavesNothing) {
    TestUser u = create_user(shared_server(), "importbad");
    const size_t before = resume_count(u);
    struct Case {
        std::string body;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {R"({"work": {"name": "x"}})", R"({"work":["Must be a list."]})"},
        {R"({"work": [{"name": "Acme", "startDate": "2019-13"}]})",
         R"({"work[0].startDate":["Enter a valid date: YYYY, YYYY-MM or YYYY-MM-DD."]})"},
        {R"({"basics": {"name": 42}, "skills": [{"keywords": ["a", 1]}]})",
         R"({"basics.name":["Must be a string."],"skills[0].keywords[1]":["Must be a string."]})"},
        {R"({"basics": "Alice"})", R"({"basics":["Must be an object."]})"},
        {R"({"education": [1]})", R"({"education[0]":["Must be an object."]})"},
        {R"({})",
         R"({"non_field_errors":["The document has nothing a resume shows: no basics, work, education, skills or other section."]})"},
        {R"([{"basics": {"name": "A"}}])",
         R"({"non_field_errors":["Invalid data. Expected a dictionary, but got list."]})"},
    };
    for (const auto& c : cases) {
        Response r = post(shared_server(), "/api/resumes/import/", c.body, u.access);
        EXPECT_EQ(r.status, 400) << c.body << r.describe();
        EXPECT_EQ(r.body, c.expected) << c.body;
    }
    struct FileCase {
        std::string field, name, content, expected;
    };
    const std::vector<FileCase> files = {
        {"file", "cv.pdf", "%PDF-1.4",
         R"({"file":["Upload a Markdown (.md) or JSON Resume (.json) file."]})"},
        {"upload", "cv.md", "# A", R"({"file":["No file was submitted."]})"},
        {"file", "cv.md", "# A\xff\xfe", R"({"file":["The file is not UTF-8 text."]})"},
        {"file", "cv.md", std::string("# A\0B", 5),
         R"({"file":["The file holds null characters: it is not a text file."]})"},
        {"file", "cv.md", "  \n\t\n", R"({"file":["The submitted file is empty."]})"},
        {"file", "cv.json",
         "{\"basics\": ", R"({"file":["The file is not a valid JSON document."]})"},
        {"file", "cv.json", "[" + std::string(5000, '[') + std::string(5001, ']'),
         R"({"file":["The file is not a valid JSON document."]})"},
    };
    for (const auto& f : files) {
        Response r = upload(u, f.field, f.name, f.content);
        EXPECT_EQ(r.status, 400) << f.name << r.describe();
        EXPECT_EQ(r.body, f.expected) << f.name;
    }
    EXPECT_EQ(resume_count(u), before);
}

TEST(ResumeImport, UserTextCannotBecomeHtmlOrALink) {
    const TestUser& u = importer();
    Response r =
        post(shared_server(), "/api/resumes/import/",
             R"j({"basics": {"name": "<script>alert(1)</script>", "url": "javascript:alert(1)",
            "profiles": [{"network": "x](javascript:alert(1))", "url": "https://ok.example/a b"}]}})j",
             u.access);
    ASSERT_STATUS(r, 201);
    const std::string content = str(r.obj()["content"]);
    EXPECT_EQ(content.find("<script"), std::string::npos) << content;
    // Neither URL becomes a link: one is javascript:, the other has a space; the bracket in the
    // network's name is escaped, so no link can be made of the text either.
    EXPECT_NE(content.find("\njavascript:alert(1) · x\\](javascript:alert(1))\n"),
              std::string::npos)
        << content;
    EXPECT_NE(content.find("&lt;script&gt;"), std::string::npos) << content;
}

TEST(ResumeImport, AnonymousIs401) {
    Response r = post(shared_server(), "/api/resumes/import/", std::string(kJsonResume));
    EXPECT_STATUS(r, 401);
    EXPECT_EQ(r.body, kNotProvided);
}

// ---------------------------------------------------------------------------------------------
// Tailoring with the offline model.

constexpr std::string_view kResume =
    "# Dana Whitfield\n\ndana.whitfield@example.com | +1 (555) 123-4567 | Denver, CO\n\n"
    "## Professional Summary\n\nBackend engineer with 7 years of experience.\n\n"
    "## Skills\n\n- **Languages:** Python, Go, JavaScript\n- **Data:** PostgreSQL, Redis\n"
    "- **Tools:** Docker, Git, React\n\n"
    "## Professional Experience\n\n### Senior Software Engineer — Larkspur Analytics\n"
    "*2019 – Present*\n\n- Built a React dashboard for sales teams\n"
    "- Cut PostgreSQL query latency by 40% for the reporting API\n"
    "- Moved the Python services to Docker\n\n"
    "## Education\n\n- BSc Computer Science, University of Colorado, 2016\n";

constexpr std::string_view kPosting =
    "Senior Backend Engineer at Acme. Requirements: strong Python and PostgreSQL, "
    "Kubernetes in production, Docker. Nice to have: Rust.";

int64_t make_resume(const TestUser& u, std::string_view title, std::string_view content) {
    Response r = post(shared_server(), "/api/resumes/",
                      to_json(json::object{{"title", title}, {"content", content}}), u.access);
    if (r.status != 201) throw std::runtime_error("resume creation failed" + r.describe());
    return r.obj()["id"].as_int64();
}

int64_t make_application(const TestUser& u, json::object fields) {
    Response r = post(shared_server(), "/api/job-applications/", to_json(fields), u.access);
    if (r.status != 201) throw std::runtime_error("application creation failed" + r.describe());
    return r.obj()["id"].as_int64();
}

std::string tailor_path(int64_t resume) {
    return "/api/resumes/" + std::to_string(resume) + "/tailor/";
}

json::object application(const TestUser& u, int64_t id) {
    Response r =
        get(shared_server(), "/api/job-applications/" + std::to_string(id) + "/", u.access);
    EXPECT_EQ(r.status, 200) << r.describe();
    return r.obj();
}

TEST(Tailor, OfflineModelWritesANewResumeFromTheResumesOwnFacts) {
    const TestUser& u = tailor_user();
    const int64_t resume = make_resume(u, "Dana — backend", kResume);
    const int64_t app = make_application(u, {{"job_title", "Senior Backend Engineer"},
                                             {"company_name", "Acme"},
                                             {"original_job_description", kPosting}});
    Response r = post(
        shared_server(), tailor_path(resume),
        to_json(json::object{{"job_application", app}, {"model", "ResuMate Offline"}}), u.access);
    ASSERT_STATUS(r, 201);
    json::object o = r.obj();
    EXPECT_EQ(str(o["model"]), "ResuMate Offline");
    const std::string content = str(o["content"]);
    const int64_t id = o["resume_id"].as_int64();
    EXPECT_NE(id, resume);
    // The facts stay; nothing the resume does not state is added.
    for (std::string_view fact : {"Dana Whitfield", "dana.whitfield@example.com",
                                  "Larkspur Analytics", "Python", "PostgreSQL", "Docker"}) {
        EXPECT_NE(content.find(fact), std::string::npos) << fact << "\n" << content;
    }
    for (std::string_view invented : {"Kubernetes", "Rust"}) {
        EXPECT_EQ(content.find(invented), std::string::npos) << invented << "\n" << content;
    }
    Response saved = get(shared_server(), "/api/resumes/" + std::to_string(id) + "/", u.access);
    ASSERT_STATUS(saved, 200);
    EXPECT_EQ(str(saved.obj()["title"]), "Dana — backend — Acme");
    EXPECT_EQ(str(saved.obj()["content"]), content);
    // Without "attach" the application keeps its resume.
    EXPECT_TRUE(application(u, app)["resume_used"].is_null());
    // The original is unchanged.
    Response original =
        get(shared_server(), "/api/resumes/" + std::to_string(resume) + "/", u.access);
    EXPECT_EQ(str(original.obj()["content"]) + "\n", kResume);  // stored trimmed, as DRF does
}

TEST(Tailor, AttachMakesTheNewResumeTheApplicationsResume) {
    const TestUser& u = tailor_user();
    const int64_t resume = make_resume(u, "Base", kResume);
    const int64_t app = make_application(u, {{"job_title", "Engineer"},
                                             {"company_name", nullptr},
                                             {"original_job_description", kPosting}});
    Response r =
        post(shared_server(), tailor_path(resume),
             to_json(json::object{{"job_application", app}, {"model", "auto"}, {"attach", true}}),
             u.access);
    ASSERT_STATUS(r, 201);
    const int64_t id = r.obj()["resume_id"].as_int64();
    EXPECT_EQ(application(u, app)["resume_used"], json::value(id));
    Response saved = get(shared_server(), "/api/resumes/" + std::to_string(id) + "/", u.access);
    EXPECT_EQ(str(saved.obj()["title"]), "Base — tailored");
}

TEST(Tailor, OnlyTheCallersOwnLiveApplicationWithADescription) {
    const TestUser& u = tailor_user();
    const int64_t resume = make_resume(u, "Mine", kResume);
    const int64_t foreign = make_application(stranger(), {{"original_job_description", kPosting}});
    const int64_t blank = make_application(u, {{"original_job_description", "  \n"}});
    const int64_t deleted = make_application(u, {{"original_job_description", kPosting}});
    ASSERT_STATUS(
        del(shared_server(), "/api/job-applications/" + std::to_string(deleted) + "/", u.access),
        204);
    const size_t before = resume_count(u);
    auto tailor = [&](json::object body) {
        return post(shared_server(), tailor_path(resume), to_json(body), u.access);
    };
    Response r = tailor({{"job_application", foreign}, {"model", "ResuMate Offline"}});
    EXPECT_STATUS(r, 400);
    EXPECT_EQ(r.body, R"({"job_application":["Invalid pk \")" + std::to_string(foreign) +
                          R"(\" - object does not exist."]})");
    r = tailor({{"job_application", deleted}, {"model", "ResuMate Offline"}});
    EXPECT_STATUS(r, 400);
    r = tailor({{"job_application", blank}, {"model", "ResuMate Offline"}});
    EXPECT_STATUS(r, 400);
    EXPECT_EQ(
        r.body,
        R"({"job_application":["This job application has no job description to tailor the resume to."]})");
    r = tailor({});
    EXPECT_STATUS(r, 400);
    EXPECT_EQ(
        r.body,
        R"({"job_application":["This field is required."],"model":["This field is required."]})");
    r = tailor({{"job_application", "x"}, {"model", "Nope"}, {"attach", "maybe"}});
    EXPECT_STATUS(r, 400);
    EXPECT_EQ(
        r.body,
        R"({"job_application":["Incorrect type. Expected pk value, received str."],"model":["This model is not valid or is currently disabled."],"attach":["Must be a valid boolean."]})");
    EXPECT_EQ(resume_count(u), before);

    // Another user's resume is not found, whatever the body.
    const int64_t theirs = make_resume(stranger(), "Theirs", kResume);
    Response nf = post(
        shared_server(), tailor_path(theirs),
        to_json(json::object{{"job_application", blank}, {"model", "ResuMate Offline"}}), u.access);
    EXPECT_STATUS(nf, 404);
    EXPECT_EQ(nf.body, kNotFound);
    Response anon = post(shared_server(), tailor_path(resume), "{}");
    EXPECT_STATUS(anon, 401);
}

TEST(Tailor, StreamSendsTheTextAsEventsThenTheSavedId) {
    const TestUser& u = tailor_user();
    const int64_t resume = make_resume(u, "Streamed", kResume);
    const int64_t app =
        make_application(u, {{"company_name", "Acme"}, {"original_job_description", kPosting}});
    const std::string body =
        to_json(json::object{{"job_application", app}, {"model", "ResuMate Offline"}});
    Response r = call(shared_server(), "POST", tailor_path(resume) + "stream/", body, u.access,
                      "application/json", {{"Accept", "text/event-stream"}});
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/event-stream; charset=utf-8");
    auto events = parse_sse(r.body);
    ASSERT_GE(events.size(), 2u) << r.body;
    std::string text;
    for (const auto& e : events) {
        if (e.event == "message") text += str(parse_json(e.data).as_object().at("delta"));
    }
    ASSERT_EQ(events.back().event, "done") << r.body;
    json::object done = parse_json(events.back().data).as_object();
    Response saved =
        get(shared_server(), "/api/resumes/" + std::to_string(done["resume_id"].as_int64()) + "/",
            u.access);
    ASSERT_STATUS(saved, 200);
    EXPECT_EQ(str(saved.obj()["content"]), text);
    EXPECT_EQ(str(saved.obj()["title"]), "Streamed — Acme");

    // Validation answers as JSON before any stream.
    Response bad = call(shared_server(), "POST", tailor_path(resume) + "stream/", "{}", u.access);
    EXPECT_STATUS(bad, 400);
    EXPECT_EQ(bad.header("Content-Type"), "application/json");
}

// ---------------------------------------------------------------------------------------------
// Tailoring when a model's daily limit is reached, or its provider's API key is missing: the
// answers of /api/ai/generate/, as JSON before any stream, and nothing saved or attached.

// A model added through the admin API for one test, removed again at its end.
class ScopedModel {
  public:
    explicit ScopedModel(const json::object& fields) : admin_(admin_user(shared_server())) {
        Response r = post(shared_server(), "/api/admin/ai-models/", to_json(fields), admin_.access);
        if (r.status != 201) throw std::runtime_error("model creation failed" + r.describe());
        id_ = r.obj().at("id").as_int64();
    }
    ~ScopedModel() {
        del(shared_server(), "/api/admin/ai-models/" + std::to_string(id_) + "/", admin_.access);
    }
    ScopedModel(const ScopedModel&) = delete;
    ScopedModel& operator=(const ScopedModel&) = delete;

  private:
    TestUser admin_;
    int64_t id_ = 0;
};

Response tailor_request(const TestUser& u, int64_t resume, std::string_view tail,
                        const json::object& body) {
    return call(shared_server(), "POST", tailor_path(resume) + std::string(tail), to_json(body),
                u.access, "application/json",
                {{"Accept", tail.empty() ? "application/json" : "text/event-stream"}});
}

TEST(Tailor, ADailyLimitReachedIs429AsForGenerationAndSavesNothing) {
    TestUser u = create_user(shared_server(), "tailorlimit");
    const std::string name = "E2E Tailor Limited " + unique_name("model");
    ScopedModel model({{"display_name", name},
                       {"model_name", "offline"},
                       {"api_provider", "offline"},
                       {"api_key_name", ""},
                       {"login_required", true},
                       {"daily_limit", 1}});
    const int64_t resume = make_resume(u, "Limited", kResume);
    const int64_t app =
        make_application(u, {{"company_name", "Acme"}, {"original_job_description", kPosting}});
    const json::object body{{"job_application", app}, {"model", name}, {"attach", true}};
    Response first = tailor_request(u, resume, "", body);
    ASSERT_STATUS(first, 201);
    const int64_t tailored = first.obj()["resume_id"].as_int64();
    EXPECT_EQ(application(u, app)["resume_used"], json::value(tailored));

    const size_t before = resume_count(u);
    const std::string limited = to_json(
        json::object{{"detail", "Daily limit of 1 requests reached for the " + name + " model."}});
    for (std::string_view tail : {"", "stream/"}) {
        SCOPED_TRACE(tail);
        Response r = tailor_request(u, resume, tail, body);
        EXPECT_STATUS(r, 429);
        EXPECT_JSON(r, limited);
        EXPECT_EQ(r.header("Content-Type"), "application/json");
        EXPECT_SECURITY_HEADERS(r);
        const std::string retry = r.header("Retry-After");
        ASSERT_FALSE(retry.empty()) << r.describe();
        EXPECT_NEAR(static_cast<double>(std::stoll(retry)),
                    static_cast<double>(86400 - unix_now() % 86400), 5.0);
        // The name in any case, as generation takes it.
        json::object lower = body;
        std::string lowered = name;
        for (char& ch : lowered)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        lower["model"] = lowered;
        EXPECT_STATUS(tailor_request(u, resume, tail, lower), 429);
    }
    // Generation counts against the same allowance, and answers the same.
    Response gen =
        post(shared_server(), "/api/ai/generate/",
             to_json(json::object{{"model", name}, {"user_input", kResumeInput}}), u.access);
    EXPECT_STATUS(gen, 429);
    EXPECT_JSON(gen, limited);
    EXPECT_EQ(resume_count(u), before);
    EXPECT_EQ(application(u, app)["resume_used"], json::value(tailored));
    // Another user has an allowance of their own.
    TestUser other = create_user(shared_server(), "tailorlimit2");
    const int64_t theirs = make_resume(other, "Theirs", kResume);
    const int64_t their_app = make_application(other, {{"original_job_description", kPosting}});
    EXPECT_STATUS(
        tailor_request(other, theirs, "stream/", {{"job_application", their_app}, {"model", name}}),
        200);
}

TEST(Tailor, AProviderWithoutItsApiKeyIs503AsForGenerationAndSavesNothing) {
    TestUser u = create_user(shared_server(), "tailornokey");
    const std::string name = "E2E Tailor No Key " + unique_name("model");
    // A daily limit too: the key is checked before a unit is taken.
    ScopedModel model({{"display_name", name},
                       {"model_name", "vendor/some-model"},
                       {"api_provider", "open_router"},
                       {"api_key_name", "E2E_TAILOR_MISSING_API_KEY"},
                       {"login_required", false},
                       {"daily_limit", 1}});
    const int64_t resume = make_resume(u, "No key", kResume);
    const int64_t app =
        make_application(u, {{"company_name", "Acme"}, {"original_job_description", kPosting}});
    const size_t before = resume_count(u);
    auto missing = [](std::string_view key) {
        return to_json(json::object{
            {"error", "API key '" + std::string(key) + "' is not configured in the environment."}});
    };
    struct Case {
        std::string model;
        std::string key;
    };
    for (const Case& c :
         {Case{"Google Gemini", "GEMINI_API_KEY"}, Case{"deepseek", "OPENROUTER_API_KEY"},
          Case{name, "E2E_TAILOR_MISSING_API_KEY"}}) {
        for (std::string_view tail : {"", "stream/"}) {
            for (int attempt = 0; attempt < 2; ++attempt) {
                SCOPED_TRACE(c.model + " " + std::string(tail));
                Response r = tailor_request(
                    u, resume, tail,
                    {{"job_application", app}, {"model", c.model}, {"attach", true}});
                EXPECT_STATUS(r, 503);
                EXPECT_JSON(r, missing(c.key));
                EXPECT_EQ(r.header("Content-Type"), "application/json");
                EXPECT_SECURITY_HEADERS(r);
            }
        }
        // Generation with the same model answers the same.
        Response gen =
            post(shared_server(), "/api/ai/generate/",
                 to_json(json::object{{"model", c.model}, {"user_input", kResumeInput}}), u.access);
        EXPECT_STATUS(gen, 503);
        EXPECT_JSON(gen, missing(c.key));
    }
    EXPECT_EQ(resume_count(u), before);
    EXPECT_TRUE(application(u, app)["resume_used"].is_null());
}

// ---------------------------------------------------------------------------------------------
// GET /api/job-applications/{id}/match/

std::string match_path(int64_t app, std::string_view query = {}) {
    return "/api/job-applications/" + std::to_string(app) + "/match/" + std::string(query);
}

TEST(Match, ScoresTheUsedResumeOrTheOneGivenAndExplainsWhy) {
    const TestUser& u = tailor_user();
    const int64_t good = make_resume(u, "Good", kResume);
    const int64_t poor =
        make_resume(u, "Poor", "# Sam Poe\n\n## Skills\n\n- Baking, pastry, customer service\n");
    const int64_t app = make_application(
        u,
        {{"company_name", "Acme"}, {"original_job_description", kPosting}, {"resume_used", good}});
    Response r = get(shared_server(), match_path(app), u.access);
    ASSERT_STATUS(r, 200);
    json::object o = r.obj();
    EXPECT_EQ(o["resume"], json::value(good));
    const int64_t score = o["score"].as_int64();
    EXPECT_GE(score, 0);
    EXPECT_LE(score, 100);
    auto has = [](const json::value& list, std::string_view item) {
        for (const auto& v : list.as_array())
            if (v.as_string() == item) return true;
        return false;
    };
    EXPECT_TRUE(has(o["matched"], "python")) << json::serialize(o);
    EXPECT_TRUE(has(o["matched"], "postgresql")) << json::serialize(o);
    EXPECT_TRUE(has(o["missing"], "kubernetes")) << json::serialize(o);
    EXPECT_FALSE(o["suggestions"].as_array().empty()) << json::serialize(o);
    // Deterministic.
    EXPECT_EQ(get(shared_server(), match_path(app), u.access).body, r.body);

    Response other =
        get(shared_server(), match_path(app, "?resume=" + std::to_string(poor)), u.access);
    ASSERT_STATUS(other, 200);
    EXPECT_EQ(other.obj()["resume"], json::value(poor));
    EXPECT_LT(other.obj()["score"].as_int64(), score) << other.body;
}

TEST(Match, RefusesWhatItCannotScore) {
    const TestUser& u = tailor_user();
    const int64_t resume = make_resume(u, "R", kResume);
    const int64_t no_resume = make_application(u, {{"original_job_description", kPosting}});
    const int64_t no_text = make_application(u, {{"resume_used", resume}});
    Response r = get(shared_server(), match_path(no_resume), u.access);
    EXPECT_STATUS(r, 400);
    EXPECT_EQ(r.body, R"({"resume":["This field is required."]})");
    r = get(shared_server(), match_path(no_resume, "?resume=abc"), u.access);
    EXPECT_STATUS(r, 400);
    EXPECT_EQ(r.body, R"({"resume":["A valid integer is required."]})");
    const int64_t theirs = make_resume(stranger(), "Theirs", kResume);
    r = get(shared_server(), match_path(no_resume, "?resume=" + std::to_string(theirs)), u.access);
    EXPECT_STATUS(r, 400);
    EXPECT_EQ(r.body, R"({"resume":["Invalid pk \")" + std::to_string(theirs) +
                          R"(\" - object does not exist."]})");
    r = get(shared_server(), match_path(no_text), u.access);
    EXPECT_STATUS(r, 400);
    EXPECT_EQ(
        r.body,
        R"({"original_job_description":["This job application has no job description to match the resume against."]})");
    // Another user's application, or none: 404; anonymous: 401.
    const int64_t foreign = make_application(stranger(), {{"original_job_description", kPosting}});
    r = get(shared_server(), match_path(foreign, "?resume=" + std::to_string(resume)), u.access);
    EXPECT_STATUS(r, 404);
    EXPECT_EQ(r.body, kNotFound);
    EXPECT_STATUS(get(shared_server(), match_path(no_resume)), 401);
}

}  // namespace
}  // namespace e2e::tailor_import
