#pragma once
#include <memory>

#include "http/router.hpp"
#include "users/password_hasher.hpp"
#include "users/password_validators.hpp"
#include "users/tokens.hpp"
#include "users/user_store.hpp"

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
// `guard` (optional) answers 429 to repeated failed logins.
void add_auth_routes(http::Router& router, db::Database& db, const AuthSettings& settings,
                     std::shared_ptr<const CommonPasswordList> common_passwords,
                     std::shared_ptr<LoginGuard> guard = nullptr);

}  // namespace resumate::users
