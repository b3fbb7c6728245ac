#include "users/api_key_store.hpp"

#include "util/digest.hpp"
#include "util/strings.hpp"

namespace resumate::users {
namespace {

constexpr std::string_view kKeyPrefix = "rm_";
constexpr size_t kSecretLength = 40;
constexpr size_t kShownPrefix = 8;  // characters after "rm_" kept to tell keys apart

constexpr std::string_view kApiKeyColumns =
    "k.id, k.user_id, k.name, k.scopes, k.prefix, k.created_at, k.expires_at, k.last_used_at";

std::string_view scopes_text(bool can_write) {
    return can_write ? "read,write" : "read";
}

ApiKey key_from_row(const db::Row& r) {
    ApiKey k;
    k.id = r.integer(0);
    k.user_id = r.integer(1);
    k.name = r.text(2);
    k.can_write = r.text(3) == scopes_text(true);
    k.prefix = r.text(4);
    k.created_at = r.timestamp(5);
    k.expires_at = r.optional_timestamp(6);
    k.last_used_at = r.optional_timestamp(7);
    return k;
}

db::Value optional_value(const std::optional<util::Timestamp>& t) {
    return t ? db::Value(*t) : db::Value(db::null);
}

}  // namespace

NewApiKey generate_api_key() {
    NewApiKey out;
    out.key = std::string(kKeyPrefix) + util::random_string(kSecretLength);
    out.hash = *api_key_hash(out.key);
    out.prefix = out.key.substr(0, kKeyPrefix.size() + kShownPrefix);
    return out;
}

std::optional<std::string> api_key_hash(std::string_view presented) {
    if (presented.size() != kKeyPrefix.size() + kSecretLength || !presented.starts_with(kKeyPrefix))
        return std::nullopt;
    for (char c : presented.substr(kKeyPrefix.size())) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) return std::nullopt;
    }
    return util::digest::hex(util::digest::sha256(presented));
}

db::Task<std::vector<ApiKey>> ApiKeyStore::list(int64_t user_id) {
    static const std::string sql = "SELECT " + std::string(kApiKeyColumns) +
                                   " FROM resumate_apikey k WHERE k.user_id = $1 "
                                   "ORDER BY k.created_at DESC, k.id DESC";
    auto res = co_await db_.read(sql, user_id);
    std::vector<ApiKey> out;
    out.reserve(res.rows.size());
    for (const auto& row : res.rows) out.push_back(key_from_row(row));
    co_return out;
}

db::Task<int64_t> ApiKeyStore::count(int64_t user_id) {
    auto res =
        co_await db_.read("SELECT COUNT(*) FROM resumate_apikey WHERE user_id = $1", user_id);
    co_return res.rows.at(0).integer(0);
}

db::Task<ApiKey> ApiKeyStore::create(const ApiKey& key, const std::string& hash) {
    ApiKey stored = key;
    stored.last_used_at.reset();
    auto res = co_await db_.execute(
        "INSERT INTO resumate_apikey (user_id, name, prefix, key_hash, scopes, created_at, "
        "expires_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) RETURNING id",
        db::params(stored.user_id, stored.name, stored.prefix, hash,
                   std::string(scopes_text(stored.can_write)), stored.created_at,
                   optional_value(stored.expires_at)));
    stored.id = res.rows.at(0).integer(0);
    co_return stored;
}

db::Task<bool> ApiKeyStore::remove(int64_t user_id, int64_t id) {
    auto res = co_await db_.query("DELETE FROM resumate_apikey WHERE id = $1 AND user_id = $2", id,
                                  user_id);
    co_return res.affected > 0;
}

db::Task<std::optional<ApiKeyOwner>> ApiKeyStore::find_by_hash(const std::string& hash) {
    static const std::string sql = "SELECT " + std::string(kApiKeyColumns) +
                                   ", u.username, u.is_active FROM resumate_apikey k "
                                   "JOIN auth_user u ON u.id = k.user_id WHERE k.key_hash = $1";
    auto res = co_await db_.query(sql, hash);
    if (res.empty()) co_return std::nullopt;
    const db::Row& row = res.rows[0];
    co_return ApiKeyOwner{key_from_row(row), row.text(8), row.boolean(9)};
}

db::Task<void> ApiKeyStore::touch(int64_t id, util::Timestamp now) {
    const util::Timestamp minute_ago{now.micros - 60'000'000};
    co_await db_.query(
        "UPDATE resumate_apikey SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR "
        "last_used_at <= $3)",
        now, id, minute_ago);
}

}  // namespace resumate::users
