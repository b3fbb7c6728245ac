#include "resumes/resume_store.hpp"

namespace resumate::resumes {
namespace {

constexpr std::string_view kSelect =
    "SELECT r.id, r.user_id, u.username, r.title, r.content, r.created_at, r.updated_at "
    "FROM resume_resume r JOIN auth_user u ON u.id = r.user_id ";

Resume from_row(const db::Row& row) {
    return Resume{row.integer(0), row.integer(1), row.text(2), row.text(3), row.text(4), row.timestamp(5),
                  row.timestamp(6)};
}

constexpr std::string_view kSqlite = R"(
CREATE TABLE "resume_resume" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(255) NOT NULL, "content" text NOT NULL, "created_at" datetime NOT NULL, "updated_at" datetime NOT NULL, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "resume_resume_user_id_0b155703" ON "resume_resume" ("user_id");
)";

}  // namespace

std::vector<db::Migration> migrations() { return {{"resume", "0001_initial", kSqlite, "", "resume_resume"}}; }

db::Task<std::vector<Resume>> ResumeStore::list(int64_t user_id, Page page) {
    static const std::string all = std::string(kSelect) + "WHERE r.user_id = $1 ORDER BY r.updated_at DESC, r.id DESC";
    static const std::string paged = all + " LIMIT $2 OFFSET $3";
    db::Result res;
    if (page.limit > 0) {
        res = co_await db_.query(paged, user_id, page.limit, page.offset);
    } else {
        res = co_await db_.query(all, user_id);
    }
    std::vector<Resume> out;
    out.reserve(res.rows.size());
    for (const auto& row : res.rows) out.push_back(from_row(row));
    co_return out;
}

db::Task<int64_t> ResumeStore::count(int64_t user_id) {
    auto res = co_await db_.query("SELECT COUNT(*) FROM resume_resume WHERE user_id = $1", user_id);
    co_return res.rows.at(0).integer(0);
}

db::Task<std::optional<Resume>> ResumeStore::find(int64_t user_id, int64_t id) {
    static const std::string sql = std::string(kSelect) + "WHERE r.id = $1 AND r.user_id = $2";
    auto res = co_await db_.query(sql, id, user_id);
    if (res.empty()) co_return std::nullopt;
    co_return from_row(res.rows[0]);
}

db::Task<bool> ResumeStore::exists(int64_t user_id, int64_t id) {
    auto res = co_await db_.query("SELECT 1 FROM resume_resume WHERE id = $1 AND user_id = $2", id, user_id);
    co_return !res.empty();
}

db::Task<Resume> ResumeStore::create(int64_t user_id, std::string title, std::string content) {
    auto now = util::now();
    auto res = co_await db_.query(
        "INSERT INTO resume_resume (title, content, created_at, updated_at, user_id) "
        "VALUES ($1, $2, $3, $3, $4) RETURNING id", title, content, now, user_id);
    int64_t id = res.rows.at(0).integer(0);
    auto created = co_await find(user_id, id);
    co_return created.value();
}

db::Task<void> ResumeStore::update(const Resume& r) {
    co_await db_.query("UPDATE resume_resume SET title = $1, content = $2, updated_at = $3 WHERE id = $4 AND user_id = $5", r.title, r.content, util::now(), r.id, r.user_id);
}

db::Task<bool> ResumeStore::remove(int64_t user_id, int64_t id) {
    bool removed = false;
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        auto owned = co_await c.query("SELECT 1 FROM resume_resume WHERE id = $1 AND user_id = $2", id, user_id);
        if (owned.empty()) co_return;
        // Django's on_delete=SET_NULL, done by the ORM rather than the database.
        co_await c.query("UPDATE job_tracker_jobapplication SET resume_used_id = NULL WHERE resume_used_id = $1", id);
        co_await c.query("DELETE FROM resume_resume WHERE id = $1", id);
        removed = true;
    });
    co_return removed;
}

}  // namespace resumate::resumes
