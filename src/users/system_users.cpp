#include "users/system_users.hpp"

#include <spdlog/spdlog.h>

#include <string>

#include "users/password_hasher.hpp"
#include "users/user_store.hpp"
#include "util/log.hpp"

namespace resumate::users {
namespace {

// The user named `username`, created inactive with an unusable password when missing.
db::Task<User> find_or_create(db::Database& db, const std::string& username) {
    // The primary: a replica may not have the row another instance has just created.
    db::Session primary(db);
    primary.pin_to_primary();
    UserStore store(primary);
    if (auto u = co_await store.find_by_username(username)) co_return *u;
    try {
        // Built before the co_await: GCC 12 mishandles aggregate temporaries inside one.
        NewUser user{username, "", make_unusable_password(), false, false, false};
        co_await store.create(user);
    } catch (const db::UniqueViolation&) {
        // Another process created it first.
    }
    auto u = co_await store.find_by_username(username);
    co_return u.value();
}

}  // namespace

db::Task<void> SystemUsers::create_missing(db::Database& db) {
    for (auto a : {SystemAccount::Anonymous, SystemAccount::Example})
        co_await find_or_create(db, std::string(name(a)));
}

db::Task<int64_t> SystemUsers::id(db::Database& db, SystemAccount a) {
    auto& cached = ids_[static_cast<size_t>(a)];
    if (int64_t known = cached.load(std::memory_order_relaxed)) co_return known;
    User user = co_await find_or_create(db, std::string(name(a)));
    if (user.is_active) {
        util::log::error(
            "SECURITY: the username '{}' belongs to an active account (id {}), not to the server: "
            "someone registered it before this version created it. It will not be used; the "
            "server uses the reserved account '{}' instead. Check that account's data, then "
            "deactivate or rename it.",
            name(a), user.id, reserved_name(a));
        user = co_await find_or_create(db, std::string(reserved_name(a)));
    }
    cached.store(user.id, std::memory_order_relaxed);
    co_return user.id;
}

}  // namespace resumate::users
