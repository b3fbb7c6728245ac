#pragma once
// A db::Database for tests whose routes never reach one: every call is db::Unavailable.
#include <functional>
#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace resumate::test_fakes {

class NoDatabase final : public db::Database {
  public:
    db::Dialect dialect() const override { return db::Dialect::Sqlite; }
    db::Task<db::Result> execute(std::string_view, std::vector<db::Value>) override {
        throw db::Unavailable("no database in this test");
    }
    db::Task<void> transaction(std::function<db::Task<void>(db::Connection&)>) override {
        throw db::Unavailable("no database in this test");
    }
};

}  // namespace resumate::test_fakes
