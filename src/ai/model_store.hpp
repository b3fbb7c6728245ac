// ai/: the ai_aimodel table, the provider interface and providers, generation routes.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace resumate::ai {

struct AiModel {
    int64_t id = 0;
    std::string display_name;
    std::string model_name;
    std::string api_provider;  // google_gemini, open_router, openai_compatible, offline, auto
    std::string api_key_name;  // environment variable holding the key; empty = none needed
    bool is_active = true;
    bool login_required = false;
    int64_t daily_limit = 0;  // 0 = unlimited
    std::string response_time_info;
    std::string description;
    util::Timestamp created_at;
    util::Timestamp updated_at;
};

inline constexpr std::string_view kProviders[] = {"google_gemini", "open_router",
                                                  "openai_compatible", "offline", "auto"};

class ModelStore {
  public:
    explicit ModelStore(db::Database& db) : db_(db) {}
    db::Task<std::vector<AiModel>> active_by_name();  // ordered by display_name
    db::Task<std::vector<AiModel>> list();            // every model, ordered by id
    db::Task<std::optional<AiModel>> find(int64_t id);
    // Active model whose display name matches case-insensitively (Django's iexact).
    db::Task<std::optional<AiModel>> find_active_by_display_name(const std::string& name);
    db::Task<bool> display_name_taken(const std::string& name, int64_t except_id = 0);
    db::Task<AiModel> create(const AiModel& m);
    db::Task<void> update(const AiModel& m);
    db::Task<bool> remove(int64_t id);
    // The five default models (the Django version's seed data); idempotent (existing display names
    // are left alone).
    db::Task<int> seed_defaults();

  private:
    db::Database& db_;
};

}  // namespace resumate::ai
