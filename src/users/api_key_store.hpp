// users/: personal API keys for integrations (table resumate_apikey, ours). A key is shown once,
// when it is made; only its SHA-256 is stored, with a short prefix to tell keys apart.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "util/time.hpp"

namespace resumate::users {

struct ApiKey {
    int64_t id = 0;
    int64_t user_id = 0;
    std::string name;
    bool can_write = false;  // scopes: "read", or "read" and "write"
    std::string prefix;      // the key's first characters, e.g. "rm_Ab12Cd34"
    util::Timestamp created_at;
    std::optional<util::Timestamp> expires_at;
    std::optional<util::Timestamp> last_used_at;
};

// A key as made: the secret (shown once) and what is stored of it.
struct NewApiKey {
    std::string key;   // "rm_" and 40 characters of [A-Za-z0-9]: about 238 random bits
    std::string hash;  // hex SHA-256 of `key`
    std::string prefix;
};
NewApiKey generate_api_key();
// The hash a presented key is looked up by; nullopt for text that cannot be a key.
std::optional<std::string> api_key_hash(std::string_view presented);

// The key a request presented, with what authentication needs of its user (one query).
struct ApiKeyOwner {
    ApiKey key;
    std::string username;
    bool is_active = false;
};

// A user may hold this many keys at most.
inline constexpr int64_t kMaxApiKeysPerUser = 100;

class ApiKeyStore {
  public:
    explicit ApiKeyStore(db::Database& db) : db_(db) {}
    // Newest first.
    db::Task<std::vector<ApiKey>> list(int64_t user_id);
    db::Task<int64_t> count(int64_t user_id);
    // `key.id` is set here, `last_used_at` left NULL; returns the row as stored.
    db::Task<ApiKey> create(const ApiKey& key, const std::string& hash);
    db::Task<bool> remove(int64_t user_id, int64_t id);
    // Always on the primary: a key revoked a moment ago must not work on a lagging replica.
    db::Task<std::optional<ApiKeyOwner>> find_by_hash(const std::string& hash);
    // Records a use at `now` unless one was recorded in the minute before (so a busy key costs
    // at most one write a minute, however many instances serve it).
    db::Task<void> touch(int64_t id, util::Timestamp now);

  private:
    db::Database& db_;
};

}  // namespace resumate::users
