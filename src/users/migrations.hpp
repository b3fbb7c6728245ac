#pragma once
#include <vector>

#include "db/migrator.hpp"

namespace resumate::users {
// Django's own apps (contenttypes, auth, admin, sessions) and simplejwt's token_blacklist, as
// their migrations leave the schema.
std::vector<db::Migration> migrations();
}  // namespace resumate::users
