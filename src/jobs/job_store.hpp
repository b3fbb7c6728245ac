// jobs/: job_tracker_jobapplication (soft delete, example rows), its JSON and routes.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/migrator.hpp"
#include "jobs/job_query.hpp"
#include "jobs/job_stats.hpp"
#include "quotas/storage_quota.hpp"

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
    // With `limits`, create and update refuse (403, nothing saved) what would pass the user's
    // storage quota.
    explicit JobStore(db::Database& db, const quotas::StorageLimits* limits = nullptr)
        : db_(db), limits_(limits) {}
    // The user's applications that are not deleted, in id order.
    db::Task<std::vector<JobApplication>> list(int64_t user_id, db::Page page = {});
    db::Task<int64_t> count(int64_t user_id);
    db::Task<std::optional<JobApplication>> find(int64_t user_id, int64_t id);
    db::Task<JobApplication> create(const JobApplication& a);
    db::Task<void> update(const JobApplication& a);  // every writable column, updated_at = now
    // A soft delete: the row stays, marked is_deleted, and no read sees it again.
    db::Task<bool> remove(int64_t user_id, int64_t id);

    // Up to 5 examples (is_example, not deleted), in id order.
    db::Task<std::vector<JobApplication>> examples();
    db::Task<std::optional<JobApplication>> example(int64_t id);
    // The original's five examples owned by example_user; idempotent. Returns rows inserted.
    db::Task<int> seed_examples(int64_t example_user_id);

    // The user's live applications in list order (id order): the first ones whole, the ids of
    // the rest (db::ListHead), for a list read in pages.
    db::Task<db::ListHead<JobApplication>> list_head(int64_t user_id);
    // The live rows among `ids` (1 to 64), in the order of `ids`.
    db::Task<std::vector<JobApplication>> fetch(int64_t user_id, const std::vector<int64_t>& ids);

    // The tracker (beyond the original).
    //
    // The user's live applications with the query's statuses and within its dates, as
    // order_keys() sorts them, in id order.
    db::Task<std::vector<JobListKey>> list_keys(int64_t user_id, const JobListQuery& query);
    // What a search looks in, of the user's live applications with ids from `first` to `last`,
    // in id order.
    db::Task<std::vector<JobSearchText>> search_text(int64_t user_id, int64_t first, int64_t last);
    // The ids of the user's live applications, in id order.
    db::Task<std::vector<int64_t>> list_ids(int64_t user_id);
    // The trash: the user's deleted applications, last deleted first (updated_at DESC, id DESC):
    // their ids and text sizes / a page of them / how many / the deleted rows among `ids`
    // (1 to 64) in the order of `ids`.
    db::Task<std::vector<JobListKey>> trash_keys(int64_t user_id);
    db::Task<std::vector<JobApplication>> trash(int64_t user_id, db::Page page);
    db::Task<int64_t> count_trash(int64_t user_id);
    db::Task<std::vector<JobApplication>> fetch_deleted(int64_t user_id,
                                                        const std::vector<int64_t>& ids);
    // Takes a deleted application out of the trash (updated_at = now); with `limits`, within the
    // quota, which counts it again. False when the user has no such deleted application.
    db::Task<bool> restore(int64_t user_id, int64_t id);
    // The user's live applications counted by status and date_applied, and those without a
    // date_applied by the (UTC) day they were created: small aggregates, whatever the number of
    // rows, read in the order of an index that holds all they read.
    db::Task<JobCounts> counts(int64_t user_id);
    // Inserts every row for the user in one transaction, all or none; with `limits`, within the
    // quota for all of them together. Returns how many.
    db::Task<int64_t> create_many(int64_t user_id, const std::vector<JobApplication>& rows);
    // Which of `ids` are the user's resumes.
    db::Task<std::set<int64_t>> owned_resume_ids(int64_t user_id, const std::vector<int64_t>& ids);

  private:
    db::Task<std::vector<JobApplication>> fetch_rows(int64_t user_id,
                                                     const std::vector<int64_t>& ids, bool deleted);

    db::Database& db_;
    const quotas::StorageLimits* limits_;
};

// Account deletion (users::UserData): every application of the user, in the trash too, inside
// the deletion's transaction. Returns how many.
db::Task<int64_t> erase_user_applications(db::Connection& c, int64_t user_id);

}  // namespace resumate::jobs
