#include "users/account_store.hpp"

#include "util/time.hpp"

namespace resumate::users {
namespace {

db::Task<int64_t> blacklist_refresh_tokens(db::Connection& c, int64_t user_id,
                                           util::Timestamp now) {
    auto res = co_await c.query(
        "INSERT INTO token_blacklist_blacklistedtoken (blacklisted_at, token_id) "
        "SELECT $1, o.id FROM token_blacklist_outstandingtoken o WHERE o.user_id = $2 "
        "AND o.expires_at > $1 AND NOT EXISTS (SELECT 1 FROM token_blacklist_blacklistedtoken b "
        "WHERE b.token_id = o.id)",
        now, user_id);
    co_return res.affected;
}

}  // namespace

db::Task<int64_t> AccountStore::change_password(int64_t user_id, const std::string& hash) {
    int64_t blacklisted = 0;
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        co_await c.query("UPDATE auth_user SET password = $1 WHERE id = $2", hash, user_id);
        blacklisted = co_await blacklist_refresh_tokens(c, user_id, util::now());
    });
    co_return blacklisted;
}

db::Task<std::optional<std::vector<std::pair<std::string, int64_t>>>> AccountStore::delete_user(
    int64_t user_id, const std::vector<UserData>& user_data) {
    std::vector<std::pair<std::string, int64_t>> counts;
    bool found = false;
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        // The row first, locked, so that two deletions of one account do not both report.
        const bool postgres = c.dialect() == db::Dialect::Postgres;
        auto user = co_await c.query(postgres ? "SELECT id FROM auth_user WHERE id = $1 FOR UPDATE"
                                              : "SELECT id FROM auth_user WHERE id = $1",
                                     user_id);
        if (user.empty()) co_return;
        found = true;
        for (const auto& data : user_data) {
            const int64_t erased = co_await data.erase(c, user_id);
            counts.emplace_back(data.name, erased);
        }
        co_await blacklist_refresh_tokens(c, user_id, util::now());
        co_await c.query(
            "UPDATE token_blacklist_outstandingtoken SET user_id = NULL WHERE user_id = $1",
            user_id);
        co_await c.query("DELETE FROM resumate_apikey WHERE user_id = $1", user_id);
        co_await c.query("DELETE FROM auth_user_groups WHERE user_id = $1", user_id);
        co_await c.query("DELETE FROM auth_user_user_permissions WHERE user_id = $1", user_id);
        co_await c.query("DELETE FROM django_admin_log WHERE user_id = $1", user_id);
        co_await c.query("DELETE FROM auth_user WHERE id = $1", user_id);
    });
    if (!found) co_return std::nullopt;
    co_return counts;
}

}  // namespace resumate::users
