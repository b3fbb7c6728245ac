// simplejwt's token_blacklist app: every refresh token issued is "outstanding"; a blacklisted one
// is refused from then on. Rows are the ones simplejwt writes, so either implementation honours
// the other's logouts.
#pragma once
#include <cstdint>
#include <string>

#include "db/database.hpp"

namespace resumate::users {

class TokenBlacklistStore {
  public:
    explicit TokenBlacklistStore(db::Database& db) : db_(db) {}

    // RefreshToken.for_user(): a freshly minted refresh token of `user_id`.
    db::Task<void> record_outstanding(int64_t user_id, const std::string& jti,
                                      const std::string& token, int64_t exp_seconds);
    db::Task<bool> is_blacklisted(const std::string& jti);
    // RefreshToken.blacklist(): the outstanding row is created when missing (a token minted
    // elsewhere, e.g. by the Django version: no user, no created_at, as simplejwt does). True when
    // this call blacklisted it, false when it already was (a concurrent logout or rotation).
    db::Task<bool> blacklist(const std::string& jti, const std::string& token, int64_t exp_seconds);
    // flushexpiredtokens: outstanding tokens with expires_at <= now, and their blacklist rows.
    // Returns how many outstanding tokens were deleted.
    db::Task<int64_t> flush_expired(util::Timestamp now);

  private:
    db::Database& db_;
};

}  // namespace resumate::users
