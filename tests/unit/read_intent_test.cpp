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
        if (sql.find("wal") != std::string_view::npos) {
            r.rows.back().append(wal_position);  // as PostgreSQL answers the WAL functions
        } else {
            r.rows.back().append(name_);
        }
        co_return r;
    }
    std::string wal_position = "0/0";
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

// A primary and a replica that answer pg_current_wal_insert_lsn() / pg_last_wal_replay_lsn() with
// whatever the test sets, on PostgreSQL.
class PositionedDatabase final : public db::Database {
  public:
    PositionedDatabase(std::string name, std::vector<std::string>& log)
        : inner_(std::move(name), log) {}
    db::Dialect dialect() const override { return db::Dialect::Postgres; }
    db::Task<db::Result> execute(std::string_view sql, std::vector<db::Value> p) override {
        return inner_.execute(sql, std::move(p));
    }
    db::Task<void> transaction(std::function<db::Task<void>(db::Connection&)> b) override {
        return inner_.transaction(std::move(b));
    }
    std::string& wal_position() { return inner_.wal_position; }

  private:
    RecordingDatabase inner_;
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

TEST(ReadYourWrites, LsnsParseAsPostgresWritesThem) {
    EXPECT_EQ(db::parse_lsn("0/0"), 0u);
    EXPECT_EQ(db::parse_lsn("16/B374D848"), (uint64_t{0x16} << 32) | 0xB374D848);
    EXPECT_GT(db::parse_lsn("1/0"), db::parse_lsn("0/FFFFFFFF"));
    for (const char* bad : {"", "/", "1/", "/1", "x/1", "1/2/3", "123456789/0", "1 /2"})
        EXPECT_EQ(db::parse_lsn(bad), 0u) << bad;
}

// A caller who wrote up to a position reads from a replica only once it has replayed that far;
// until then from the primary. The replica is asked where it stands only while it is behind.
TEST(ReadYourWrites, ReplicaReadsWaitForTheCallersWritePosition) {
    std::vector<std::string> log;
    auto primary = std::make_unique<PositionedDatabase>("primary", log);
    auto replica = std::make_unique<PositionedDatabase>("replica", log);
    PositionedDatabase* p = primary.get();
    PositionedDatabase* r = replica.get();
    std::vector<std::unique_ptr<db::Database>> replicas;
    replicas.push_back(std::move(replica));
    db::ReplicatedDatabase db(std::move(primary), std::move(replicas));

    p->wal_position() = "0/3000";
    const auto written = run_sync(db.write_position());
    ASSERT_EQ(written, "0/3000");

    r->wal_position() = "0/2FFF";  // one byte behind
    db::Session behind(db);
    behind.read_at_least(*written);
    EXPECT_EQ(run_sync(behind.read("SELECT 1")).rows.at(0).text(0), "primary");

    r->wal_position() = "0/3000";
    db::Session caught(db);
    caught.read_at_least(*written);
    EXPECT_EQ(run_sync(caught.read("SELECT 1")).rows.at(0).text(0), "replica");
    log.clear();
    EXPECT_EQ(run_sync(caught.read("SELECT 2")).rows.at(0).text(0), "replica");
    EXPECT_EQ(log, (std::vector<std::string>{"replica: SELECT 2"})) << "asked again";

    // Without a position (a caller who has not written lately) nothing is asked.
    db::Session fresh(db);
    log.clear();
    EXPECT_EQ(run_sync(fresh.read("SELECT 3")).rows.at(0).text(0), "replica");
    EXPECT_EQ(log, (std::vector<std::string>{"replica: SELECT 3"}));
}

TEST(ReadYourWrites, NoPositionWithoutReplicasOrOnSqlite) {
    std::vector<std::string> log;
    db::ReplicatedDatabase none(std::make_unique<PositionedDatabase>("primary", log), {});
    EXPECT_EQ(run_sync(none.write_position()), std::nullopt);
    std::vector<std::unique_ptr<db::Database>> replicas;
    replicas.push_back(std::make_unique<RecordingDatabase>("replica", log));
    db::ReplicatedDatabase sqlite(std::make_unique<RecordingDatabase>("primary", log),
                                  std::move(replicas));
    EXPECT_EQ(run_sync(sqlite.write_position()), std::nullopt);
}

namespace {

// A replica whose every read fails with E.
template <typename E>
class FailingReplica final : public db::Database {
  public:
    explicit FailingReplica(std::string message) : message_(std::move(message)) {}
    db::Dialect dialect() const override { return db::Dialect::Postgres; }
    db::Task<db::Result> execute(std::string_view, std::vector<db::Value>) override {
        throw E(message_);
        co_return db::Result{};
    }
    db::Task<void> transaction(std::function<db::Task<void>(db::Connection&)>) override {
        co_return;
    }

  private:
    std::string message_;
};

// Who answers a replica read of `sql` when the one replica is `replica`.
std::string reader_of(std::unique_ptr<db::Database> replica, std::string_view sql) {
    std::vector<std::string> log;
    std::vector<std::unique_ptr<db::Database>> replicas;
    replicas.push_back(std::move(replica));
    db::ReplicatedDatabase db(std::make_unique<RecordingDatabase>("primary", log),
                              std::move(replicas));
    db::Session s(db);
    return run_sync(s.read(sql)).rows.at(0).text(0);
}

}  // namespace

// A hot standby cancels a read that conflicts with the replay of the primary's changes
// (SQLSTATE 40001, "conflict with recovery"): the read is answered by the primary, not a 500.
TEST(ReadYourWrites, AReadTheReplicaCancelledGoesToThePrimary) {
    EXPECT_EQ(reader_of(std::make_unique<FailingReplica<db::SerializationFailure>>(
                            "canceling statement due to conflict with recovery"),
                        "SELECT 1"),
              "primary");
}

// Right after a migration, a replica that has not replayed it yet has no such table or column
// (SQLSTATE 42P01 / 42703): the read is answered by the primary, not a 500. (A fresh cluster
// with an apply-delayed replica answered its first registration 500.)
TEST(ReadYourWrites, AReadOfATableTheReplicaDoesNotHaveYetGoesToThePrimary) {
    EXPECT_EQ(reader_of(std::make_unique<FailingReplica<db::UndefinedObject>>(
                            "relation \"auth_user\" does not exist (SQLSTATE 42P01)"),
                        "SELECT 1 FROM auth_user"),
              "primary");
}
