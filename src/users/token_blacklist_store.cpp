#include "users/token_blacklist_store.hpp"

namespace resumate::users {
namespace {

util::Timestamp from_epoch_seconds(int64_t seconds) {
    return util::Timestamp{seconds * 1'000'000};
}

}  // namespace

db::Task<void> TokenBlacklistStore::record_outstanding(int64_t user_id, const std::string& jti,
                                                       const std::string& token,
                                                       int64_t exp_seconds) {
    co_await db_.query(
        "INSERT INTO token_blacklist_outstandingtoken (token, created_at, expires_at, user_id, "
        "jti) "
        "VALUES ($1, $2, $3, $4, $5)",
        token, util::now(), from_epoch_seconds(exp_seconds), user_id, jti);
}

db::Task<bool> TokenBlacklistStore::is_blacklisted(const std::string& jti) {
    auto res = co_await db_.read(
        "SELECT 1 FROM token_blacklist_blacklistedtoken b JOIN token_blacklist_outstandingtoken o "
        "ON o.id = b.token_id WHERE o.jti = $1",
        jti);
    co_return !res.empty();
}

db::Task<bool> TokenBlacklistStore::blacklist(const std::string& jti, const std::string& token,
                                              int64_t exp_seconds) {
    bool added = false;
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        // get_or_create, safe against a concurrent insert of the same jti.
        co_await c.query(
            "INSERT INTO token_blacklist_outstandingtoken (token, created_at, expires_at, user_id, "
            "jti) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (jti) DO NOTHING",
            token, db::null, from_epoch_seconds(exp_seconds), db::null, jti);
        auto res = co_await c.query(
            "INSERT INTO token_blacklist_blacklistedtoken (blacklisted_at, token_id) "
            "SELECT $1, id FROM token_blacklist_outstandingtoken WHERE jti = $2 "
            "ON CONFLICT (token_id) DO NOTHING",
            util::now(), jti);
        added = res.affected > 0;
    });
    co_return added;
}

db::Task<int64_t> TokenBlacklistStore::flush_expired(util::Timestamp now) {
    int64_t deleted = 0;
    co_await db_.transaction([&](db::Connection& c) -> db::Task<void> {
        // Django cascades in Python (the foreign key has no ON DELETE): children first.
        co_await c.query(
            "DELETE FROM token_blacklist_blacklistedtoken WHERE token_id IN "
            "(SELECT id FROM token_blacklist_outstandingtoken WHERE expires_at <= $1)",
            now);
        auto res = co_await c.query(
            "DELETE FROM token_blacklist_outstandingtoken WHERE expires_at <= $1", now);
        deleted = res.affected;
    });
    co_return deleted;
}

}  // namespace resumate::users
