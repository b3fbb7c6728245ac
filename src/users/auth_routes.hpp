#pragma once
#include <atomic>
#include <memory>
#include <vector>

#include "http/context.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
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

// simplejwt's JWTAuthentication: Bearer access token → active user.
class JwtAuthenticator final : public http::Authenticator {
  public:
    JwtAuthenticator(db::Database& db, const AuthSettings& settings)
        : db_(db), settings_(settings) {}
    http::Task<std::optional<http::Principal>> authenticate(const http::Request& req) override;

  private:
    db::Database& db_;
    const AuthSettings& settings_;
};

// POST /api/auth/register/, token/, token/refresh/, token/verify/, token/blacklist/.
// Password hashes run on `cpu_pool`; `guard` (optional) answers 429 to repeated failed logins.
// `settings` and `cpu_pool` must outlive the routes.
class AuthRoutes {
  public:
    AuthRoutes(const AuthSettings& settings, util::WorkerPool& cpu_pool,
               std::shared_ptr<const CommonPasswordList> common_passwords,
               std::shared_ptr<LoginGuard> guard = nullptr);
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

    const AuthSettings& settings_;
    util::WorkerPool& cpu_pool_;
    std::shared_ptr<const CommonPasswordList> common_passwords_;
    std::shared_ptr<LoginGuard> guard_;
    std::unique_ptr<util::CpuGate> gate_;  // password hashes in flight at most
    std::atomic<int64_t> floor_ns_{0};     // a failed login's time floor, once measured
};

}  // namespace resumate::users
