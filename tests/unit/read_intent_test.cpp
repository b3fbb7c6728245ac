// Read intent: which statements a request's Session sends to a read replica.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "db/replicated_database.hpp"
#include "db/run_sync.hpp"

using namespace resumate;
using db::run_sync;

namespace {

// Answers every statement with one row naming itself, and records what it was sent.
class RecordingDatabase final : public db::Database {
  public:
    RecordingDatabase(std::string name, std::vector<std::string>& log)
        : name_(std::move(name)), log_(log) {}
    db::Dialect dialect() const override { return db::Dialect::Sqlite; }
    db::Task<db::Result> execute(std::string_view sql, std::vector<db::Value>) override {
        log_.push_back(name_ + ": " + std::string(sql));
        db::Result r;
        r.rows.emplace_back();
        r.rows.back().append(name_);
        co_return r;
    }
    db::Task<void> transaction(std::function<db::Task<void>(db::Connection&)>) override {
        log_.push_back(name_ + ": transaction");
        co_return;
    }

  private:
    std::string name_;
    std::vector<std::string>& log_;
};

class ReadIntentTest : public ::testing::Test {
  protected:
    ReadIntentTest() {
        std::vector<std::unique_ptr<db::Database>> replicas;
        replicas.push_back(std::make_unique<RecordingDatabase>("replica", log_));
        db_ = std::make_unique<db::ReplicatedDatabase>(
            std::make_unique<RecordingDatabase>("primary", log_), std::move(replicas));
    }
    std::vector<std::string> log_;
    std::unique_ptr<db::ReplicatedDatabase> db_;
};

}  // namespace

TEST_F(ReadIntentTest, ReadsGoToTheReplicaUntilTheRequestWrites) {
    db::Session session(*db_);
    EXPECT_EQ(run_sync(session.read("SELECT 1")).rows.at(0).text(0), "replica");
    EXPECT_EQ(run_sync(session.read("SELECT 2")).rows.at(0).text(0), "replica");
    run_sync(session.query("UPDATE t SET x = 1"));
    EXPECT_EQ(run_sync(session.read("SELECT 3")).rows.at(0).text(0), "primary");
    EXPECT_EQ(log_, (std::vector<std::string>{"replica: SELECT 1", "replica: SELECT 2",
                                              "primary: UPDATE t SET x = 1", "primary: SELECT 3"}));
    EXPECT_EQ(db_->reads_per_replica(), std::vector<int64_t>{2});
}

TEST_F(ReadIntentTest, APlainSelectWithoutReadIntentGoesToThePrimaryAndCountsAsAWrite) {
    db::Session session(*db_);
    EXPECT_EQ(run_sync(session.query("SELECT 1")).rows.at(0).text(0), "primary");
    // The SQL text is not looked at: from here on this request reads from the primary.
    EXPECT_EQ(run_sync(session.read("SELECT 2")).rows.at(0).text(0), "primary");
    EXPECT_EQ(db_->reads_per_replica(), std::vector<int64_t>{0});
}

TEST_F(ReadIntentTest, ATransactionOrAPinSendsTheRestToThePrimary) {
    db::Session after_transaction(*db_);
    run_sync(after_transaction.transaction([](db::Connection&) -> db::Task<void> { co_return; }));
    EXPECT_EQ(run_sync(after_transaction.read("SELECT 1")).rows.at(0).text(0), "primary");

    db::Session pinned(*db_);
    pinned.pin_to_primary();
    EXPECT_EQ(run_sync(pinned.read("SELECT 2")).rows.at(0).text(0), "primary");
    EXPECT_EQ(db_->reads_per_replica(), std::vector<int64_t>{0});
}

TEST_F(ReadIntentTest, ReadsOutsideASessionGoToThePrimary) {
    // CLI verbs, start-up and background work use the database directly.
    EXPECT_EQ(run_sync(db_->read("SELECT 1")).rows.at(0).text(0), "primary");
    EXPECT_EQ(run_sync(db_->query("SELECT 2")).rows.at(0).text(0), "primary");
    EXPECT_EQ(db_->reads_per_replica(), std::vector<int64_t>{0});
}
