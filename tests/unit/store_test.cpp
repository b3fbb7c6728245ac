// The SQL stores against a real SQLite file, migrated the way `resumate migrate` does it.
#include <gtest/gtest.h>

#include <filesystem>

#include "ai/model_store.hpp"
#include "app/app.hpp"
#include "db/run_sync.hpp"
#include "db/sqlite_database.hpp"
#include "jobs/job_store.hpp"
#include "resumes/resume_store.hpp"
#include "users/password_hasher.hpp"
#include "users/system_users.hpp"
#include "users/user_store.hpp"

using namespace resumate;
using db::run_sync;

namespace {

resumes::Resume new_resume(int64_t user_id, std::string title, std::string content) {
    resumes::Resume r;
    r.user_id = user_id;
    r.title = std::move(title);
    r.content = std::move(content);
    return r;
}

class StoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("resumate-store-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        db_ = std::make_unique<db::SqliteDatabase>((dir_ / "t.sqlite3").string(), 2);
        db::migrate(*db_, app::all_migrations());
        users::UserStore users(*db_);
        alice_ = run_sync(users.create({"alice", "a@example.com", "!x"}));
        bob_ = run_sync(users.create({"bob", "b@example.com", "!x"}));
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    std::filesystem::path dir_;
    std::unique_ptr<db::SqliteDatabase> db_;
    int64_t alice_ = 0, bob_ = 0;
};

}  // namespace

TEST_F(StoreTest, MigrateIsIdempotentAndRecordsDjangoNames) {
    auto again = db::migrate(*db_, app::all_migrations());
    EXPECT_TRUE(again.applied.empty());
    auto rows = run_sync(
        db_->query("SELECT COUNT(*) FROM django_migrations WHERE app = $1 AND name = $2",
                   std::string("auth"), std::string("0012_alter_user_first_name_max_length")));
    EXPECT_EQ(rows.rows[0].integer(0), 1);
    auto fk = run_sync(db_->query("PRAGMA foreign_keys"));
    EXPECT_EQ(fk.rows[0].integer(0), 1);
    auto wal = run_sync(db_->query("PRAGMA journal_mode"));
    EXPECT_EQ(wal.rows[0].text(0), "wal");
}

TEST_F(StoreTest, UnappliedMigrationsAreReadWithoutWriting) {
    const auto all = app::all_migrations();
    EXPECT_TRUE(run_sync(db::unapplied_migrations(*db_, all)).empty());
    // A fresh database: no django_migrations table, every migration pending, and the probe
    // creates nothing (pending_migrations would create the table).
    db::SqliteDatabase fresh((dir_ / "fresh.sqlite3").string(), 1);
    EXPECT_EQ(run_sync(db::unapplied_migrations(fresh, all)).size(), all.size());
    auto tables = run_sync(fresh.query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"));
    EXPECT_EQ(tables.rows[0].integer(0), 0);
    // One forgotten record: that one is pending.
    run_sync(db_->query("DELETE FROM django_migrations WHERE app = $1 AND name = $2",
                        std::string("auth"), std::string("0012_alter_user_first_name_max_length")));
    EXPECT_EQ(run_sync(db::unapplied_migrations(*db_, all)),
              std::vector<std::string>{"auth.0012_alter_user_first_name_max_length"});
}

TEST_F(StoreTest, UsernamesAreUnique) {
    users::UserStore users(*db_);
    EXPECT_THROW(run_sync(users.create({"alice", "", "!y"})), db::UniqueViolation);
    auto u = run_sync(users.find_by_username("alice"));
    ASSERT_TRUE(u);
    EXPECT_EQ(u->id, alice_);
    EXPECT_TRUE(u->is_active);
    EXPECT_FALSE(run_sync(users.find_by_username("ALICE")));  // exact match, as Django
}

TEST_F(StoreTest, ResumesAreOwnedAndOrderedByUpdate) {
    resumes::ResumeStore store(*db_);
    auto a = run_sync(store.create(new_resume(alice_, "A", "one")));
    auto b = run_sync(store.create(new_resume(alice_, "B", "two")));
    run_sync(store.create(new_resume(bob_, "C", "three")));
    auto list = run_sync(store.list(alice_));
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, b.id);
    a.title = "A2";
    run_sync(store.update(a));
    list = run_sync(store.list(alice_));
    EXPECT_EQ(list[0].id, a.id);
    EXPECT_EQ(list[0].title, "A2");
    EXPECT_EQ(list[0].username, "alice");
    EXPECT_FALSE(run_sync(store.find(bob_, a.id)));
    EXPECT_FALSE(run_sync(store.remove(bob_, a.id)));
    EXPECT_EQ(run_sync(store.count(alice_)), 2);
}

TEST_F(StoreTest, DeletingAResumeKeepsApplicationsWithNull) {
    resumes::ResumeStore resumes(*db_);
    jobs::JobStore jobs(*db_);
    auto r = run_sync(resumes.create(new_resume(alice_, "CV", "x")));
    jobs::JobApplication a;
    a.user_id = alice_;
    a.resume_used = r.id;
    a.job_title = "Engineer";
    auto created = run_sync(jobs.create(a));
    EXPECT_EQ(created.resume_used, r.id);
    EXPECT_TRUE(run_sync(resumes.remove(alice_, r.id)));
    auto after = run_sync(jobs.find(alice_, created.id));
    ASSERT_TRUE(after);
    EXPECT_FALSE(after->resume_used);
}

TEST_F(StoreTest, SoftDeleteHidesButKeepsTheRow) {
    jobs::JobStore jobs(*db_);
    jobs::JobApplication a;
    a.user_id = alice_;
    a.job_title = "Engineer";
    a.date_applied = util::parse_date("2025-01-15");
    auto created = run_sync(jobs.create(a));
    EXPECT_EQ(util::to_iso_date(*created.date_applied), "2025-01-15");
    EXPECT_EQ(created.status, "Applied");
    EXPECT_FALSE(run_sync(jobs.remove(bob_, created.id)));
    EXPECT_TRUE(run_sync(jobs.remove(alice_, created.id)));
    EXPECT_FALSE(run_sync(jobs.remove(alice_, created.id)));
    EXPECT_FALSE(run_sync(jobs.find(alice_, created.id)));
    EXPECT_TRUE(run_sync(jobs.list(alice_)).empty());
    auto raw = run_sync(
        db_->query("SELECT is_deleted FROM job_tracker_jobapplication WHERE id = $1", created.id));
    EXPECT_TRUE(raw.rows.at(0).boolean(0));
}

TEST_F(StoreTest, SeedingIsIdempotent) {
    ai::ModelStore models(*db_);
    jobs::JobStore jobs(*db_);
    users::UserStore users(*db_);
    EXPECT_EQ(run_sync(models.seed_defaults()), 5);
    EXPECT_EQ(run_sync(models.seed_defaults()), 0);
    users::SystemUsers system;
    int64_t ex = run_sync(system.id(*db_, users::SystemAccount::Example));
    EXPECT_EQ(run_sync(users::SystemUsers().id(*db_, users::SystemAccount::Example)), ex);
    EXPECT_FALSE(run_sync(users.find(ex))->is_active);
    EXPECT_EQ(run_sync(jobs.seed_examples(ex)), 5);
    EXPECT_EQ(run_sync(jobs.seed_examples(ex)), 0);
    auto examples = run_sync(jobs.examples());
    ASSERT_EQ(examples.size(), 5u);
    EXPECT_EQ(*examples[0].job_title, "Senior Python Developer");
    EXPECT_EQ(examples[4].status, "Rejected");
    auto names = run_sync(models.active_by_name());
    ASSERT_EQ(names.size(), 5u);
    EXPECT_EQ(names[0].display_name, "Auto");
    EXPECT_EQ(names[4].display_name, "ResuMate Offline");
    auto gemini = run_sync(models.find_active_by_display_name("google GEMINI"));
    ASSERT_TRUE(gemini);
    EXPECT_EQ(gemini->daily_limit, 5);
}

TEST_F(StoreTest, TransactionRollsBackOnError) {
    EXPECT_THROW(run_sync(db_->transaction([&](db::Connection& c) -> db::Task<void> {
                     co_await c.query("UPDATE auth_user SET email = $1 WHERE id = $2",
                                      std::string("changed"), alice_);
                     throw std::runtime_error("boom");
                 })),
                 std::runtime_error);
    EXPECT_EQ(run_sync(users::UserStore(*db_).find(alice_))->email, "a@example.com");
}

// Someone registered "anonymous_user" before the server created it (an old instance): that
// active account is never used for anonymous resumes; a reserved account nobody can register is.
TEST_F(StoreTest, SystemAccountHeldByAnActiveUserIsNotUsed) {
    users::UserStore users(*db_);
    int64_t squatter =
        run_sync(users.create({"anonymous_user", "", "pbkdf2_sha256$1$s$h", false, false, true}));
    users::SystemUsers system;
    int64_t id = run_sync(system.id(*db_, users::SystemAccount::Anonymous));
    EXPECT_NE(id, squatter);
    auto reserved = run_sync(users.find(id));
    ASSERT_TRUE(reserved);
    EXPECT_EQ(reserved->username, "resumate:anonymous_user");
    EXPECT_FALSE(reserved->is_active);
    EXPECT_FALSE(users::is_usable_password(reserved->password));
}

TEST_F(StoreTest, SystemAccountsAreCreatedInactiveAndUnusable) {
    run_sync(users::SystemUsers::create_missing(*db_));
    run_sync(users::SystemUsers::create_missing(*db_));
    users::UserStore users(*db_);
    for (const char* name : {"anonymous_user", "example_user"}) {
        auto u = run_sync(users.find_by_username(name));
        ASSERT_TRUE(u) << name;
        EXPECT_FALSE(u->is_active) << name;
        EXPECT_FALSE(users::is_usable_password(u->password)) << name;
    }
}
