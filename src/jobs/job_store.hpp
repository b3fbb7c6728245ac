// jobs/: job_tracker_jobapplication (soft delete, example rows), its JSON and routes.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/migrator.hpp"

namespace resumate::jobs {

inline constexpr std::string_view kStatuses[] = {"Applied", "Interviewing", "Offer", "Rejected"};

struct JobApplication {
    int64_t id = 0;
    int64_t user_id = 0;
    std::optional<int64_t> resume_used;
    std::optional<std::string> job_title;
    std::optional<std::string> company_name;
    std::optional<std::string> original_job_description;
    std::optional<util::Date> date_applied;
    std::string status = "Applied";
    std::optional<std::string> notes;
    bool is_deleted = false;
    bool is_example = false;
    util::Timestamp created_at;
    util::Timestamp updated_at;
};

class JobStore {
public:
    explicit JobStore(db::Database& db) : db_(db) {}
    // The user's applications that are not deleted, in id order.
    db::Task<std::vector<JobApplication>> list(int64_t user_id, int64_t limit = 0, int64_t offset = 0);
    db::Task<int64_t> count(int64_t user_id);
    db::Task<std::optional<JobApplication>> find(int64_t user_id, int64_t id);
    db::Task<JobApplication> create(const JobApplication& a);
    db::Task<void> update(const JobApplication& a);  // every writable column, updated_at = now
    db::Task<bool> soft_delete(int64_t user_id, int64_t id);

    // Up to 5 examples (is_example, not deleted), in id order.
    db::Task<std::vector<JobApplication>> examples();
    db::Task<std::optional<JobApplication>> example(int64_t id);
    // The original's five examples owned by example_user; idempotent. Returns rows inserted.
    db::Task<int> seed_examples(int64_t example_user_id);

private:
    db::Database& db_;
};

std::vector<db::Migration> migrations();

}  // namespace resumate::jobs
