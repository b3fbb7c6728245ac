#include "jobs/job_store.hpp"

namespace resumate::jobs {
namespace {

constexpr std::string_view kColumns =
    "id, user_id, resume_used_id, job_title, company_name, original_job_description, date_applied, status, "
    "notes, is_deleted, is_example, created_at, updated_at";

JobApplication from_row(const db::Row& r) {
    JobApplication a;
    a.id = r.integer(0);
    a.user_id = r.integer(1);
    a.resume_used = r.optional_integer(2);
    a.job_title = r.optional_text(3);
    a.company_name = r.optional_text(4);
    a.original_job_description = r.optional_text(5);
    a.date_applied = r.optional_date(6);
    a.status = r.text(7);
    a.notes = r.optional_text(8);
    a.is_deleted = r.boolean(9);
    a.is_example = r.boolean(10);
    a.created_at = r.timestamp(11);
    a.updated_at = r.timestamp(12);
    return a;
}

db::Value opt(const std::optional<std::string>& s) { return s ? db::Value(*s) : db::Value(db::null); }

std::vector<JobApplication> all(const db::Result& res) {
    std::vector<JobApplication> out;
    out.reserve(res.rows.size());
    for (const auto& row : res.rows) out.push_back(from_row(row));
    return out;
}

constexpr std::string_view kSqlite = R"(
CREATE TABLE "job_tracker_jobapplication" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "job_title" varchar(255) NULL, "company_name" varchar(255) NULL, "original_job_description" text NULL, "date_applied" date NULL, "status" varchar(20) NOT NULL, "notes" text NULL, "is_deleted" bool NOT NULL, "is_example" bool NOT NULL, "created_at" datetime NOT NULL, "updated_at" datetime NOT NULL, "resume_used_id" bigint NULL REFERENCES "resume_resume" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "job_tracker_jobapplication_resume_used_id_68776f96" ON "job_tracker_jobapplication" ("resume_used_id");
CREATE INDEX "job_tracker_jobapplication_user_id_a3f6cbf6" ON "job_tracker_jobapplication" ("user_id");
)";

struct Example {
    const char* title;
    const char* company;
    const char* description;
    const char* date;
    const char* status;
};

// The original's seed data (transcript §6).
constexpr Example kExamples[] = {
    {"Senior Python Developer", "TechCorp",
     "Seeking an experienced Python developer to work on our flagship data analysis platform.", "2025-07-10",
     "Applied"},
    {"Frontend Engineer (React)", "Innovate Inc.",
     "Join our dynamic frontend team to build beautiful and responsive user interfaces with React and "
     "TypeScript.",
     "2025-07-11", "Interviewing"},
    {"UX/UI Designer", "Creative Solutions",
     "We are looking for a talented designer to create intuitive and engaging user experiences for our mobile "
     "applications.",
     "2025-07-12", "Applied"},
    {"DevOps Engineer", "CloudNet",
     "Help us build and maintain our cloud infrastructure using AWS, Docker, and Kubernetes.", "2025-07-13",
     "Offer"},
    {"Product Manager", "Visionary Products",
     "Lead the development of our next-generation products from conception to launch.", "2025-07-14",
     "Rejected"},
};

}  // namespace

std::vector<db::Migration> migrations() {
    return {{"job_tracker", "0001_initial", kSqlite, "", "job_tracker_jobapplication"}};
}

db::Task<std::vector<JobApplication>> JobStore::list(int64_t user_id, int64_t limit, int64_t offset) {
    static const std::string sql = "SELECT " + std::string(kColumns) +
                                   " FROM job_tracker_jobapplication WHERE user_id = $1 AND is_deleted = $2 ORDER BY id";
    static const std::string paged = sql + " LIMIT $3 OFFSET $4";
    // (No co_await inside ?: — GCC 12 miscompiles it.)
    db::Result res;
    if (limit > 0) {
        res = co_await db_.query(paged, user_id, false, limit, offset);
    } else {
        res = co_await db_.query(sql, user_id, false);
    }
    co_return all(res);
}

db::Task<int64_t> JobStore::count(int64_t user_id) {
    auto res = co_await db_.query(
        "SELECT COUNT(*) FROM job_tracker_jobapplication WHERE user_id = $1 AND is_deleted = $2", user_id, false);
    co_return res.rows.at(0).integer(0);
}

db::Task<std::optional<JobApplication>> JobStore::find(int64_t user_id, int64_t id) {
    static const std::string sql = "SELECT " + std::string(kColumns) +
                                   " FROM job_tracker_jobapplication WHERE id = $1 AND user_id = $2 AND is_deleted = $3";
    auto res = co_await db_.query(sql, id, user_id, false);
    if (res.empty()) co_return std::nullopt;
    co_return from_row(res.rows[0]);
}

db::Task<JobApplication> JobStore::create(const JobApplication& a) {
    static const std::string sql =
        "INSERT INTO job_tracker_jobapplication (job_title, company_name, original_job_description, date_applied, "
        "status, notes, is_deleted, is_example, created_at, updated_at, resume_used_id, user_id) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11) RETURNING " + std::string(kColumns);
    auto res = co_await db_.query(
        sql, opt(a.job_title), opt(a.company_name), opt(a.original_job_description),
              a.date_applied ? db::Value(*a.date_applied) : db::Value(db::null), a.status, opt(a.notes), a.is_deleted,
              a.is_example, util::now(), a.resume_used ? db::Value(*a.resume_used) : db::Value(db::null), a.user_id);
    co_return from_row(res.rows.at(0));
}

db::Task<void> JobStore::update(const JobApplication& a) {
    co_await db_.query(
        "UPDATE job_tracker_jobapplication SET job_title = $1, company_name = $2, original_job_description = $3, "
        "date_applied = $4, status = $5, notes = $6, resume_used_id = $7, updated_at = $8 "
        "WHERE id = $9 AND user_id = $10", opt(a.job_title), opt(a.company_name), opt(a.original_job_description),
         a.date_applied ? db::Value(*a.date_applied) : db::Value(db::null), a.status, opt(a.notes),
         a.resume_used ? db::Value(*a.resume_used) : db::Value(db::null), util::now(), a.id, a.user_id);
}

db::Task<bool> JobStore::soft_delete(int64_t user_id, int64_t id) {
    auto res = co_await db_.query(
        "UPDATE job_tracker_jobapplication SET is_deleted = $1, updated_at = $2 "
        "WHERE id = $3 AND user_id = $4 AND is_deleted = $5", true, util::now(), id, user_id, false);
    co_return res.affected > 0;
}

db::Task<std::vector<JobApplication>> JobStore::examples() {
    static const std::string sql = "SELECT " + std::string(kColumns) +
                                   " FROM job_tracker_jobapplication WHERE is_example = $1 AND is_deleted = $2 ORDER BY id LIMIT 5";
    co_return all(co_await db_.query(sql, true, false));
}

db::Task<std::optional<JobApplication>> JobStore::example(int64_t id) {
    auto rows = co_await examples();
    for (auto& a : rows) {
        if (a.id == id) co_return a;
    }
    co_return std::nullopt;
}

db::Task<int> JobStore::seed_examples(int64_t example_user_id) {
    int inserted = 0;
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        for (const auto& e : kExamples) {
            auto found = co_await c.query(
                "SELECT 1 FROM job_tracker_jobapplication WHERE is_example = $1 AND job_title = $2 AND company_name = $3", true, std::string(e.title), std::string(e.company));
            if (!found.empty()) continue;
            co_await c.query(
                "INSERT INTO job_tracker_jobapplication (job_title, company_name, original_job_description, "
                "date_applied, status, notes, is_deleted, is_example, created_at, updated_at, resume_used_id, user_id) "
                "VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $8, NULL, $9)", std::string(e.title), std::string(e.company), std::string(e.description),
                 *util::parse_date(e.date), std::string(e.status), false, true, util::now(), example_user_id);
            ++inserted;
        }
    });
    co_return inserted;
}

}  // namespace resumate::jobs
