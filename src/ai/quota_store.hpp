#pragma once
#include <string>

#include "db/database.hpp"

namespace resumate::ai {

// Per-model daily generation counts (a model's daily_limit), kept in the database so they
// survive restarts and are shared by every instance. One row per (model, subject, UTC day);
// the subject is "user:<id>" or "ip:<address>".
class QuotaStore {
  public:
    explicit QuotaStore(db::Database& db) : db_(db) {}
    // Takes one unit of the day's allowance, atomically: false when `limit` is already used up.
    db::Task<bool> reserve(int64_t model_id, const std::string& subject, util::Date day,
                           int64_t limit);
    // Gives a unit back (the generation failed: failures do not use up the allowance).
    db::Task<void> release(int64_t model_id, const std::string& subject, util::Date day);

  private:
    db::Database& db_;
};

}  // namespace resumate::ai
