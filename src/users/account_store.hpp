// users/: changes to an account that span several tables, each in one transaction.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"

namespace resumate::users {

// Account deletion: what a feature keeps of a user, removed inside the deletion's transaction
// before the user row (features are called in the order given). `name` is the key under which
// the answer's "deleted" object reports the count.
struct UserData {
    std::string name;
    std::function<db::Task<int64_t>(db::Connection&, int64_t user_id)> erase;
};

class AccountStore {
  public:
    explicit AccountStore(db::Database& db) : db_(db) {}
    // Stores the new hash and blacklists every unexpired refresh token of the user; returns how
    // many tokens were blacklisted.
    db::Task<int64_t> change_password(int64_t user_id, const std::string& hash);
    // Removes the user as Django's cascade would: each feature's rows (`user_data`, in order),
    // then the user's API keys, group and permission links and admin log entries, then the
    // user. Outstanding refresh tokens are blacklisted and kept with user_id NULL (simplejwt's
    // on_delete=SET_NULL). Returns each feature's count by name. False when there was no user.
    db::Task<std::optional<std::vector<std::pair<std::string, int64_t>>>> delete_user(
        int64_t user_id, const std::vector<UserData>& user_data);

  private:
    db::Database& db_;
};

}  // namespace resumate::users
