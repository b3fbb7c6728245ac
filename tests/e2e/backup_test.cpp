// `resumate backup` and `resumate restore` (README, Deployment): a populated database, backed up
// while its server serves, restored into an empty one, serves the same data to the same logins
// (on both stacks the suite runs on: SQLite through its backup API, PostgreSQL through
// pg_dump/pg_restore); restore refuses a database that holds tables unless --force.
#include <fstream>

#include "harness.hpp"

namespace e2e::backup {
namespace {

namespace fs = std::filesystem;

struct Snapshot {
    std::string resumes;
    std::string jobs;
};

Snapshot snapshot(const Server& s, const std::string& token) {
    Snapshot out;
    Response r = get(s, "/api/resumes/", token);
    EXPECT_STATUS(r, 200);
    out.resumes = r.body;
    Response j = get(s, "/api/job-applications/", token);
    EXPECT_STATUS(j, 200);
    out.jobs = j.body;
    return out;
}

TEST(Backup, RoundTripKeepsEveryRowAndLoginsWhileTheSourceServes) {
    Server source(ServerOptions{.env = {}, .with_superuser = true, .tag = "backup-src"});
    source.start();
    TestUser user = create_user(source, "backup");
    for (int i = 0; i < 3; ++i) {
        Response r = post(source, "/api/resumes/",
                          to_json(json::object{{"title", "Résumé " + std::to_string(i)},
                                               {"content", "# Ünïcode ✓ " + std::to_string(i)}}),
                          user.access);
        ASSERT_STATUS(r, 201);
        Response j =
            post(source, "/api/job-applications/",
                 to_json(json::object{{"job_title", "Engineer " + std::to_string(i)},
                                      {"company_name", "Company " + std::to_string(i)},
                                      {"date_applied", "2026-11-0" + std::to_string(i + 1)}}),
                 user.access);
        ASSERT_STATUS(j, 201);
    }
    const Snapshot before = snapshot(source, user.access);

    const fs::path file = source.root() / "resumate.backup";
    CliResult b = source.cli({"backup", file.string()});  // while the server serves
    ASSERT_EQ(b.exit_code, 0) << b.describe();
    EXPECT_NE(b.out.find("Backed up the "), std::string::npos) << b.describe();
    ASSERT_TRUE(fs::exists(file));
    EXPECT_GT(fs::file_size(file), 0u);
    EXPECT_FALSE(fs::exists(file.string() + ".part"));
    EXPECT_EQ(source.stop(), 0);

    Server target(ServerOptions{.env = {}, .with_superuser = false, .tag = "backup-dst"});
    CliResult r = target.cli({"restore", file.string()});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.out.find("Restored the "), std::string::npos) << r.describe();
    target.start();
    // The same user logs in with the same password; every row reads back the same (ids and
    // timestamps included), and the superuser came along.
    TestUser again = login(target, user.username, user.password);
    EXPECT_EQ(again.id, user.id);
    const Snapshot after = snapshot(target, again.access);
    EXPECT_EQ(after.resumes, before.resumes);
    EXPECT_EQ(after.jobs, before.jobs);
    login(target, std::string(kAdminUser), std::string(kAdminPassword));
    // New rows continue the restored sequences.
    Response next =
        post(target, "/api/resumes/", R"({"title":"After","content":"x"})", again.access);
    EXPECT_STATUS(next, 201);
    EXPECT_EQ(target.stop(), 0);

    // Now the target holds tables: refused without --force, replaced with it.
    CliResult refused = target.cli({"restore", file.string()});
    EXPECT_EQ(refused.exit_code, 1) << refused.describe();
    EXPECT_NE(refused.err.find("restore --force"), std::string::npos) << refused.describe();
    CliResult forced = target.cli({"restore", "--force", file.string()});
    ASSERT_EQ(forced.exit_code, 0) << forced.describe();
    target.start();
    TestUser third = login(target, user.username, user.password);
    EXPECT_EQ(snapshot(target, third.access).resumes, before.resumes);  // "After" is gone
    EXPECT_EQ(target.stop(), 0);
}

TEST(Backup, RestoreRefusesAFileThatIsNotABackup) {
    Server target(ServerOptions{.env = {}, .with_superuser = false, .tag = "backup-bad"});
    const fs::path bogus = target.root() / "bogus.backup";
    { std::ofstream(bogus) << "not a backup"; }
    CliResult r = target.cli({"restore", bogus.string()});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.err.find("restore failed"), std::string::npos) << r.describe();
    CliResult missing = target.cli({"restore", (target.root() / "absent").string()});
    EXPECT_EQ(missing.exit_code, 1) << missing.describe();
}

}  // namespace
}  // namespace e2e::backup
