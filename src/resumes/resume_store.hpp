// resumes/: the resume_resume table, its JSON and the /api/resumes/ routes.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "quotas/storage_quota.hpp"

namespace resumate::resumes {

struct Resume {
    int64_t id = 0;
    int64_t user_id = 0;
    std::string username;  // the serializer shows the owner's username
    std::string title;
    std::string content;
    util::Timestamp created_at;
    util::Timestamp updated_at;
};

class ResumeStore {
  public:
    // With `limits`, create and update refuse (403, nothing saved) what would pass the user's
    // storage quota.
    explicit ResumeStore(db::Database& db, const quotas::StorageLimits* limits = nullptr)
        : db_(db), limits_(limits) {}
    // Newest updated_at first.
    db::Task<std::vector<Resume>> list(int64_t user_id, db::Page page = {});
    db::Task<int64_t> count(int64_t user_id);
    db::Task<std::optional<Resume>> find(int64_t user_id, int64_t id);
    db::Task<bool> exists(int64_t user_id, int64_t id);
    db::Task<Resume> create(const Resume& r);  // user_id, title, content
    db::Task<void> update(const Resume& r);    // title, content, updated_at = now
    // Hard delete; applications that used it keep existing with resume_used = NULL.
    db::Task<bool> remove(int64_t user_id, int64_t id);

    // Deletes up to `batch` of the user's resumes created before `cutoff` (applications that used
    // them keep existing with resume_used = NULL); how many it deleted.
    db::Task<int64_t> remove_created_before(int64_t user_id, util::Timestamp cutoff, int64_t batch);
    // The user's resumes in list order (newest updated_at first): the first ones whole, the ids
    // of the rest (db::ListHead), for a list read in pages.
    db::Task<db::ListHead<Resume>> list_head(int64_t user_id);
    // The rows among `ids` (at most 64) that still exist, in the order of `ids`.
    db::Task<std::vector<Resume>> fetch(int64_t user_id, const std::vector<int64_t>& ids);

  private:
    db::Database& db_;
    const quotas::StorageLimits* limits_;
};

// Account deletion (users::UserData): every resume of the user, inside the deletion's
// transaction; applications that used one keep existing with resume_used NULL. Returns how many.
db::Task<int64_t> erase_user_resumes(db::Connection& c, int64_t user_id);

}  // namespace resumate::resumes
