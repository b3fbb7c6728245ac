#pragma once
// The accounts the server itself owns: `anonymous_user` (owner of the resumes generated without
// logging in) and `example_user` (owner of the public example applications). They are created by
// `migrate` (and at start-up, for a database migrated by an older version), inactive and with an
// unusable password, so nobody can register or log in as them.
//
// On a database where one of those names belongs to an active account (someone registered it
// before the server created it), that account is never used: the server logs an error at
// start-up and uses a reserved account instead, whose name ("resumate:…") no registration can
// take.
#include <array>
#include <atomic>
#include <string_view>

#include "db/database.hpp"

namespace resumate::users {

enum class SystemAccount { Anonymous, Example };

class SystemUsers {
  public:
    static constexpr std::string_view name(SystemAccount a) {
        return a == SystemAccount::Anonymous ? "anonymous_user" : "example_user";
    }
    static constexpr std::string_view reserved_name(SystemAccount a) {
        return a == SystemAccount::Anonymous ? "resumate:anonymous_user" : "resumate:example_user";
    }

    // Creates every system account that is missing (migrate, start-up).
    static db::Task<void> create_missing(db::Database& db);

    // The id to use for `a`: resolved once (with the error above when the name is held by an
    // active account), then remembered. `db` is the database itself, not a request's session:
    // the look-up goes to the primary.
    db::Task<int64_t> id(db::Database& db, SystemAccount a);

  private:
    std::array<std::atomic<int64_t>, 2> ids_{};
};

}  // namespace resumate::users
