// The job tracker beyond the original: the list's filters (?status= ?search= ?ordering=
// ?date_applied_after= ?date_applied_before=), stats/, trash/ and {id}/restore/, and the CSV
// export/import — including hostile uploads, which must never save part of a file nor answer 500.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <thread>

#include "harness.hpp"

namespace e2e::tracker {
namespace {

constexpr std::string_view kList = "/api/job-applications/";
constexpr std::string_view kImport = "/api/job-applications/import/";
constexpr std::string_view kExport = "/api/job-applications/export/";
constexpr std::string_view kCsvHeader =
    "id,job_title,company_name,status,date_applied,resume_used,notes,original_job_description,"
    "created_at,updated_at\r\n";

std::string path_of(int64_t id, std::string_view tail = "") {
    return std::string(kList) + std::to_string(id) + "/" + std::string(tail);
}

int64_t new_job(const Server& s, const TestUser& u, const json::object& fields) {
    Response r = post(s, std::string(kList), to_json(fields), u.access);
    if (r.status != 201) throw std::runtime_error("job creation failed" + r.describe());
    return r.obj().at("id").as_int64();
}

json::object job_json(const Server& s, const TestUser& u, const json::object& fields) {
    Response r = post(s, std::string(kList), to_json(fields), u.access);
    if (r.status != 201) throw std::runtime_error("job creation failed" + r.describe());
    return r.obj();
}

std::vector<int64_t> ids_in(const json::array& items) {
    std::vector<int64_t> out;
    for (const auto& v : items) out.push_back(v.as_object().at("id").as_int64());
    return out;
}

// The ids a filtered list answers, in order (the answer must be a 200 array).
std::vector<int64_t> list_ids(const Server& s, const TestUser& u, std::string_view query) {
    Response r = get(s, std::string(kList) + std::string(query), u.access);
    EXPECT_STATUS(r, 200);
    EXPECT_SECURITY_HEADERS(r);
    return ids_in(r.arr());
}

size_t live_count(const Server& s, const TestUser& u) {
    Response r = get(s, std::string(kList) + "?limit=1", u.access);
    EXPECT_STATUS(r, 200);
    return r.obj().contains("count") ? static_cast<size_t>(r.obj().at("count").as_int64()) : 0;
}

Response import_text(const Server& s, const TestUser& u, std::string csv,
                     std::string content_type = "text/csv; charset=utf-8") {
    return call(s, "POST", std::string(kImport), std::move(csv), u.access, std::move(content_type));
}

std::string multipart_file(std::string_view content, std::string_view field = "file") {
    return "--tracker-b0und\r\nContent-Disposition: form-data; name=\"" + std::string(field) +
           "\"; filename=\"jobs.csv\"\r\nContent-Type: text/csv\r\n\r\n" + std::string(content) +
           "\r\n--tracker-b0und--\r\n";
}

Response import_multipart(const Server& s, const TestUser& u, std::string_view csv,
                          std::string_view field = "file") {
    return call(s, "POST", std::string(kImport), multipart_file(csv, field), u.access,
                "multipart/form-data; boundary=tracker-b0und");
}

// {"errors": [one error]} as JSON text.
std::string one_error(int64_t line, std::optional<std::string> column, std::string message) {
    json::object e{{"line", line}, {"message", message}};
    if (column) {
        e["column"] = *column;
    } else {
        e["column"] = nullptr;
    }
    return to_json(json::object{{"errors", json::array{e}}});
}

// The ISO week ("2026-W49") of a day given as days since 1970-01-01, computed independently of
// the server: from the Thursday of its week.
std::string iso_week_of(int64_t days) {
    using namespace std::chrono;
    const int64_t weekday = ((days + 3) % 7 + 7) % 7;  // 0 = Monday
    const sys_days thursday{std::chrono::days(days - weekday + 3)};
    const year_month_day ymd{thursday};
    const sys_days jan1{ymd.year() / January / 1};
    const int64_t week = (thursday - jan1).count() / 7 + 1;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(ymd.year()),
                  static_cast<int>(week));
    return buf;
}

int64_t days_of(int y, unsigned m, unsigned d) {
    using namespace std::chrono;
    return sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count();
}

double median_ms(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// ---------------------------------------------------------------------------------------------
// Filters

struct FilterFixture {
    TestUser u;
    int64_t a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0;
};

const FilterFixture& filter_fixture() {
    static const FilterFixture f = [] {
        const Server& s = shared_server();
        FilterFixture x;
        x.u = create_user(s, "trackfilter");
        x.a1 = new_job(s, x.u,
                       {{"job_title", "Backend Engineer"},
                        {"company_name", "Acme"},
                        {"status", "Applied"},
                        {"date_applied", "2026-01-10"},
                        {"notes", "Referred by Ana"}});
        x.a2 = new_job(s, x.u,
                       {{"job_title", "Frontend Dev"},
                        {"company_name",
                         "\xC3\x89"
                         "COLE Num\xC3\xA9rique"},
                        {"status", "Interviewing"},
                        {"date_applied", "2026-02-01"}});
        x.a3 = new_job(s, x.u,
                       {{"job_title", "Data Analyst"},
                        {"company_name",
                         "Stra\xC3\x9F"
                         "e GmbH"},
                        {"status", "Offer"},
                        {"date_applied", "2026-03-15"},
                        {"notes", "100% remote_ok"}});
        x.a4 = new_job(s, x.u, {{"job_title", "SRE"}, {"status", "Rejected"}});
        x.a5 = new_job(s, x.u,
                       {{"job_title", "Platform Engineer"},
                        {"company_name", "acme labs"},
                        {"status", "Applied"},
                        {"date_applied", "2026-03-15"}});
        // Neither a deleted application nor another user's ever shows.
        int64_t gone =
            new_job(s, x.u, {{"job_title", "Engineer (deleted)"}, {"company_name", "Acme"}});
        if (del(s, path_of(gone), x.u.access).status != 204) throw std::runtime_error("delete");
        TestUser other = create_user(s, "trackfilter_other");
        new_job(s, other,
                {{"job_title", "Engineer"}, {"company_name", "Acme"}, {"status", "Applied"}});
        return x;
    }();
    return f;
}

using Ids = std::vector<int64_t>;

TEST(TrackerFilters, StatusesCombineWithOr) {
    const auto& f = filter_fixture();
    const Server& s = shared_server();
    EXPECT_EQ(list_ids(s, f.u, "?status=Applied"), (Ids{f.a1, f.a5}));
    EXPECT_EQ(list_ids(s, f.u, "?status=Applied&status=Offer"), (Ids{f.a1, f.a3, f.a5}));
    EXPECT_EQ(list_ids(s, f.u, "?status=Offer&status=Offer"), (Ids{f.a3}));
    EXPECT_EQ(list_ids(s, f.u, "?status=Rejected"), (Ids{f.a4}));
}

TEST(TrackerFilters, SearchIsCaseInsensitiveUnicodeAwareAndLiteral) {
    const auto& f = filter_fixture();
    const Server& s = shared_server();
    EXPECT_EQ(list_ids(s, f.u, "?search=ACME"), (Ids{f.a1, f.a5}));
    // Unicode case folding, on SQLite as on PostgreSQL.
    EXPECT_EQ(list_ids(s, f.u,
                       "?search=" + url_encode("\xC3\xA9"
                                               "cole")),
              (Ids{f.a2}));
    EXPECT_EQ(list_ids(s, f.u, "?search=" + url_encode("num\xC3\x89rique")), (Ids{f.a2}));
    EXPECT_EQ(list_ids(s, f.u, "?search=STRASSE"), (Ids{f.a3}));
    EXPECT_EQ(list_ids(s, f.u,
                       "?search=" + url_encode("stra\xC3\x9F"
                                               "e")),
              (Ids{f.a3}));
    // Title, company and notes: "ana" is in a1's notes and in "Analyst".
    EXPECT_EQ(list_ids(s, f.u, "?search=ana"), (Ids{f.a1, f.a3}));
    // Several terms (spaces or commas) must all match, each in any field.
    EXPECT_EQ(list_ids(s, f.u, "?search=engineer+acme"), (Ids{f.a1, f.a5}));
    EXPECT_EQ(list_ids(s, f.u, "?search=engineer,labs"), (Ids{f.a5}));
    EXPECT_EQ(list_ids(s, f.u, "?search=engineer+nowhere"), Ids{});
    // LIKE's wildcards are plain characters here.
    EXPECT_EQ(list_ids(s, f.u, "?search=%25"), (Ids{f.a3}));
    EXPECT_EQ(list_ids(s, f.u, "?search=_"), (Ids{f.a3}));
    EXPECT_EQ(list_ids(s, f.u, "?search=%5C"), Ids{});
    // No term: every application, in id order.
    EXPECT_EQ(list_ids(s, f.u, "?search=+,+"), (Ids{f.a1, f.a2, f.a3, f.a4, f.a5}));
}

TEST(TrackerFilters, DateRangeIsInclusive) {
    const auto& f = filter_fixture();
    const Server& s = shared_server();
    EXPECT_EQ(list_ids(s, f.u, "?date_applied_after=2026-02-01"), (Ids{f.a2, f.a3, f.a5}));
    EXPECT_EQ(list_ids(s, f.u, "?date_applied_before=2026-02-01"), (Ids{f.a1, f.a2}));
    EXPECT_EQ(list_ids(s, f.u, "?date_applied_after=2026-02-01&date_applied_before=2026-03-14"),
              (Ids{f.a2}));
    EXPECT_EQ(list_ids(s, f.u, "?date_applied_after=&date_applied_before="),
              (Ids{f.a1, f.a2, f.a3, f.a4, f.a5}));
}

TEST(TrackerFilters, OrderingWithNullsAndTies) {
    const auto& f = filter_fixture();
    const Server& s = shared_server();
    // NULLs as PostgreSQL (the original) sorts them: last going up, first going down; ties by id.
    EXPECT_EQ(list_ids(s, f.u, "?ordering=date_applied"), (Ids{f.a1, f.a2, f.a3, f.a5, f.a4}));
    EXPECT_EQ(list_ids(s, f.u, "?ordering=-date_applied"), (Ids{f.a4, f.a3, f.a5, f.a2, f.a1}));
    // Text by code point, the same on both engines.
    EXPECT_EQ(list_ids(s, f.u, "?ordering=company_name"), (Ids{f.a1, f.a3, f.a5, f.a2, f.a4}));
    EXPECT_EQ(list_ids(s, f.u, "?ordering=-status,company_name"),
              (Ids{f.a4, f.a3, f.a2, f.a1, f.a5}));
    EXPECT_EQ(list_ids(s, f.u, "?ordering=-created_at"), (Ids{f.a5, f.a4, f.a3, f.a2, f.a1}));
    EXPECT_EQ(list_ids(s, f.u, "?ordering=updated_at"), (Ids{f.a1, f.a2, f.a3, f.a4, f.a5}));
    // Unknown fields are dropped, as DRF's OrderingFilter drops them.
    EXPECT_EQ(list_ids(s, f.u, "?ordering=salary,+-date_applied+,--id"),
              (Ids{f.a4, f.a3, f.a5, f.a2, f.a1}));
    EXPECT_EQ(list_ids(s, f.u, "?ordering=salary"), (Ids{f.a1, f.a2, f.a3, f.a4, f.a5}));
}

TEST(TrackerFilters, FiltersCombineAndPaginate) {
    const auto& f = filter_fixture();
    const Server& s = shared_server();
    EXPECT_EQ(list_ids(s, f.u, "?status=Applied&search=labs&ordering=-created_at"), (Ids{f.a5}));
    EXPECT_EQ(list_ids(s, f.u,
                       "?status=Applied&status=Offer&date_applied_after=2026-03-01"
                       "&ordering=-id,company_name"),
              (Ids{f.a3, f.a5}));

    Response page = get(s, std::string(kList) + "?status=Applied&status=Offer&limit=2", f.u.access);
    ASSERT_STATUS(page, 200);
    json::object env = page.obj();
    EXPECT_EQ(env["count"], json::value(3));
    EXPECT_EQ(ids_in(env["results"].as_array()), (Ids{f.a1, f.a3}));
    EXPECT_EQ(
        env["next"],
        json::value(s.url("/api/job-applications/?status=Applied&status=Offer&limit=2&offset=2")));
    EXPECT_TRUE(env["previous"].is_null());

    Response last =
        get(s, std::string(kList) + "?status=Applied&status=Offer&limit=2&offset=2", f.u.access);
    ASSERT_STATUS(last, 200);
    env = last.obj();
    EXPECT_EQ(ids_in(env["results"].as_array()), (Ids{f.a5}));
    EXPECT_TRUE(env["next"].is_null());
    EXPECT_EQ(env["previous"],
              json::value(s.url("/api/job-applications/?status=Applied&status=Offer&limit=2")));

    Response beyond = get(s, std::string(kList) + "?search=acme&limit=5&offset=99", f.u.access);
    ASSERT_STATUS(beyond, 200);
    EXPECT_EQ(beyond.obj()["count"], json::value(2));
    EXPECT_TRUE(beyond.obj()["results"].as_array().empty());
}

TEST(TrackerFilters, WithoutFiltersTheListIsUnchanged) {
    const auto& f = filter_fixture();
    const Server& s = shared_server();
    Response plain = get(s, std::string(kList), f.u.access);
    ASSERT_STATUS(plain, 200);
    // Empty filters select everything in the plain list's order: the same bytes.
    for (std::string_view q :
         {"?ordering=", "?search=", "?ordering=nothing",
          "?status=Applied&status=Interviewing&status=Offer&status=Rejected"}) {
        Response r = get(s, std::string(kList) + std::string(q), f.u.access);
        ASSERT_STATUS(r, 200);
        EXPECT_EQ(r.body, plain.body) << q;
        EXPECT_EQ(r.header("Content-Type"), "application/json");
    }
}

TEST(TrackerFilters, InvalidValuesAnswer400AsDjangoFilterWordsThem) {
    const auto& f = filter_fixture();
    const Server& s = shared_server();
    auto expect = [&](std::string_view query, std::string_view body) {
        Response r = get(s, std::string(kList) + std::string(query), f.u.access);
        EXPECT_STATUS(r, 400) << query;
        EXPECT_JSON(r, body);
        EXPECT_SECURITY_HEADERS(r);
    };
    expect("?status=Pending",
           R"({"status":["Select a valid choice. Pending is not one of the available choices."]})");
    expect("?status=Applied&status=applied&status=Nope",
           R"({"status":["Select a valid choice. applied is not one of the available choices."]})");
    expect("?status=",
           R"({"status":["Select a valid choice.  is not one of the available choices."]})");
    expect("?date_applied_after=2026-13-01", R"({"date_applied_after":["Enter a valid date."]})");
    expect("?date_applied_before=yesterday&limit=2",
           R"({"date_applied_before":["Enter a valid date."]})");
    expect("?status=X&date_applied_after=1&date_applied_before=2026-02-30",
           R"({"status":["Select a valid choice. X is not one of the available choices."],
               "date_applied_after":["Enter a valid date."],
               "date_applied_before":["Enter a valid date."]})");
}

// ---------------------------------------------------------------------------------------------
// Stats

TEST(TrackerStats, NoApplications) {
    TestUser u = create_user(shared_server(), "trackstats_empty");
    Response r = get(shared_server(), "/api/job-applications/stats/", u.access);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    EXPECT_EQ(r.body,
              R"({"total":0,"by_status":{"Applied":0,"Interviewing":0,"Offer":0,"Rejected":0},)"
              R"("per_week":[],"response_rate":0.0,"offer_rate":0.0})");
    EXPECT_SECURITY_HEADERS(r);
}

TEST(TrackerStats, CountsRatesAndIsoWeeks) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "trackstats");
    // 2026-11-23 is a Monday and 2026-11-29 a Sunday: both in 2026-W48. 2025-12-29 is in
    // 2026-W01, 2027-01-01 in 2026-W53 (2026 has 53 weeks), 2024-12-30 in 2025-W01.
    new_job(s, u, {{"status", "Applied"}, {"date_applied", "2026-11-23"}});
    new_job(s, u, {{"status", "Interviewing"}, {"date_applied", "2026-11-29"}});
    new_job(s, u, {{"status", "Offer"}, {"date_applied", "2025-12-29"}});
    new_job(s, u, {{"status", "Rejected"}, {"date_applied", "2027-01-01"}});
    new_job(s, u, {{"status", "Applied"}, {"date_applied", "2024-12-30"}});
    // No date: the week it was created in.
    json::object undated = job_json(s, u, {{"status", "Applied"}});
    int64_t gone = new_job(s, u, {{"status", "Offer"}, {"date_applied", "2026-11-24"}});
    ASSERT_STATUS(del(s, path_of(gone), u.access), 204);
    new_job(s, create_user(s, "trackstats_other"), {{"status", "Offer"}});

    const std::string created = str(undated["created_at"]);
    const int64_t today = days_of(std::stoi(created.substr(0, 4)),
                                  static_cast<unsigned>(std::stoi(created.substr(5, 2))),
                                  static_cast<unsigned>(std::stoi(created.substr(8, 2))));
    std::map<std::string, int64_t> weeks{{iso_week_of(days_of(2026, 11, 23)), 2},
                                         {iso_week_of(days_of(2025, 12, 29)), 1},
                                         {iso_week_of(days_of(2027, 1, 1)), 1},
                                         {iso_week_of(days_of(2024, 12, 30)), 1}};
    EXPECT_EQ(weeks.count("2026-W48") + weeks.count("2026-W01") + weeks.count("2026-W53") +
                  weeks.count("2025-W01"),
              4u);
    weeks[iso_week_of(today)] += 1;
    json::array per_week;
    for (const auto& [week, count] : weeks)
        per_week.push_back(json::object{{"week", week}, {"count", count}});

    Response r = get(s, "/api/job-applications/stats/", u.access);
    ASSERT_STATUS(r, 200);
    json::object want{
        {"total", 6},
        {"by_status",
         json::object{{"Applied", 3}, {"Interviewing", 1}, {"Offer", 1}, {"Rejected", 1}}},
        {"per_week", per_week},
        {"response_rate", 0.5},
        {"offer_rate", 0.167}};
    EXPECT_JSON(r, to_json(want));
    // Written as Python writes floats.
    EXPECT_NE(r.body.find(R"("response_rate":0.5,"offer_rate":0.167})"), std::string::npos)
        << r.body;
    // Restored, an application counts again.
    ASSERT_STATUS(call(s, "POST", path_of(gone, "restore/"), std::nullopt, u.access), 200);
    Response again = get(s, "/api/job-applications/stats/", u.access);
    EXPECT_EQ(again.obj()["total"], json::value(7));
    EXPECT_NE(again.body.find(R"("response_rate":0.571,"offer_rate":0.286})"), std::string::npos)
        << again.body;
}

// 10,000 applications of one user (the default quota), made by two imports of 5,000 rows. Prints
// how long stats/, a searched list and the export take; no timing is asserted.
TEST(TrackerStats, TenThousandApplications) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "trackstats_10k");
    static constexpr const char* kStatusCycle[] = {"Applied", "Applied", "Interviewing", "Offer",
                                                   "Rejected"};
    const int64_t start = days_of(2025, 1, 1);
    auto batch = [&](int from) {
        std::string csv = "job_title,company_name,status,date_applied,notes\r\n";
        for (int i = from; i < from + 5000; ++i) {
            const bool dated = i % 10 != 0;
            std::string date;
            if (dated) {
                using namespace std::chrono;
                const year_month_day ymd{sys_days{std::chrono::days(start + i % 700)}};
                char buf[16];
                std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                              static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
                date = buf;
            }
            csv += "Engineer " + std::to_string(i) + ",Company " + std::to_string(i % 97) + "," +
                   kStatusCycle[i % 5] + "," + date + ",note " + std::to_string(i) + "\r\n";
        }
        return csv;
    };
    auto t0 = std::chrono::steady_clock::now();
    Response first = import_multipart(s, u, batch(0));
    ASSERT_STATUS(first, 201);
    EXPECT_JSON(first, R"({"created":5000})");
    Response second = import_text(s, u, batch(5000));
    ASSERT_STATUS(second, 201);
    const double import_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

    Client client(s.port());
    auto timed = [&](const std::string& target, int runs, Response* last) {
        std::vector<double> ms;
        for (int i = 0; i < runs; ++i) {
            auto a = std::chrono::steady_clock::now();
            Response r = client.send(make_request("GET", target, std::nullopt, u.access));
            ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a)
                    .count());
            EXPECT_STATUS(r, 200);
            if (last) *last = std::move(r);
        }
        return ms;
    };
    const bool postgres = s.env().count("DATABASE_URL") > 0;
    auto measure = [&](const char* when) {
        Response stats;
        timed("/api/job-applications/stats/", 3, nullptr);  // warm-up
        auto stats_ms = timed("/api/job-applications/stats/", 30, &stats);
        json::object o = stats.obj();
        EXPECT_EQ(o["total"], json::value(10000));
        EXPECT_EQ(
            o["by_status"],
            json::value(json::object{
                {"Applied", 4000}, {"Interviewing", 2000}, {"Offer", 2000}, {"Rejected", 2000}}));
        int64_t weekly = 0;
        for (const auto& w : o["per_week"].as_array())
            weekly += w.as_object().at("count").as_int64();
        EXPECT_EQ(weekly, 10000);
        EXPECT_NE(stats.body.find(R"("response_rate":0.6,"offer_rate":0.2})"), std::string::npos);

        Response searched;
        auto search_ms =
            timed("/api/job-applications/?search=engineer+99&ordering=-date_applied&limit=50", 5,
                  &searched);
        EXPECT_GT(searched.obj()["count"].as_int64(), 0);
        Response exported;
        auto export_ms = timed(std::string(kExport), 2, &exported);
        EXPECT_EQ(exported.header("Transfer-Encoding"), "chunked");
        EXPECT_EQ(static_cast<size_t>(std::count(exported.body.begin(), exported.body.end(), '\n')),
                  10001u);
        std::printf(
            "[tracker] 10,000 applications (%s, %s): stats/ median %.2f ms, min %.2f ms, max %.2f "
            "ms over %zu; search+order+page median %.1f ms; export %.0f ms (%zu bytes); two "
            "imports of 5,000 rows %.0f ms\n",
            postgres ? "PostgreSQL" : "SQLite", when, median_ms(stats_ms),
            *std::min_element(stats_ms.begin(), stats_ms.end()),
            *std::max_element(stats_ms.begin(), stats_ms.end()), stats_ms.size(),
            median_ms(search_ms), median_ms(export_ms), exported.body.size(), import_ms);
    };
    measure("just imported");
    if (postgres) {
        // What autovacuum does within a minute of such an import: the planner then knows how
        // many rows the user has.
        PGconn* c = PQconnectdb(s.env().at("DATABASE_URL").c_str());
        PGresult* r = PQexec(c, "ANALYZE job_tracker_jobapplication");
        EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(c);
        PQclear(r);
        PQfinish(c);
        measure("analyzed");
    }
    // The quota is full: one more is refused, nothing saved.
    Response over = import_text(s, u, "job_title\r\none more\r\n");
    EXPECT_STATUS(over, 403);
    EXPECT_EQ(live_count(s, u), 10000u);
}

// ---------------------------------------------------------------------------------------------
// Trash

TEST(TrackerTrash, LastDeletedFirstAndRestore) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "tracktrash");
    TestUser other = create_user(s, "tracktrash_other");
    int64_t a = new_job(s, u, {{"job_title", "a"}});
    int64_t b = new_job(s, u, {{"job_title", "b"}});
    int64_t c = new_job(s, u, {{"job_title", "c"}});
    int64_t live = new_job(s, u, {{"job_title", "live"}});
    for (int64_t id : {a, c, b}) {
        ASSERT_STATUS(del(s, path_of(id), u.access), 204);
        std::this_thread::sleep_for(5ms);
    }
    int64_t foreign = new_job(s, other, {{"job_title", "theirs"}});
    ASSERT_STATUS(del(s, path_of(foreign), other.access), 204);

    Response trash = get(s, "/api/job-applications/trash/", u.access);
    ASSERT_STATUS(trash, 200);
    EXPECT_EQ(trash.header("Allow"), kAllowReadOnly);
    EXPECT_EQ(ids_in(trash.arr()), (Ids{b, c, a}));
    for (const auto& item : trash.arr()) {
        EXPECT_EQ(item.as_object().at("is_deleted"), json::value(true));
        EXPECT_EQ(item.as_object().at("user"), json::value(u.id));
    }
    Response page = get(s, "/api/job-applications/trash/?limit=2", u.access);
    ASSERT_STATUS(page, 200);
    EXPECT_EQ(page.obj()["count"], json::value(3));
    EXPECT_EQ(ids_in(page.obj()["results"].as_array()), (Ids{b, c}));
    EXPECT_EQ(page.obj()["next"],
              json::value(s.url("/api/job-applications/trash/?limit=2&offset=2")));

    Response restored = call(s, "POST", path_of(c, "restore/"), std::nullopt, u.access);
    ASSERT_STATUS(restored, 200);
    EXPECT_EQ(restored.header("Allow"), kAllowPostOnly);
    json::object o = restored.obj();
    EXPECT_EQ(o["id"], json::value(c));
    EXPECT_EQ(o["is_deleted"], json::value(false));
    EXPECT_EQ(str(o["job_title"]), "c");
    EXPECT_STATUS(get(s, path_of(c), u.access), 200);
    EXPECT_EQ(list_ids(s, u, "?ordering=id"), (Ids{c, live}));
    EXPECT_EQ(ids_in(get(s, "/api/job-applications/trash/", u.access).arr()), (Ids{b, a}));

    // A live id, an id restored already, another user's deleted one, one that never was: 404.
    for (int64_t id : {live, c, foreign, int64_t{999999999}}) {
        Response r = call(s, "POST", path_of(id, "restore/"), std::nullopt, u.access);
        EXPECT_STATUS(r, 404) << id;
        EXPECT_JSON(r, kNotFound);
    }
    EXPECT_STATUS(get(s, path_of(foreign), other.access), 404);
    EXPECT_EQ(ids_in(get(s, "/api/job-applications/trash/", other.access).arr()), (Ids{foreign}));
    EXPECT_STATUS(call(s, "POST", path_of(a, "restore/"), std::nullopt), 401);
    EXPECT_STATUS(call(s, "POST", "/api/job-applications/abc/restore/", std::nullopt, u.access),
                  404);
}

TEST(TrackerTrash, NewRoutesDoNotCollideWithIds) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "trackroutes");
    struct Case {
        std::string method, path, allow;
    };
    for (const Case& c : std::vector<Case>{
             {"DELETE", "/api/job-applications/stats/", std::string(kAllowReadOnly)},
             {"PUT", "/api/job-applications/trash/", std::string(kAllowReadOnly)},
             {"POST", "/api/job-applications/export/", std::string(kAllowReadOnly)},
             {"GET", "/api/job-applications/import/", std::string(kAllowPostOnly)},
             {"GET", "/api/job-applications/1/restore/", std::string(kAllowPostOnly)}}) {
        Response r = call(s, c.method, c.path, std::nullopt, u.access);
        EXPECT_STATUS(r, 405) << c.method << " " << c.path;
        EXPECT_EQ(r.header("Allow"), c.allow) << c.path;
    }
    for (std::string_view p : {"/api/job-applications/stats/", "/api/job-applications/trash/",
                               "/api/job-applications/export/"}) {
        Response r = get(s, std::string(p), "");
        EXPECT_STATUS(r, 401) << p;
        EXPECT_JSON(r, kNotProvided);
    }
    Response redirect = get(s, "/api/job-applications/stats", u.access);
    EXPECT_STATUS(redirect, 301);
    EXPECT_EQ(redirect.header("Location"), "/api/job-applications/stats/");
}

// ---------------------------------------------------------------------------------------------
// CSV export and import

TEST(TrackerCsv, ExportIsRfc4180WithFormulaCellsGuarded) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "trackexport");
    Response resume = post(s, "/api/resumes/", R"({"title":"CV","content":"text"})", u.access);
    ASSERT_STATUS(resume, 201);
    const int64_t rid = resume.obj()["id"].as_int64();
    json::object x1 = job_json(s, u,
                               {{"job_title", "=HYPERLINK(\"http://evil.example\",\"click\")"},
                                {"company_name", "Acme, Inc."},
                                {"status", "Offer"},
                                {"date_applied", "2026-01-02"},
                                {"resume_used", rid},
                                {"notes", "line1\nline2 \"quoted\"\r\nline3"},
                                {"original_job_description", "-5 degrees"}});
    json::object x2 = job_json(s, u, json::object{});
    json::object x3 = job_json(s, u,
                               {{"job_title",
                                 "\xC3\x9Cn\xC3\xAF"
                                 "c\xC3\xB6"
                                 "d\xC3\xA9 \xE2\x98\x83"},
                                {"company_name", "@corp"},
                                {"notes", "+1 555"},
                                {"original_job_description", "'=already quoted"}});
    int64_t gone = new_job(s, u, {{"job_title", "deleted"}});
    ASSERT_STATUS(del(s, path_of(gone), u.access), 204);
    new_job(s, create_user(s, "trackexport_other"), {{"job_title", "not yours"}});

    auto times = [](const json::object& o) {
        return str(o.at("created_at")) + "," + str(o.at("updated_at")) + "\r\n";
    };
    const std::string want =
        std::string(kCsvHeader) + std::to_string(x1["id"].as_int64()) +
        R"x(,"'=HYPERLINK(""http://evil.example"",""click"")","Acme, Inc.",Offer,2026-01-02,)x" +
        std::to_string(rid) + ",\"line1\nline2 \"\"quoted\"\"\r\nline3\",'-5 degrees," + times(x1) +
        std::to_string(x2["id"].as_int64()) + ",,,Applied,,,,," + times(x2) +
        std::to_string(x3["id"].as_int64()) +
        ",\xC3\x9Cn\xC3\xAF"
        "c\xC3\xB6"
        "d\xC3\xA9 \xE2\x98\x83,'@corp,Applied,,,'+1 555,''=already quoted," +
        times(x3);

    for (std::string target : {std::string(kExport), std::string(kExport) + "?format=csv"}) {
        Response r = get(s, target, u.access);
        ASSERT_STATUS(r, 200);
        EXPECT_EQ(r.header("Content-Type"), "text/csv; charset=utf-8");
        EXPECT_EQ(r.header("Content-Disposition"),
                  R"(attachment; filename="job-applications.csv")");
        EXPECT_SECURITY_HEADERS(r);
        EXPECT_EQ(r.body, want);
    }
    // A client that accepts only CSV gets it.
    Response csv_only = get(s, std::string(kExport), u.access, {{"Accept", "text/csv"}});
    EXPECT_STATUS(csv_only, 200);
    EXPECT_EQ(csv_only.body, want);

    Response bad = get(s, std::string(kExport) + "?format=xyz", u.access);
    EXPECT_STATUS(bad, 400);
    EXPECT_JSON(bad, R"({"format":["\"xyz\" is not a valid choice."]})");

    TestUser empty = create_user(s, "trackexport_empty");
    Response none = get(s, std::string(kExport), empty.access);
    ASSERT_STATUS(none, 200);
    EXPECT_EQ(none.body, kCsvHeader);
}

TEST(TrackerCsv, ImportRoundTripsTheExport) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "trackroundtrip");
    Response resume = post(s, "/api/resumes/", R"({"title":"CV","content":"text"})", u.access);
    ASSERT_STATUS(resume, 201);
    const int64_t rid = resume.obj()["id"].as_int64();
    const std::vector<json::object> originals = {
        {{"job_title", "=1+1"},
         {"company_name", "Acme, \"Inc\""},
         {"status", "Interviewing"},
         {"date_applied", "2025-07-10"},
         {"resume_used", rid},
         {"notes", "multi\nline\r\nnotes, with commas"},
         {"original_job_description", "'=not a formula"}},
        {{"job_title", "@home"},
         {"company_name", "-minus"},
         {"status", "Rejected"},
         {"notes", "+plus"}},
        {{"job_title", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"},
         {"original_job_description", "''-x"}},
    };
    for (const auto& o : originals) new_job(s, u, o);
    Response exported = get(s, std::string(kExport), u.access);
    ASSERT_STATUS(exported, 200);

    Response imported = import_multipart(s, u, exported.body);
    ASSERT_STATUS(imported, 201);
    EXPECT_JSON(imported, R"({"created":3})");
    Response again = import_text(s, u, exported.body, "text/csv");
    ASSERT_STATUS(again, 201);

    json::array all = get(s, std::string(kList), u.access).arr();
    ASSERT_EQ(all.size(), 9u);
    const char* fields[] = {"job_title",
                            "company_name",
                            "status",
                            "date_applied",
                            "resume_used",
                            "notes",
                            "original_job_description"};
    for (size_t copy = 1; copy < 3; ++copy) {
        for (size_t i = 0; i < 3; ++i) {
            const json::object& orig = all[i].as_object();
            const json::object& dup = all[copy * 3 + i].as_object();
            for (const char* f : fields) EXPECT_EQ(dup.at(f), orig.at(f)) << f << " of row " << i;
            EXPECT_EQ(dup.at("is_deleted"), json::value(false));
            EXPECT_NE(dup.at("id"), orig.at("id"));
        }
    }
    EXPECT_EQ(str(all[3].as_object().at("job_title")), "=1+1");
    EXPECT_EQ(str(all[3].as_object().at("original_job_description")), "'=not a formula");
}

TEST(TrackerCsv, ImportReportsEveryErrorAndSavesNothing) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "trackimporterr");
    TestUser other = create_user(s, "trackimporterr_other");
    Response theirs = post(s, "/api/resumes/", R"({"title":"CV","content":"x"})", other.access);
    ASSERT_STATUS(theirs, 201);
    const std::string foreign = std::to_string(theirs.obj()["id"].as_int64());
    const std::string csv =
        "job_title,status,date_applied,resume_used,notes\r\n"  // 1
        "ok,Applied,2026-01-01,,fine\r\n"                      // 2
        "bad status,Pending,2026-01-01,,\r\n"                  // 3
        "\"multi\nline\",Offer,2026-02-30,,\r\n"               // 4-5
        "x,Applied,,999999999,\r\n"                            // 6
        "x,Applied,,abc,\r\n"                                  // 7
        + std::string(256, 'T') +
        ",Applied,,,\r\n"  // 8
        "only,two\r\n"     // 9
        "x,Applied,," +
        foreign +
        ",\r\n"                               // 10
        "\r\n"                                // 11
        "last,Offer,2026-01-01,,\"ok\"\r\n";  // 12
    Response r = import_text(s, u, csv);
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"errors":[
        {"line":3,"column":"status","message":"\"Pending\" is not a valid choice."},
        {"line":4,"column":"date_applied","message":"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."},
        {"line":6,"column":"resume_used","message":"Invalid pk \"999999999\" - object does not exist."},
        {"line":7,"column":"resume_used","message":"Incorrect type. Expected pk value, received str."},
        {"line":8,"column":"job_title","message":"Ensure this field has no more than 255 characters."},
        {"line":9,"column":null,"message":"Expected 5 fields, found 2."},
        {"line":10,"column":"resume_used","message":"Invalid pk \")" +
                       foreign + R"(\" - object does not exist."}]})");
    EXPECT_SECURITY_HEADERS(r);
    EXPECT_EQ(live_count(s, u), 0u);

    auto expect = [&](std::string text, std::string body) {
        Response e = import_text(s, u, std::move(text));
        EXPECT_STATUS(e, 400);
        EXPECT_JSON(e, body);
        EXPECT_EQ(live_count(s, u), 0u);
    };
    expect("job_title,salary,Status\r\nx,1,Applied\r\n",
           R"({"errors":[{"line":1,"column":"salary","message":"Unknown column."}]})");
    expect("notes,NOTES\r\na,b\r\n",
           R"({"errors":[{"line":1,"column":"notes","message":"Duplicate column."}]})");
    expect("\r\n\r\n", one_error(1, std::nullopt, "The file has no header row."));
    // id, created_at and updated_at are read and ignored.
    Response ignored =
        import_text(s, u, "id,created_at,updated_at,job_title\r\nnot a number,yesterday,,kept\r\n");
    ASSERT_STATUS(ignored, 201);
    EXPECT_EQ(list_ids(s, u, "?search=kept").size(), 1u);
    // Only the header: nothing to do.
    Response header_only = import_text(s, u, "job_title,status\r\n");
    EXPECT_STATUS(header_only, 201);
    EXPECT_JSON(header_only, R"({"created":0})");
}

TEST(TrackerCsv, HostileUploadsAreRefusedWholeAndNeverA500) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "trackhostile");
    auto refused = [&](std::string text, std::string_view body = {}) {
        Response r = import_text(s, u, std::move(text));
        EXPECT_STATUS(r, 400);
        if (!body.empty()) {
            EXPECT_JSON(r, body);
        }
        EXPECT_EQ(live_count(s, u), 0u);
        return r;
    };
    // Text that is not UTF-8 (a Latin-1 é on line 3).
    refused("job_title\r\nok\r\ncaf\xE9\r\n",
            one_error(3, std::nullopt, "The file is not valid UTF-8 text."));
    // NUL bytes: in a cell, in the header.
    refused(
        std::string("job_title,notes\r\nok,a\0b\r\n", 25),
        R"({"errors":[{"line":2,"column":"notes","message":"Null characters are not allowed."}]})");
    refused(std::string("job_\0title\r\nx\r\n", 15));
    // Unbalanced quotes.
    refused("job_title,notes\r\nok,fine\r\n\"never closed,x\r\nmore\r\n",
            one_error(3, std::nullopt, "A quoted field is not closed."));
    refused("job_title\r\nsay \"hi\"\r\n");
    refused("job_title\r\n\"closed\"then text\r\n");
    // A huge cell where the API allows 255 characters.
    refused(
        "job_title\r\n" + std::string(200'000, 'x') + "\r\n",
        R"({"errors":[{"line":2,"column":"job_title","message":"Ensure this field has no more than 255 characters."}]})");
    // 5,001 rows: more than one import may hold.
    std::string many = "job_title\r\n";
    for (int i = 0; i < 5001; ++i) many += "r" + std::to_string(i) + "\r\n";
    refused(many, one_error(5002, std::nullopt,
                            "Too many rows: at most 5000 rows can be imported at once."));
    // Over the server's body limit (1 MiB): a 413 from the declared length alone (only the head
    // is sent, so that the client cannot race the server's close while writing the body).
    Client c(s.port(), 10s);
    ASSERT_TRUE(c.connect());
    ASSERT_TRUE(c.write_raw("POST /api/job-applications/import/ HTTP/1.1\r\nHost: " + s.host() +
                            "\r\nAuthorization: Bearer " + u.access +
                            "\r\nContent-Type: text/csv\r\nContent-Length: 1100000\r\n\r\n"));
    Response huge = c.read_response();
    EXPECT_STATUS(huge, 413);
    EXPECT_JSON(huge, R"({"detail":"Request body too large."})");
    // Not a CSV upload at all.
    Response as_json = import_text(s, u, R"({"job_title":"x"})", "application/json");
    EXPECT_STATUS(as_json, 415);
    EXPECT_JSON(as_json, R"({"detail":"Unsupported media type \"application/json\" in request."})");
    Response empty = import_text(s, u, "");
    EXPECT_STATUS(empty, 400);
    EXPECT_JSON(empty, R"({"file":["The submitted file is empty."]})");
    Response no_file = import_multipart(s, u, "job_title\r\nx\r\n", "other");
    EXPECT_STATUS(no_file, 400);
    EXPECT_JSON(no_file, R"({"file":["No file was submitted."]})");
    Response broken = call(s, "POST", std::string(kImport), "--b\r\nno headers end", u.access,
                           "multipart/form-data; boundary=b");
    EXPECT_STATUS(broken, 400);
    EXPECT_NE(broken.body.find("Multipart form parse error - "), std::string::npos);
    Response no_boundary =
        call(s, "POST", std::string(kImport), "x", u.access, "multipart/form-data");
    EXPECT_STATUS(no_boundary, 400);
    EXPECT_EQ(live_count(s, u), 0u);

    // Random bytes, and random mutations of a valid file: a 400 or a 201, never anything else,
    // and what the 201s say they saved is all that was saved.
    std::mt19937 rng(20261206);
    const std::string valid =
        "job_title,status,notes\r\n\"a,b\",Offer,\"q\"\"q\"\r\nplain,Applied,x\r\n";
    const std::string alphabet = std::string("ab,\"\r\n\0\xC3\xA9\xFF=' ", 14);
    size_t saved = 0;
    for (int i = 0; i < 60; ++i) {
        std::string text = valid;
        if (i % 2) {
            text.resize(rng() % 200);
            for (auto& c : text) c = static_cast<char>(rng());
        } else {
            for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k)
                text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
        }
        Response r = import_text(s, u, text);
        ASSERT_TRUE(r.status == 400 || r.status == 201) << r.describe();
        if (r.status == 201) saved += static_cast<size_t>(r.obj()["created"].as_int64());
    }
    EXPECT_EQ(live_count(s, u), saved);
}

TEST(TrackerCsv, BomLineEndMixesAndFormulaGuards) {
    const Server& s = shared_server();
    TestUser u = create_user(s, "trackmixes");
    // A byte order mark (Excel's "CSV UTF-8"); LF, CRLF and CR line ends in one file; a quoted
    // field across lines.
    Response ok =
        import_text(s, u,
                    "\xEF\xBB\xBFjob_title,status,notes\nA,Applied,=1+1\r\nB,Offer,'=SUM(A1)\r"
                    "C,Rejected,\"two\r\nlines\"\n\nD,,''@x");
    ASSERT_STATUS(ok, 201);
    EXPECT_JSON(ok, R"({"created":4})");
    json::array rows = get(s, std::string(kList), u.access).arr();
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(str(rows[0].as_object().at("job_title")), "A");
    EXPECT_EQ(str(rows[0].as_object().at("notes")), "=1+1");
    // The quote our export puts before a formula is taken off again.
    EXPECT_EQ(str(rows[1].as_object().at("notes")), "=SUM(A1)");
    EXPECT_EQ(str(rows[1].as_object().at("status")), "Offer");
    EXPECT_EQ(str(rows[2].as_object().at("notes")), "two\r\nlines");
    EXPECT_EQ(str(rows[3].as_object().at("status")), "Applied");
    EXPECT_EQ(str(rows[3].as_object().at("notes")), "'@x");
    // Line numbers count every kind of line end, and the lines inside quoted fields.
    Response bad = import_text(s, u, "job_title,status\nA,Applied\r\n\"B\nB\",Applied\rC,Nope\n");
    EXPECT_STATUS(bad, 400);
    EXPECT_JSON(
        bad,
        R"({"errors":[{"line":5,"column":"status","message":"\"Nope\" is not a valid choice."}]})");
    // Exported again, the formulas are guarded.
    Response exported = get(s, std::string(kExport), u.access);
    ASSERT_STATUS(exported, 200);
    EXPECT_NE(exported.body.find(",'=1+1,"), std::string::npos) << exported.body;
    EXPECT_NE(exported.body.find(",'=SUM(A1),"), std::string::npos) << exported.body;
    EXPECT_NE(exported.body.find(",''@x,"), std::string::npos) << exported.body;
}

TEST(TrackerCsv, ImportsAndRestoresKeepWithinTheQuota) {
    Server s(ServerOptions{.env = {{"RESUMATE_QUOTA_JOB_APPLICATIONS", "3"}}, .tag = "trackquota"});
    s.start();
    TestUser u = create_user(s, "trackquota");
    const std::string quota =
        R"({"detail":"Storage quota exceeded: at most 3 job applications per user.","code":"quota_exceeded"})";
    Response four = import_text(s, u, "job_title\r\na\r\nb\r\nc\r\nd\r\n");
    EXPECT_STATUS(four, 403);
    EXPECT_JSON(four, quota);
    EXPECT_EQ(live_count(s, u), 0u);
    Response three = import_text(s, u, "job_title\r\na\r\nb\r\nc\r\n");
    EXPECT_STATUS(three, 201);
    EXPECT_EQ(live_count(s, u), 3u);
    Response one = import_text(s, u, "job_title\r\nd\r\n");
    EXPECT_STATUS(one, 403);
    // Restoring one makes it count again: refused while the quota is full.
    json::array rows = get(s, std::string(kList), u.access).arr();
    const int64_t first = rows[0].as_object().at("id").as_int64();
    ASSERT_STATUS(del(s, path_of(first), u.access), 204);
    EXPECT_STATUS(post(s, std::string(kList), R"({"job_title":"e"})", u.access), 201);
    Response restore = call(s, "POST", path_of(first, "restore/"), std::nullopt, u.access);
    EXPECT_STATUS(restore, 403);
    EXPECT_JSON(restore, quota);
    EXPECT_EQ(ids_in(get(s, "/api/job-applications/trash/", u.access).arr()), (Ids{first}));
}

}  // namespace
}  // namespace e2e::tracker
