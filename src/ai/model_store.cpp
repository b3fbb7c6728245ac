#include "ai/model_store.hpp"

namespace resumate::ai {
namespace {

constexpr std::string_view kColumns =
    "id, display_name, model_name, api_provider, api_key_name, is_active, login_required, "
    "daily_limit, "
    "response_time_info, description, created_at, updated_at";

AiModel from_row(const db::Row& r) {
    AiModel m;
    m.id = r.integer(0);
    m.display_name = r.text(1);
    m.model_name = r.text(2);
    m.api_provider = r.text(3);
    m.api_key_name = r.text(4);
    m.is_active = r.boolean(5);
    m.login_required = r.boolean(6);
    m.daily_limit = r.integer(7);
    m.response_time_info = r.text(8);
    m.description = r.text(9);
    m.created_at = r.timestamp(10);
    m.updated_at = r.timestamp(11);
    return m;
}

std::vector<AiModel> all_rows(const db::Result& res) {
    std::vector<AiModel> out;
    for (const auto& row : res.rows) out.push_back(from_row(row));
    return out;
}

struct Seed {
    const char* display_name;
    const char* model_name;
    const char* provider;
    const char* key;
    bool login_required;
    int daily_limit;
    const char* response_time;
    const char* description;
};

constexpr Seed kSeeds[] = {
    {"Google Gemini", "gemini-2.0-flash-exp", "google_gemini", "GEMINI_API_KEY", true, 5, "Fast",
     "Google's Gemini model. Requires login; 5 resumes per day."},
    {"Deepseek", "deepseek/deepseek-r1", "open_router", "OPENROUTER_API_KEY", false, 0,
     "10-20 seconds", "Deepseek R1 via OpenRouter. Free for everyone."},
    {"Cypher", "teknium/openhermes-2.5", "open_router", "OPENROUTER_API_KEY", false, 0,
     "5-10 seconds", "OpenHermes 2.5 via OpenRouter. Free for everyone."},
    {"ResuMate Offline", "offline", "offline", "", false, 0, "Instant",
     "Built-in generator that runs on the server itself: no API key, no network, deterministic "
     "output."},
    {"Auto", "auto", "auto", "", false, 0, "Varies",
     "Sends each request to the healthiest model you may use right now."},
};

}  // namespace

db::Task<std::vector<AiModel>> ModelStore::active_by_name() {
    static const std::string sql = "SELECT " + std::string(kColumns) +
                                   " FROM ai_aimodel WHERE is_active = $1 ORDER BY display_name";
    co_return all_rows(co_await db_.read(sql, true));
}

db::Task<std::vector<AiModel>> ModelStore::list() {
    static const std::string sql =
        "SELECT " + std::string(kColumns) + " FROM ai_aimodel ORDER BY id";
    co_return all_rows(co_await db_.read(sql));
}

db::Task<std::optional<AiModel>> ModelStore::find(int64_t id) {
    static const std::string sql =
        "SELECT " + std::string(kColumns) + " FROM ai_aimodel WHERE id = $1";
    auto res = co_await db_.read(sql, id);
    if (res.empty()) co_return std::nullopt;
    co_return from_row(res.rows[0]);
}

db::Task<std::optional<AiModel>> ModelStore::find_active_by_display_name(const std::string& name) {
    static const std::string sql =
        "SELECT " + std::string(kColumns) +
        " FROM ai_aimodel WHERE UPPER(display_name) = UPPER($1) AND is_active = $2 ORDER BY id";
    auto res = co_await db_.read(sql, name, true);
    if (res.empty()) co_return std::nullopt;
    co_return from_row(res.rows[0]);
}

db::Task<bool> ModelStore::display_name_taken(const std::string& name, int64_t except_id) {
    auto res = co_await db_.read("SELECT 1 FROM ai_aimodel WHERE display_name = $1 AND id <> $2",
                                 name, except_id);
    co_return !res.empty();
}

db::Task<AiModel> ModelStore::create(const AiModel& m) {
    static const std::string sql =
        "INSERT INTO ai_aimodel (display_name, model_name, api_provider, api_key_name, is_active, "
        "login_required, "
        "daily_limit, response_time_info, description, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING " +
        std::string(kColumns);
    auto res = co_await db_.query(sql, m.display_name, m.model_name, m.api_provider, m.api_key_name,
                                  m.is_active, m.login_required, m.daily_limit,
                                  m.response_time_info, m.description, util::now());
    co_return from_row(res.rows.at(0));
}

db::Task<void> ModelStore::update(const AiModel& m) {
    co_await db_.query(
        "UPDATE ai_aimodel SET display_name = $1, model_name = $2, api_provider = $3, api_key_name "
        "= $4, "
        "is_active = $5, login_required = $6, daily_limit = $7, response_time_info = $8, "
        "description = $9, "
        "updated_at = $10 WHERE id = $11",
        m.display_name, m.model_name, m.api_provider, m.api_key_name, m.is_active, m.login_required,
        m.daily_limit, m.response_time_info, m.description, util::now(), m.id);
}

db::Task<bool> ModelStore::remove(int64_t id) {
    auto res = co_await db_.query("DELETE FROM ai_aimodel WHERE id = $1", id);
    co_return res.affected > 0;
}

db::Task<int> ModelStore::seed_defaults() {
    int inserted = 0;
    for (const auto& s : kSeeds) {
        auto existing = co_await db_.read("SELECT 1 FROM ai_aimodel WHERE display_name = $1",
                                          std::string(s.display_name));
        if (!existing.empty()) continue;
        AiModel m;
        m.display_name = s.display_name;
        m.model_name = s.model_name;
        m.api_provider = s.provider;
        m.api_key_name = s.key;
        m.login_required = s.login_required;
        m.daily_limit = s.daily_limit;
        m.response_time_info = s.response_time;
        m.description = s.description;
        try {
            co_await create(m);
            ++inserted;
        } catch (const db::UniqueViolation&) {
            // Seeded concurrently by another process.
        }
    }
    co_return inserted;
}

}  // namespace resumate::ai
