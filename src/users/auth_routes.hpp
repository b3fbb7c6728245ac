#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "http/context.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "users/account_store.hpp"
#include "users/password_hasher.hpp"
#include "users/password_validators.hpp"
#include "users/tokens.hpp"
#include "users/user_store.hpp"
#include "util/worker_pool.hpp"

namespace resumate::users {

class LoginGuard;

struct AuthSettings {
    TokenSettings tokens;
    Argon2Params argon2;
    // Password hashes in flight at most (running on the CPU pool or queued for it);
    // RESUMATE_HASH_QUEUE sets the queued part. More are answered 503 at once.
    std::size_t max_hashing = 1;
};

// DRF's authentication classes in order: simplejwt's JWTAuthentication (`Bearer <access
// token>` → active user, whose password the token was issued under) and, beyond the original,
// a personal API key (`Api-Key rm_…` → its active user, never staff, read-only unless the key
// has the write scope). Any other scheme: anonymous.
class RequestAuthenticator final : public http::Authenticator {
  public:
    RequestAuthenticator(db::Database& db, const AuthSettings& settings)
        : db_(db), settings_(settings) {}
    http::Task<std::optional<http::Principal>> authenticate(const http::Request& req) override;

  private:
    http::Task<http::Principal> with_token(std::string_view token);
    http::Task<http::Principal> with_api_key(std::string_view key);

    db::Database& db_;
    const AuthSettings& settings_;
};

// POST /api/auth/register/, token/, token/refresh/, token/verify/, token/blacklist/; beyond the
// original, the account's own routes (account_routes.cpp): api-keys/, password/change/,
// account/. Password hashes run on `cpu_pool`; `guard` (optional) answers 429 to repeated failed
// logins; `user_data`: what account deletion removes besides the user's own rows.
// `settings` and `cpu_pool` must outlive the routes.
class AuthRoutes {
  public:
    AuthRoutes(const AuthSettings& settings, util::WorkerPool& cpu_pool,
               std::shared_ptr<const CommonPasswordList> common_passwords,
               std::shared_ptr<LoginGuard> guard = nullptr, std::vector<UserData> user_data = {});
    ~AuthRoutes();
    std::vector<http::RouteDef> routes();
    // The schemas its routes' descriptions name.
    static std::vector<http::SchemaDef> schemas();

  private:
    http::Task<http::Response> register_user(http::Context& ctx);
    http::Task<http::Response> obtain_token(http::Context& ctx);
    http::Task<http::Response> refresh_token(http::Context& ctx);
    http::Task<http::Response> verify_token(http::Context& ctx);
    http::Task<http::Response> blacklist_token(http::Context& ctx);
    // account_routes.cpp
    std::vector<http::RouteDef> account_routes();
    static std::vector<http::SchemaDef> account_schemas();
    http::Task<http::Response> list_api_keys(http::Context& ctx);
    http::Task<http::Response> create_api_key(http::Context& ctx);
    http::Task<http::Response> delete_api_key(http::Context& ctx);
    http::Task<http::Response> change_password(http::Context& ctx);
    http::Task<http::Response> delete_account(http::Context& ctx);
    // The caller's password checked on the hashing gate (400 naming `field` when wrong).
    http::Task<User> check_own_password(http::Context& ctx, std::string_view field,
                                        const std::string& password, std::string_view message);

    const AuthSettings& settings_;
    util::WorkerPool& cpu_pool_;
    std::shared_ptr<const CommonPasswordList> common_passwords_;
    std::shared_ptr<LoginGuard> guard_;
    std::vector<UserData> user_data_;
    std::unique_ptr<util::CpuGate> gate_;  // password hashes in flight at most
    std::atomic<int64_t> floor_ns_{0};     // a failed login's time floor, once measured
};

}  // namespace resumate::users
