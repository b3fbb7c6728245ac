// GET /api/resumes/{id}/export/?format=pdf|docx|html|md|json[&paper=a4|letter]: each format's
// answer (type, attachment name, page count), the 400s of bad parameters, owner isolation.
#include "harness.hpp"

namespace e2e::exports {
namespace {

const TestUser& export_owner() {
    static const TestUser user = create_user(shared_server(), "expowner");
    return user;
}

const TestUser& export_other() {
    static const TestUser user = create_user(shared_server(), "expother");
    return user;
}

const std::string kExportResume =
    "# Jane Doe\n\n"
    "jane.doe@example.com | https://github.com/janedoe\n\n"
    "## Professional Experience\n\n"
    "### Senior Software Engineer — Acme Corp\n"
    "2019 – Present\n\n"
    "- Led the migration of our billing platform to **Kubernetes**.\n"
    "- Mentored 5 junior engineers.\n\n"
    "## Skills\n\n"
    "- **Languages:** C++, Go, Python\n";

int64_t export_create(const TestUser& user, std::string_view title, std::string_view content) {
    Response r = post(shared_server(), "/api/resumes/",
                      to_json(json::object{{"title", title}, {"content", content}}), user.access);
    if (r.status != 201) throw std::runtime_error("resume creation failed" + r.describe());
    return r.obj()["id"].as_int64();
}

// The owner's resume with kExportResume, made once.
int64_t export_resume_id() {
    static const int64_t id = export_create(export_owner(), "Jane Doe CV", kExportResume);
    return id;
}

std::string export_path(int64_t id, std::string_view query) {
    return "/api/resumes/" + std::to_string(id) + "/export/" + std::string(query);
}

TEST(Export, PdfIsAnAttachmentWithItsPageCount) {
    Response r =
        get(shared_server(), export_path(export_resume_id(), "?format=pdf"), export_owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Type"), "application/pdf");
    EXPECT_EQ(r.header("Content-Disposition"), "attachment; filename=\"Jane Doe CV.pdf\"");
    EXPECT_EQ(r.header("X-Page-Count"), "1");
    EXPECT_TRUE(r.body.starts_with("%PDF-")) << r.body.substr(0, 16);
    EXPECT_NE(r.body.find("/MediaBox [ 0 0 595.27"), std::string::npos);  // A4 by default
    EXPECT_NE(r.body.find("/URI (https://github.com/janedoe)"), std::string::npos);
    EXPECT_SECURITY_HEADERS(r);
}

TEST(Export, AClientThatAcceptsOnlyTheFilesTypeGetsIt) {
    for (auto [format, type] : {std::pair{"pdf", "application/pdf"},
                                {"docx",
                                 "application/vnd.openxmlformats-officedocument.wordprocessingml."
                                 "document"},
                                {"md", "text/markdown"}}) {
        Response r =
            get(shared_server(), export_path(export_resume_id(), "?format=" + std::string(format)),
                export_owner().access, {{"Accept", std::string(type) + ";q=0.9"}});
        EXPECT_EQ(r.status, 200) << format << r.describe();
    }
    Response refused = get(shared_server(), export_path(export_resume_id(), "?format=pdf"),
                           export_owner().access, {{"Accept", "image/png"}});
    EXPECT_EQ(refused.status, 406) << refused.describe();
}

TEST(Export, PdfOnLetterPaper) {
    Response r = get(shared_server(), export_path(export_resume_id(), "?format=pdf&paper=letter"),
                     export_owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("X-Page-Count"), "1");
    EXPECT_NE(r.body.find("/MediaBox [ 0 0 612 792 ]"), std::string::npos);
}

TEST(Export, ALongResumeCountsItsPages) {
    std::string md = "# Long\n\n";
    for (int i = 0; i < 200; ++i)
        md += "- Bullet " + std::to_string(i) + ": shipped something that mattered to people\n";
    const int64_t id = export_create(export_owner(), "Long", md);
    Response r = get(shared_server(), export_path(id, "?format=pdf"), export_owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_GT(std::stoi(r.header("X-Page-Count")), 1) << r.header("X-Page-Count");
}

TEST(Export, Docx) {
    Response r = get(shared_server(), export_path(export_resume_id(), "?format=docx"),
                     export_owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Type"),
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    EXPECT_EQ(r.header("Content-Disposition"), "attachment; filename=\"Jane Doe CV.docx\"");
    EXPECT_FALSE(r.has_header("X-Page-Count"));
    EXPECT_TRUE(r.body.starts_with("PK\x03\x04"));
}

TEST(Export, Html) {
    Response r = get(shared_server(), export_path(export_resume_id(), "?format=html&paper=letter"),
                     export_owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.header("Content-Disposition"), "attachment; filename=\"Jane Doe CV.html\"");
    EXPECT_TRUE(r.body.starts_with("<!DOCTYPE html>"));
    EXPECT_NE(r.body.find("<title>Jane Doe CV</title>"), std::string::npos);
    EXPECT_NE(r.body.find("<h2>Professional Experience</h2>"), std::string::npos);
    EXPECT_NE(r.body.find("size: letter"), std::string::npos);
}

TEST(Export, MarkdownAsStored) {
    Response r =
        get(shared_server(), export_path(export_resume_id(), "?format=md"), export_owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/markdown; charset=utf-8");
    EXPECT_EQ(r.header("Content-Disposition"), "attachment; filename=\"Jane Doe CV.md\"");
    // The content as stored (trimmed, as DRF's CharField does).
    Response stored =
        get(shared_server(), "/api/resumes/" + std::to_string(export_resume_id()) + "/",
            export_owner().access);
    ASSERT_STATUS(stored, 200);
    EXPECT_EQ(r.body, str(stored.obj()["content"]));
    EXPECT_EQ(r.body + "\n", kExportResume);
}

TEST(Export, JsonResume) {
    Response r = get(shared_server(), export_path(export_resume_id(), "?format=json"),
                     export_owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    EXPECT_EQ(r.header("Content-Disposition"), "attachment; filename=\"Jane Doe CV.json\"");
    json::object o = r.obj();
    EXPECT_EQ(str(o["$schema"]),
              "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json");
    ASSERT_TRUE(o["basics"].is_object()) << r.body;
    EXPECT_EQ(str(o["basics"].as_object()["name"]), "Jane Doe");
    EXPECT_EQ(str(o["basics"].as_object()["email"]), "jane.doe@example.com");
    EXPECT_TRUE(o["work"].is_array());
    ASSERT_TRUE(o["meta"].is_object());
    EXPECT_TRUE(is_timestamp(o["meta"].as_object()["lastModified"])) << r.body;
}

TEST(Export, UnicodeTitlesGetAnRfc5987Name) {
    const int64_t id = export_create(export_owner(), "José \"CV\"/简历\r\n", "# José");
    Response r = get(shared_server(), export_path(id, "?format=md"), export_owner().access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Disposition"),
              "attachment; filename=\"Jose CV.md\"; "
              "filename*=UTF-8''Jos%C3%A9%20CV%20%E7%AE%80%E5%8E%86.md");
}

TEST(Export, UnknownFormatOrPaperIs400) {
    const int64_t id = export_resume_id();
    const std::string& token = export_owner().access;
    Response r = get(shared_server(), export_path(id, "?format=xyz"), token);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"format": ["\"xyz\" is not a valid choice."]})");
    r = get(shared_server(), export_path(id, "?format=PDF"), token);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"format": ["\"PDF\" is not a valid choice."]})");
    r = get(shared_server(), export_path(id, "?format=pdf&paper=legal"), token);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"paper": ["\"legal\" is not a valid choice."]})");
    r = get(shared_server(), export_path(id, "?format=&paper=xyz"), token);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(
        r,
        R"({"format": ["\"\" is not a valid choice."], "paper": ["\"xyz\" is not a valid choice."]})");
    r = get(shared_server(), export_path(id, ""), token);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"format": ["This field is required."]})");
}

TEST(Export, AnotherUsersResumeIs404) {
    const int64_t id = export_resume_id();
    for (const char* query : {"?format=pdf", "?format=json", "?format=xyz"}) {
        Response r = get(shared_server(), export_path(id, query), export_other().access);
        EXPECT_STATUS(r, 404);
        EXPECT_JSON(r, kNotFound);
    }
    Response r = get(shared_server(), export_path(999999999, "?format=pdf"), export_owner().access);
    EXPECT_STATUS(r, 404);
    EXPECT_JSON(r, kNotFound);
}

TEST(Export, AnonymousIs401) {
    Response r = get(shared_server(), export_path(export_resume_id(), "?format=pdf"));
    EXPECT_STATUS(r, 401);
    EXPECT_JSON(r, kNotProvided);
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"api\"");
}

}  // namespace
}  // namespace e2e::exports
