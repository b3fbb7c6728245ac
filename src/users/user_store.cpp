#include "users/user_store.hpp"

#include "users/password_hasher.hpp"

namespace resumate::users {
namespace {

constexpr std::string_view kColumns =
    "id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, "
    "is_active, date_joined";

User from_row(const db::Row& r) {
    User u;
    u.id = r.integer(0);
    u.password = r.text(1);
    u.last_login = r.optional_timestamp(2);
    u.is_superuser = r.boolean(3);
    u.username = r.text(4);
    u.first_name = r.text(5);
    u.last_name = r.text(6);
    u.email = r.text(7);
    u.is_staff = r.boolean(8);
    u.is_active = r.boolean(9);
    u.date_joined = r.timestamp(10);
    return u;
}

}  // namespace

db::Task<std::optional<User>> UserStore::find(int64_t id) {
    static const std::string sql =
        "SELECT " + std::string(kColumns) + " FROM auth_user WHERE id = $1";
    auto res = co_await db_.read(sql, id);
    if (res.empty()) co_return std::nullopt;
    co_return from_row(res.rows[0]);
}

db::Task<std::optional<User>> UserStore::find_by_username(const std::string& username) {
    static const std::string sql =
        "SELECT " + std::string(kColumns) + " FROM auth_user WHERE username = $1";
    auto res = co_await db_.read(sql, username);
    if (res.empty()) co_return std::nullopt;
    co_return from_row(res.rows[0]);
}

db::Task<int64_t> UserStore::create(const NewUser& u) {
    auto res = co_await db_.query(
        "INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, "
        "last_name, "
        "email, is_staff, is_active, date_joined) VALUES ($1, NULL, $2, $3, '', '', $4, $5, $6, "
        "$7) "
        "RETURNING id",
        u.password_hash, u.is_superuser, u.username, u.email, u.is_staff, u.is_active, util::now());
    co_return res.rows.at(0).integer(0);
}

db::Task<void> UserStore::set_password_hash(int64_t id, const std::string& hash) {
    co_await db_.query("UPDATE auth_user SET password = $1 WHERE id = $2", hash, id);
}

db::Task<void> UserStore::set_flags(int64_t id, bool is_staff, bool is_superuser, bool is_active) {
    co_await db_.query(
        "UPDATE auth_user SET is_staff = $1, is_superuser = $2, is_active = $3 WHERE id = $4",
        is_staff, is_superuser, is_active, id);
}

}  // namespace resumate::users
