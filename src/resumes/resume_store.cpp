#include "resumes/resume_store.hpp"

#include "db/in_list.hpp"

namespace resumate::resumes {
namespace {

constexpr std::string_view kSelect =
    "SELECT r.id, r.user_id, u.username, r.title, r.content, r.created_at, r.updated_at "
    "FROM resume_resume r JOIN auth_user u ON u.id = r.user_id ";

Resume from_row(const db::Row& row) {
    return Resume{row.integer(0), row.integer(1),   row.text(2),     row.text(3),
                  row.text(4),    row.timestamp(5), row.timestamp(6)};
}

}  // namespace

db::Task<std::vector<Resume>> ResumeStore::list(int64_t user_id, db::Page page) {
    static const std::string all =
        std::string(kSelect) + "WHERE r.user_id = $1 ORDER BY r.updated_at DESC, r.id DESC";
    static const std::string paged = all + " LIMIT $2 OFFSET $3";
    db::Result res;
    if (page.limit > 0) {
        res = co_await db_.read(paged, user_id, page.limit, page.offset);
    } else {
        res = co_await db_.read(all, user_id);
    }
    std::vector<Resume> out;
    out.reserve(res.rows.size());
    for (const auto& row : res.rows) out.push_back(from_row(row));
    co_return out;
}

db::Task<db::ListHead<Resume>> ResumeStore::list_head(int64_t user_id) {
    // `before`: the text bytes of the rows ahead of this one in the list. Only rows that start
    // within the budget are joined to their columns; the others come as their id alone.
    static const std::string sql =
        "SELECT l.id, r.user_id, u.username, r.title, r.content, r.created_at, r.updated_at "
        "FROM (SELECT id, updated_at, SUM(w) OVER (ORDER BY updated_at DESC, id DESC ROWS "
        "UNBOUNDED PRECEDING) - w AS before FROM (SELECT id, updated_at, octet_length(title) + "
        "octet_length(content) AS w FROM resume_resume WHERE user_id = $1) s) l "
        "LEFT JOIN resume_resume r ON r.id = l.id AND l.before < $2 "
        "LEFT JOIN auth_user u ON u.id = r.user_id ORDER BY l.updated_at DESC, l.id DESC";
    auto res = co_await db_.read(sql, user_id, db::kListHeadBytes);
    co_return db::ListHead<Resume>::read(res, from_row);
}

db::Task<std::vector<Resume>> ResumeStore::fetch(int64_t user_id, const std::vector<int64_t>& ids) {
    static const auto statements =
        db::in_list_statements(std::string(kSelect) + "WHERE r.user_id = $1 AND r.id IN ", 2);
    if (ids.empty() || ids.size() > db::kMaxInList) throw db::DbError("fetch: 1 to 64 ids");
    auto params = db::params(user_id);
    for (int64_t id : ids) params.emplace_back(id);
    auto res = co_await db_.execute_read(statements.at(ids.size()), std::move(params));
    std::vector<Resume> out;
    out.reserve(res.rows.size());
    for (const auto& row : res.rows) out.push_back(from_row(row));
    co_return db::in_order_of(ids, std::move(out), [](const Resume& r) { return r.id; });
}

db::Task<int64_t> ResumeStore::remove_created_before(int64_t user_id, util::Timestamp cutoff,
                                                     int64_t batch) {
    int64_t removed = 0;
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        auto doomed = co_await c.query(
            "SELECT id FROM resume_resume WHERE user_id = $1 AND created_at < $2 ORDER BY id LIMIT "
            "$3",
            user_id, cutoff, batch);
        for (const auto& row : doomed.rows) {
            int64_t id = row.integer(0);
            // Django's on_delete=SET_NULL, done by the ORM rather than the database.
            co_await c.query(
                "UPDATE job_tracker_jobapplication SET resume_used_id = NULL WHERE resume_used_id "
                "= $1",
                id);
            co_await c.query("DELETE FROM resume_resume WHERE id = $1", id);
            ++removed;
        }
    });
    co_return removed;
}

db::Task<int64_t> ResumeStore::count(int64_t user_id) {
    auto res = co_await db_.read("SELECT COUNT(*) FROM resume_resume WHERE user_id = $1", user_id);
    co_return res.rows.at(0).integer(0);
}

db::Task<std::optional<Resume>> ResumeStore::find(int64_t user_id, int64_t id) {
    static const std::string sql = std::string(kSelect) + "WHERE r.id = $1 AND r.user_id = $2";
    auto res = co_await db_.read(sql, id, user_id);
    if (res.empty()) co_return std::nullopt;
    co_return from_row(res.rows[0]);
}

db::Task<bool> ResumeStore::exists(int64_t user_id, int64_t id) {
    auto res = co_await db_.read("SELECT 1 FROM resume_resume WHERE id = $1 AND user_id = $2", id,
                                 user_id);
    co_return !res.empty();
}

db::Task<Resume> ResumeStore::create(const Resume& r) {
    const int64_t user_id = r.user_id;
    const std::string& title = r.title;
    const std::string& content = r.content;
    static constexpr std::string_view sql =
        "INSERT INTO resume_resume (title, content, created_at, updated_at, user_id) "
        "VALUES ($1, $2, $3, $3, $4) RETURNING id";
    auto now = util::now();
    int64_t id = 0;
    if (limits_) {
        co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
            auto added = static_cast<int64_t>(title.size() + content.size());
            co_await quotas::enforce(c, user_id, *limits_, quotas::NewRow::Resume, added);
            auto res = co_await c.query(sql, title, content, now, user_id);
            id = res.rows.at(0).integer(0);
        });
    } else {
        auto res = co_await db_.query(sql, title, content, now, user_id);
        id = res.rows.at(0).integer(0);
    }
    auto created = co_await find(user_id, id);
    co_return created.value();
}

db::Task<void> ResumeStore::update(const Resume& r) {
    static constexpr std::string_view sql =
        "UPDATE resume_resume SET title = $1, content = $2, updated_at = $3 WHERE id = $4 AND "
        "user_id = $5";
    if (!limits_) {
        co_await db_.query(sql, r.title, r.content, util::now(), r.id, r.user_id);
        co_return;
    }
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        auto old = co_await c.query(
            "SELECT octet_length(title) + octet_length(content) FROM resume_resume WHERE id = $1 "
            "AND user_id = $2",
            r.id, r.user_id);
        int64_t before = old.empty() ? 0 : old.rows[0].integer(0);
        auto after = static_cast<int64_t>(r.title.size() + r.content.size());
        co_await quotas::enforce(c, r.user_id, *limits_, quotas::NewRow::None, after - before);
        co_await c.query(sql, r.title, r.content, util::now(), r.id, r.user_id);
    });
}

db::Task<bool> ResumeStore::remove(int64_t user_id, int64_t id) {
    bool removed = false;
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        auto owned = co_await c.query("SELECT 1 FROM resume_resume WHERE id = $1 AND user_id = $2",
                                      id, user_id);
        if (owned.empty()) co_return;
        // Django's on_delete=SET_NULL, done by the ORM rather than the database.
        co_await c.query(
            "UPDATE job_tracker_jobapplication SET resume_used_id = NULL WHERE resume_used_id = $1",
            id);
        co_await c.query("DELETE FROM resume_resume WHERE id = $1", id);
        removed = true;
    });
    co_return removed;
}

db::Task<int64_t> erase_user_resumes(db::Connection& c, int64_t user_id) {
    // Django's on_delete=SET_NULL, done by the ORM rather than the database.
    co_await c.query(
        "UPDATE job_tracker_jobapplication SET resume_used_id = NULL WHERE resume_used_id IN "
        "(SELECT id FROM resume_resume WHERE user_id = $1)",
        user_id);
    auto res = co_await c.query("DELETE FROM resume_resume WHERE user_id = $1", user_id);
    co_return res.affected;
}

}  // namespace resumate::resumes
