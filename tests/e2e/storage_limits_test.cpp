// Per-user storage quotas, the retention of anonymous generations, and list answers streamed a
// page at a time (security issue "One user can exhaust the server's memory and disk").
#include <sys/socket.h>

#include <fstream>
#include <thread>

#include "harness.hpp"

namespace e2e {
namespace {

std::string resume_body(std::string_view title, std::string_view content) {
    return to_json(json::object{{"title", title}, {"content", content}});
}

std::optional<int64_t> count_rows(const Server& s, const std::string& sql) {
    auto row = query_row(s.data_dir(), sql);
    if (!row || row->empty()) return std::nullopt;
    return std::stoll((*row)[0]);
}

// The server's resident memory in KiB (VmRSS of /proc/<pid>/status).
int64_t rss_kib(const Server& s) {
    std::ifstream in("/proc/" + std::to_string(s.pid()) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
    }
    return -1;
}

// The body a non-streamed answer would have: the elements of a page envelope's results,
// serialized as the server serializes an array.
std::string array_of(const json::array& items) {
    return json::serialize(items);
}

std::unique_ptr<Server> start_server(std::string tag, EnvMap env) {
    auto s = std::make_unique<Server>(ServerOptions{.env = std::move(env), .tag = std::move(tag)});
    s->start();
    return s;
}

constexpr std::string_view kQuotaResumes =
    R"({"detail":"Storage quota exceeded: at most 3 resumes per user.","code":"quota_exceeded"})";

TEST(StorageQuota, ResumeCountIsRefusedWithAClearErrorAndNothingSaved) {
    auto s = start_server("quota_resumes", {{"RESUMATE_QUOTA_RESUMES", "3"}});
    TestUser u = create_user(*s, "quota_res");
    TestUser other = create_user(*s, "quota_res_other");
    for (int i = 0; i < 3; ++i) {
        ASSERT_STATUS(post(*s, "/api/resumes/", resume_body("CV", "text"), u.access), 201);
    }
    Response refused = post(*s, "/api/resumes/", resume_body("CV 4", "text"), u.access);
    EXPECT_STATUS(refused, 403);
    EXPECT_JSON(refused, kQuotaResumes);
    EXPECT_EQ(get(*s, "/api/resumes/", u.access).arr().size(), 3u);
    // The quota is per user.
    EXPECT_STATUS(post(*s, "/api/resumes/", resume_body("CV", "text"), other.access), 201);
    // Deleting one makes room again.
    int64_t first = get(*s, "/api/resumes/", u.access).arr()[0].as_object().at("id").as_int64();
    EXPECT_STATUS(del(*s, "/api/resumes/" + std::to_string(first) + "/", u.access), 204);
    EXPECT_STATUS(post(*s, "/api/resumes/", resume_body("CV", "text"), u.access), 201);
}

TEST(StorageQuota, JobApplicationCountCountsLiveApplications) {
    auto s = start_server("quota_jobs", {{"RESUMATE_QUOTA_JOB_APPLICATIONS", "2"}});
    TestUser u = create_user(*s, "quota_jobs");
    int64_t id = post(*s, "/api/job-applications/", R"({"job_title": "A"})", u.access)
                     .obj()
                     .at("id")
                     .as_int64();
    ASSERT_STATUS(post(*s, "/api/job-applications/", R"({"job_title": "B"})", u.access), 201);
    Response refused = post(*s, "/api/job-applications/", R"({"job_title": "C"})", u.access);
    EXPECT_STATUS(refused, 403);
    EXPECT_JSON(
        refused,
        R"({"detail":"Storage quota exceeded: at most 2 job applications per user.","code":"quota_exceeded"})");
    EXPECT_EQ(get(*s, "/api/job-applications/", u.access).arr().size(), 2u);
    EXPECT_EQ(count_rows(*s, "SELECT COUNT(*) FROM job_tracker_jobapplication WHERE user_id = " +
                                 std::to_string(u.id)),
              2);
    ASSERT_STATUS(del(*s, "/api/job-applications/" + std::to_string(id) + "/", u.access), 204);
    EXPECT_STATUS(post(*s, "/api/job-applications/", R"({"job_title": "C"})", u.access), 201);
}

TEST(StorageQuota, BytesCountResumesAndApplicationsTogether) {
    auto s = start_server("quota_bytes", {{"RESUMATE_QUOTA_BYTES", "1000"}});
    TestUser u = create_user(*s, "quota_bytes");
    const std::string bytes_error =
        R"({"detail":"Storage quota exceeded: resumes and job applications may hold at most 1000 bytes of text per user.","code":"quota_exceeded"})";
    // Bytes, not characters: the content becomes 300 "é" (600 bytes, 300 characters), so the
    // third write passes the limit only when counted in bytes (1004 > 1000; 704 characters).
    Response r = post(*s, "/api/resumes/", resume_body("CV", std::string(300, 'x')), u.access);
    ASSERT_STATUS(r, 201);
    std::string path = "/api/resumes/" + std::to_string(r.obj().at("id").as_int64()) + "/";
    std::string accents;
    for (int i = 0; i < 300; ++i) accents += "é";
    ASSERT_STATUS(patch(*s, path, to_json(json::object{{"content", accents}}), u.access),
                  200);  // 602
    ASSERT_STATUS(post(*s, "/api/job-applications/",
                       to_json(json::object{{"notes", std::string(300, 'n')}}), u.access),
                  201);  // 902
    Response over = post(*s, "/api/resumes/", resume_body("CV", std::string(100, 'y')), u.access);
    EXPECT_STATUS(over, 403);
    EXPECT_JSON(over, bytes_error);
    Response job_over =
        post(*s, "/api/job-applications/",
             to_json(json::object{{"original_job_description", std::string(100, 'd')}}), u.access);
    EXPECT_STATUS(job_over, 403);
    EXPECT_JSON(job_over, bytes_error);
    // An update that grows past the limit is refused and changes nothing; one that shrinks passes.
    Response grow = patch(
        *s, path, to_json(json::object{{"content", accents + std::string(200, 'z')}}), u.access);
    EXPECT_STATUS(grow, 403);
    EXPECT_JSON(grow, bytes_error);
    EXPECT_EQ(str(get(*s, path, u.access).obj().at("content")), accents);
    EXPECT_STATUS(patch(*s, path, to_json(json::object{{"content", "short"}}), u.access), 200);
    EXPECT_STATUS(post(*s, "/api/resumes/", resume_body("CV", std::string(100, 'y')), u.access),
                  201);
}

TEST(StorageQuota, ConcurrentCreatesDoNotPassTheLimit) {
    auto s = start_server("quota_race", {{"RESUMATE_QUOTA_RESUMES", "5"}});
    TestUser u = create_user(*s, "quota_race");
    std::atomic<int> created{0}, refused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i) {
        threads.emplace_back([&] {
            Response r = post(*s, "/api/resumes/", resume_body("CV", "text"), u.access);
            if (r.status == 201) ++created;
            if (r.status == 403) ++refused;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(created.load(), 5);
    EXPECT_EQ(refused.load(), 15);
    EXPECT_EQ(get(*s, "/api/resumes/", u.access).arr().size(), 5u);
}

TEST(StorageQuota, GenerationOverQuotaIsRefusedBeforeAnyProviderCall) {
    auto s = start_server("quota_generate", {{"RESUMATE_QUOTA_RESUMES", "1"}});
    TestUser u = create_user(*s, "quota_gen");
    std::string body =
        to_json(json::object{{"model", "ResuMate Offline"}, {"user_input", kResumeInput}});
    ASSERT_STATUS(post(*s, "/api/ai/generate/", body, u.access), 201);
    Response refused = post(*s, "/api/ai/generate/", body, u.access);
    EXPECT_STATUS(refused, 403);
    EXPECT_JSON(
        refused,
        R"({"detail":"Storage quota exceeded: at most 1 resumes per user.","code":"quota_exceeded"})");
    EXPECT_STATUS(post(*s, "/api/ai/generate/stream/", body, u.access), 403);
    EXPECT_EQ(get(*s, "/api/resumes/", u.access).arr().size(), 1u);
    // Anonymous generations are not counted against anyone's quota.
    EXPECT_STATUS(post(*s, "/api/ai/generate/", body), 201);
    EXPECT_STATUS(post(*s, "/api/ai/generate/", body), 201);
}

// ---------------------------------------------------------------------------------------------

std::string anonymous_count_sql() {
    return "SELECT COUNT(*) FROM resume_resume r JOIN auth_user u ON u.id = r.user_id "
           "WHERE u.username = 'anonymous_user'";
}

TEST(AnonymousRetention, PurgeVerbDeletesOnlyOldAnonymousGenerations) {
    auto s = start_server("retention_cli", {});
    TestUser u = create_user(*s, "retention");
    std::string body =
        to_json(json::object{{"model", "ResuMate Offline"}, {"user_input", kResumeInput}});
    int64_t old_anon = post(*s, "/api/ai/generate/", body).obj().at("resume_id").as_int64();
    int64_t new_anon = post(*s, "/api/ai/generate/", body).obj().at("resume_id").as_int64();
    int64_t old_user =
        post(*s, "/api/ai/generate/", body, u.access).obj().at("resume_id").as_int64();
    ASSERT_TRUE(execute_sql(s->data_dir(),
                            "UPDATE resume_resume SET created_at = '2001-01-01 00:00:00.000000' "
                            "WHERE id IN (" +
                                std::to_string(old_anon) + ", " + std::to_string(old_user) + ")"));
    CliResult keep = s->cli({"purge", "--days", "0"});
    ASSERT_EQ(keep.exit_code, 0) << keep.describe();
    EXPECT_EQ(count_rows(*s, anonymous_count_sql()), 2);
    CliResult r = s->cli({"purge"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "Deleted 1 anonymous generations older than 30 days.\n");
    EXPECT_EQ(count_rows(*s, anonymous_count_sql()), 1);
    EXPECT_EQ(
        count_rows(*s, "SELECT COUNT(*) FROM resume_resume WHERE id = " + std::to_string(new_anon)),
        1);
    // A user's own old resume is theirs to keep.
    EXPECT_STATUS(get(*s, "/api/resumes/" + std::to_string(old_user) + "/", u.access), 200);
    CliResult again = s->cli({"purge"}, {{"RESUMATE_ANONYMOUS_RETENTION_DAYS", "30"}});
    EXPECT_EQ(again.out, "Deleted 0 anonymous generations older than 30 days.\n");
}

TEST(AnonymousRetention, ServerPurgesOnItsOwnTimer) {
    auto s = std::make_unique<Server>(
        ServerOptions{.env = {}, .with_superuser = false, .tag = "retention_timer"});
    s->start();
    std::string body =
        to_json(json::object{{"model", "ResuMate Offline"}, {"user_input", kResumeInput}});
    int64_t id = post(*s, "/api/ai/generate/", body).obj().at("resume_id").as_int64();
    ASSERT_EQ(s->stop(), 0);
    ASSERT_TRUE(execute_sql(s->data_dir(),
                            "UPDATE resume_resume SET created_at = '2001-01-01 00:00:00.000000' "
                            "WHERE id = " +
                                std::to_string(id)));
    EXPECT_EQ(count_rows(*s, anonymous_count_sql()), 1);
    // Restarted on the same data: the purge runs at start (then hourly).
    s->start();
    EXPECT_TRUE(s->wait_for_log_line({"deleted 1 anonymous generations older than 30 days"}, 10s));
    EXPECT_EQ(count_rows(*s, anonymous_count_sql()), 0);
}

// ---------------------------------------------------------------------------------------------

TEST(LargeLists, StreamedListsMatchTheWholeJsonAndKeepTheConnection) {
    auto s = start_server("large_lists", {});
    TestUser u = create_user(*s, "large_lists");
    for (int i = 0; i < 40; ++i) {
        std::string content =
            "# CV " + std::to_string(i) + "\n\"quoted\" \\ é \n" + std::string(8000, 'a' + i % 26);
        ASSERT_STATUS(
            post(*s, "/api/resumes/", resume_body("CV " + std::to_string(i), content), u.access),
            201);
    }
    for (int i = 0; i < 120; ++i) {
        ASSERT_STATUS(post(*s, "/api/job-applications/",
                           to_json(json::object{{"job_title", "Job " + std::to_string(i)},
                                                {"notes", std::string(1000, 'n')},
                                                {"status", i % 2 ? "Offer" : "Applied"}}),
                           u.access),
                      201);
    }
    Client client(s->port());
    for (std::string_view path : {"/api/resumes/", "/api/job-applications/"}) {
        Response paged = client.send(
            make_request("GET", std::string(path) + "?limit=1000", std::nullopt, u.access));
        ASSERT_STATUS(paged, 200);
        Response whole =
            client.send(make_request("GET", std::string(path), std::nullopt, u.access));
        ASSERT_STATUS(whole, 200);
        EXPECT_EQ(whole.header("Transfer-Encoding"), "chunked");
        EXPECT_EQ(whole.header("Content-Type"), "application/json");
        EXPECT_SECURITY_HEADERS(whole);
        EXPECT_EQ(whole.body, array_of(paged.obj().at("results").as_array())) << path;
        EXPECT_TRUE(whole.keep_alive);
        Response h = client.send(make_request("HEAD", std::string(path), std::nullopt, u.access));
        EXPECT_STATUS(h, 200);
        EXPECT_TRUE(h.body.empty());
    }
    EXPECT_EQ(client.connect_count(), 1);  // kept alive after each streamed answer
    // A short list is answered whole, with Content-Length, as before.
    TestUser few = create_user(*s, "few_lists");
    ASSERT_STATUS(post(*s, "/api/resumes/", resume_body("CV", "short"), few.access), 201);
    Response small = get(*s, "/api/resumes/", few.access);
    EXPECT_FALSE(small.has_header("Transfer-Encoding"));
    EXPECT_EQ(small.header("Content-Length"), std::to_string(small.body.size()));
    EXPECT_EQ(get(*s, "/api/resumes/", create_user(*s, "empty_lists").access).body, "[]");
    // HTTP/1.0 knows no chunks: the body as it is, ended by the close.
    RawConn raw(s->port());
    ASSERT_TRUE(raw.send_all("GET /api/resumes/ HTTP/1.0\r\nHost: " + s->host() +
                             "\r\nAuthorization: Bearer " + u.access + "\r\n\r\n"));
    auto got = raw.read_until_closed(15s);
    ASSERT_TRUE(got.closed);
    size_t split = got.data.find("\r\n\r\n");
    ASSERT_NE(split, std::string::npos);
    EXPECT_EQ(got.data.find("chunked"), std::string::npos);
    Response paged = get(*s, "/api/resumes/?limit=1000", u.access);
    EXPECT_EQ(got.data.substr(split + 4), array_of(paged.obj().at("results").as_array()));
}

TEST(LargeLists, ClientsThatDoNotReadHoldLittleServerMemory) {
    // 48 resumes of about 1 MiB: 48 MiB of text (over the default byte quota, so it is lifted).
    auto s = start_server("large_rss",
                          {{"RESUMATE_QUOTA_BYTES", "0"}, {"RESUMATE_BODY_TIMEOUT_SECONDS", "60"}});
    TestUser u = create_user(*s, "large_rss");
    const int kRows = 48;
    for (int i = 0; i < kRows; ++i) {
        std::string content(1'000'000, static_cast<char>('a' + i % 26));
        ASSERT_STATUS(
            post(*s, "/api/resumes/", resume_body("CV " + std::to_string(i), content), u.access),
            201);
    }
    int64_t before = rss_kib(*s);
    ASSERT_GT(before, 0);
    // Three clients ask for the list and never read it.
    std::vector<std::unique_ptr<RawConn>> idle;
    for (int i = 0; i < 3; ++i) {
        auto c = std::make_unique<RawConn>(s->port());
        int small = 4096;
        ::setsockopt(c->fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        ASSERT_TRUE(c->send_all("GET /api/resumes/ HTTP/1.1\r\nHost: " + s->host() +
                                "\r\nAuthorization: Bearer " + u.access + "\r\n\r\n"));
        idle.push_back(std::move(c));
    }
    std::this_thread::sleep_for(3s);
    int64_t held = rss_kib(*s) - before;
    // Before pages: each answer was the whole 48 MiB list (and its rows) in memory, > 140 MiB.
    EXPECT_LT(held, 40 * 1024) << "RSS grew by " << held
                               << " KiB while 3 clients held a 48 MiB list";
    // The list still arrives whole for a client that reads.
    Response whole = get(*s, "/api/resumes/", u.access);
    ASSERT_STATUS(whole, 200);
    EXPECT_EQ(whole.arr().size(), static_cast<size_t>(kRows));
    // And other requests are served meanwhile.
    EXPECT_STATUS(get(*s, "/api/ai/models/"), 200);
}

}  // namespace
}  // namespace e2e
