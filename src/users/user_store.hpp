// users/: auth_user, simplejwt's token tables, password hashing, tokens and the /api/auth/
// routes.
#pragma once
#include <optional>
#include <string>

#include "db/database.hpp"
#include "util/time.hpp"

namespace resumate::users {

// A row of auth_user.
struct User {
    int64_t id = 0;
    std::string password;  // Django's encoded hash
    std::optional<util::Timestamp> last_login;
    bool is_superuser = false;
    std::string username;
    std::string first_name;
    std::string last_name;
    std::string email;
    bool is_staff = false;
    bool is_active = true;
    util::Timestamp date_joined;
};

struct NewUser {
    std::string username;
    std::string email;
    std::string password_hash;
    bool is_staff = false;
    bool is_superuser = false;
    bool is_active = true;
};

class UserStore {
  public:
    explicit UserStore(db::Database& db) : db_(db) {}
    db::Task<std::optional<User>> find(int64_t id);
    db::Task<std::optional<User>> find_by_username(const std::string& username);
    // Throws db::UniqueViolation when the username is taken.
    db::Task<int64_t> create(const NewUser& u);
    db::Task<void> set_password_hash(int64_t id, const std::string& hash);
    db::Task<void> set_flags(int64_t id, bool is_staff, bool is_superuser, bool is_active);

  private:
    db::Database& db_;
};

}  // namespace resumate::users
