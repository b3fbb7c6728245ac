#include "jobs/job_store.hpp"

#include "db/in_list.hpp"

namespace resumate::jobs {
namespace {

constexpr std::string_view kColumns =
    "id, user_id, resume_used_id, job_title, company_name, original_job_description, date_applied, "
    "status, "
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

int64_t text_bytes(const JobApplication& a) {
    size_t n = 0;
    for (const auto* s : {&a.job_title, &a.company_name, &a.original_job_description, &a.notes}) {
        if (*s) n += (*s)->size();
    }
    return static_cast<int64_t>(n);
}

db::Value opt(const std::optional<std::string>& s) {
    return s ? db::Value(*s) : db::Value(db::null);
}

std::vector<JobApplication> all(const db::Result& res) {
    std::vector<JobApplication> out;
    out.reserve(res.rows.size());
    for (const auto& row : res.rows) out.push_back(from_row(row));
    return out;
}

struct Example {
    const char* title;
    const char* company;
    const char* description;
    const char* date;
    const char* status;
};

// The Django version's seed data: the public example applications.
constexpr Example kExamples[] = {
    {"Senior Python Developer", "TechCorp",
     "Seeking an experienced Python developer to work on our flagship data analysis platform.",
     "2025-07-10", "Applied"},
    {"Frontend Engineer (React)", "Innovate Inc.",
     "Join our dynamic frontend team to build beautiful and responsive user interfaces with React "
     "and "
     "TypeScript.",
     "2025-07-11", "Interviewing"},
    {"UX/UI Designer", "Creative Solutions",
     "We are looking for a talented designer to create intuitive and engaging user experiences for "
     "our mobile "
     "applications.",
     "2025-07-12", "Applied"},
    {"DevOps Engineer", "CloudNet",
     "Help us build and maintain our cloud infrastructure using AWS, Docker, and Kubernetes.",
     "2025-07-13", "Offer"},
    {"Product Manager", "Visionary Products",
     "Lead the development of our next-generation products from conception to launch.",
     "2025-07-14", "Rejected"},
};

}  // namespace

db::Task<std::vector<JobApplication>> JobStore::list(int64_t user_id, db::Page page) {
    static const std::string sql =
        "SELECT " + std::string(kColumns) +
        " FROM job_tracker_jobapplication WHERE user_id = $1 AND is_deleted = $2 ORDER BY id";
    static const std::string paged = sql + " LIMIT $3 OFFSET $4";
    // (No co_await inside ?: — GCC 12 miscompiles it.)
    db::Result res;
    if (page.limit > 0) {
        res = co_await db_.read(paged, user_id, false, page.limit, page.offset);
    } else {
        res = co_await db_.read(sql, user_id, false);
    }
    co_return all(res);
}

db::Task<int64_t> JobStore::count(int64_t user_id) {
    auto res = co_await db_.read(
        "SELECT COUNT(*) FROM job_tracker_jobapplication WHERE user_id = $1 AND is_deleted = $2",
        user_id, false);
    co_return res.rows.at(0).integer(0);
}

db::Task<std::optional<JobApplication>> JobStore::find(int64_t user_id, int64_t id) {
    static const std::string sql =
        "SELECT " + std::string(kColumns) +
        " FROM job_tracker_jobapplication WHERE id = $1 AND user_id = $2 AND is_deleted = $3";
    auto res = co_await db_.read(sql, id, user_id, false);
    if (res.empty()) co_return std::nullopt;
    co_return from_row(res.rows[0]);
}

db::Task<JobApplication> JobStore::create(const JobApplication& a) {
    static const std::string sql =
        "INSERT INTO job_tracker_jobapplication (job_title, company_name, "
        "original_job_description, date_applied, "
        "status, notes, is_deleted, is_example, created_at, updated_at, resume_used_id, user_id) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11) RETURNING " +
        std::string(kColumns);
    auto values = [&a] {
        return db::params(opt(a.job_title), opt(a.company_name), opt(a.original_job_description),
                          a.date_applied ? db::Value(*a.date_applied) : db::Value(db::null),
                          a.status, opt(a.notes), a.is_deleted, a.is_example, util::now(),
                          a.resume_used ? db::Value(*a.resume_used) : db::Value(db::null),
                          a.user_id);
    };
    db::Result res;
    if (!limits_) {
        auto p = values();
        res = co_await db_.execute(sql, std::move(p));
        co_return from_row(res.rows.at(0));
    }
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        co_await quotas::enforce(c, a.user_id, *limits_, quotas::NewRow::JobApplication,
                                 text_bytes(a));
        auto p = values();
        res = co_await c.execute(sql, std::move(p));
    });
    co_return from_row(res.rows.at(0));
}

db::Task<void> JobStore::update(const JobApplication& a) {
    static constexpr std::string_view sql =
        "UPDATE job_tracker_jobapplication SET job_title = $1, company_name = $2, "
        "original_job_description = $3, "
        "date_applied = $4, status = $5, notes = $6, resume_used_id = $7, updated_at = $8 "
        "WHERE id = $9 AND user_id = $10";
    auto values = [&a] {
        return db::params(opt(a.job_title), opt(a.company_name), opt(a.original_job_description),
                          a.date_applied ? db::Value(*a.date_applied) : db::Value(db::null),
                          a.status, opt(a.notes),
                          a.resume_used ? db::Value(*a.resume_used) : db::Value(db::null),
                          util::now(), a.id, a.user_id);
    };
    if (!limits_) {
        auto p = values();
        co_await db_.execute(sql, std::move(p));
        co_return;
    }
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        {
            auto old = co_await c.query(
                "SELECT COALESCE(octet_length(job_title), 0) + "
                "COALESCE(octet_length(company_name), 0) + "
                "COALESCE(octet_length(original_job_description), 0) + "
                "COALESCE(octet_length(notes), 0) "
                "FROM job_tracker_jobapplication WHERE id = $1 AND user_id = $2",
                a.id, a.user_id);
            int64_t before = old.empty() ? 0 : old.rows[0].integer(0);
            co_await quotas::enforce(c, a.user_id, *limits_, quotas::NewRow::None,
                                     text_bytes(a) - before);
        }
        auto p = values();
        co_await c.execute(sql, std::move(p));
    });
}

db::Task<db::ListHead<JobApplication>> JobStore::list_head(int64_t user_id) {
    // `before`: the text bytes of the rows ahead of this one in the list. Only rows that start
    // within the budget are joined to their columns; the others come as their id alone.
    static const std::string sql =
        "SELECT l.id, j.user_id, j.resume_used_id, j.job_title, j.company_name, "
        "j.original_job_description, j.date_applied, j.status, j.notes, j.is_deleted, "
        "j.is_example, j.created_at, j.updated_at "
        "FROM (SELECT id, SUM(w) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) - w AS before FROM "
        "(SELECT id, COALESCE(octet_length(job_title), 0) + COALESCE(octet_length(company_name), "
        "0) + COALESCE(octet_length(original_job_description), 0) + "
        "COALESCE(octet_length(notes), 0) AS w FROM job_tracker_jobapplication WHERE user_id = $1 "
        "AND is_deleted = $2) s) l "
        "LEFT JOIN job_tracker_jobapplication j ON j.id = l.id AND l.before < $3 ORDER BY l.id";
    auto res = co_await db_.read(sql, user_id, false, db::kListHeadBytes);
    db::ListHead<JobApplication> out;
    for (const auto& row : res.rows) {
        if (row.is_null(1)) {
            out.rest.push_back(row.integer(0));
        } else {
            out.rows.push_back(from_row(row));
        }
    }
    co_return out;
}

db::Task<std::vector<JobApplication>> JobStore::fetch(int64_t user_id,
                                                      const std::vector<int64_t>& ids) {
    static const auto statements = db::in_list_statements(
        "SELECT " + std::string(kColumns) +
            " FROM job_tracker_jobapplication WHERE user_id = $1 AND is_deleted = $2 AND id IN ",
        3);
    if (ids.empty() || ids.size() > db::kMaxInList) throw db::DbError("fetch: 1 to 64 ids");
    auto params = db::params(user_id, false);
    for (int64_t id : ids) params.emplace_back(id);
    auto res = co_await db_.execute_read(statements.at(ids.size()), std::move(params));
    co_return db::in_order_of(ids, all(res), [](const JobApplication& a) { return a.id; });
}

db::Task<bool> JobStore::remove(int64_t user_id, int64_t id) {
    auto res = co_await db_.query(
        "UPDATE job_tracker_jobapplication SET is_deleted = $1, updated_at = $2 "
        "WHERE id = $3 AND user_id = $4 AND is_deleted = $5",
        true, util::now(), id, user_id, false);
    co_return res.affected > 0;
}

db::Task<std::vector<JobApplication>> JobStore::examples() {
    static const std::string sql = "SELECT " + std::string(kColumns) +
                                   " FROM job_tracker_jobapplication WHERE is_example = $1 AND "
                                   "is_deleted = $2 ORDER BY id LIMIT 5";
    co_return all(co_await db_.read(sql, true, false));
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
        co_await db::lock_for_setup(c, db_.dialect());
        for (const auto& e : kExamples) {
            auto found = co_await c.query(
                "SELECT 1 FROM job_tracker_jobapplication WHERE is_example = $1 AND job_title = $2 "
                "AND company_name = $3",
                true, std::string(e.title), std::string(e.company));
            if (!found.empty()) continue;
            co_await c.query(
                "INSERT INTO job_tracker_jobapplication (job_title, company_name, "
                "original_job_description, "
                "date_applied, status, notes, is_deleted, is_example, created_at, updated_at, "
                "resume_used_id, user_id) "
                "VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $8, NULL, $9)",
                std::string(e.title), std::string(e.company), std::string(e.description),
                *util::parse_date(e.date), std::string(e.status), false, true, util::now(),
                example_user_id);
            ++inserted;
        }
    });
    co_return inserted;
}

}  // namespace resumate::jobs
