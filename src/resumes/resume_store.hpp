// resumes/: the resume_resume table, its JSON and the /api/resumes/ routes.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/migrator.hpp"

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

struct Page {
    int64_t limit = 0;  // 0 → everything
    int64_t offset = 0;
};

class ResumeStore {
public:
    explicit ResumeStore(db::Database& db) : db_(db) {}
    // Newest updated_at first.
    db::Task<std::vector<Resume>> list(int64_t user_id, Page page = {});
    db::Task<int64_t> count(int64_t user_id);
    db::Task<std::optional<Resume>> find(int64_t user_id, int64_t id);
    db::Task<bool> exists(int64_t user_id, int64_t id);
    db::Task<Resume> create(int64_t user_id, std::string title, std::string content);
    db::Task<void> update(const Resume& r);  // title, content, updated_at = now
    // Hard delete; applications that used it keep existing with resume_used = NULL.
    db::Task<bool> remove(int64_t user_id, int64_t id);

private:
    db::Database& db_;
};

std::vector<db::Migration> migrations();

}  // namespace resumate::resumes
