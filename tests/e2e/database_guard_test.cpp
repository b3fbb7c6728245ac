// The database layer itself, where only a real server shows the behaviour (PostgreSQL runs of
// the suite: tests/with-services.sh sets TEST_DATABASE_URL).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "db/postgres_database.hpp"
#include "db/run_sync.hpp"

namespace {

using namespace resumate;

// Parameters travel as C strings: text with a NUL used to reach PostgreSQL cut at the NUL, so
// "a\0b" was stored as "a". It is refused now (psycopg raises the same under Django), and the
// connection goes on serving.
TEST(PostgresParameters, TextWithANulIsRefusedNotCut) {
    const char* url = std::getenv("TEST_DATABASE_URL");
    if (url == nullptr || *url == '\0') GTEST_SKIP() << "PostgreSQL runs only";
    db::PostgresDatabase database(db::PostgresOptions{.conninfo = url, .pool_size = 1});
    const std::string with_nul("a\0b", 3);
    EXPECT_THROW(
        db::run_sync(database.execute("SELECT $1::text", std::vector<db::Value>{with_nul})),
        db::DbError);
    db::Result r = db::run_sync(
        database.execute("SELECT $1::text", std::vector<db::Value>{std::string("ok")}));
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0].text(0), "ok");
}

}  // namespace
