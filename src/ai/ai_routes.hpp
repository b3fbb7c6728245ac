#pragma once
#include "ai/key_store.hpp"
#include "ai/provider.hpp"
#include "cache/cache.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "quotas/storage_quota.hpp"
#include "users/system_users.hpp"

namespace resumate::ai {

inline constexpr std::string_view kModelsCacheKey = "ai_models_list";

// GET /api/ai/models/, POST /api/ai/generate/, and the staff-only /api/admin/ai-models/.
// `max_input_chars`: user_input's max_length (RESUMATE_AI_MAX_INPUT_CHARS); anonymous generations
// are saved to `system_users`' anonymous account; `limits`: the storage quota a logged-in
// caller's generations count against (must outlive the router).
void add_ai_routes(http::Router& router, db::Database& db, cache::Cache& cache,
                   const ProviderRegistry& providers, const KeyStore& keys, size_t max_input_chars,
                   users::SystemUsers& system_users, const quotas::StorageLimits& limits);

}  // namespace resumate::ai
