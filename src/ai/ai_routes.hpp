#pragma once
#include <string_view>
#include <vector>

#include "ai/generation.hpp"
#include "cache/cache.hpp"
#include "http/context.hpp"
#include "http/router.hpp"

namespace resumate::ai {

inline constexpr std::string_view kModelsCacheKey = "ai_models_list";

// GET /api/ai/models/, POST /api/ai/generate/ (+ stream/), POST /api/resumes/{id}/tailor/
// (+ stream/), and the staff-only
// /api/admin/ai-models/ (+ {id}/). `deps` says where generations go (see GenerationDeps); it
// and `cache` must outlive the routes.
class AiRoutes {
  public:
    AiRoutes(cache::Cache& cache, GenerationDeps deps) : cache_(cache), deps_(std::move(deps)) {}
    std::vector<http::RouteDef> routes();
    // The schemas its routes' descriptions name.
    static std::vector<http::SchemaDef> schemas();

  private:
    http::Task<http::Response> list_models(http::Context& ctx);
    http::Task<http::Response> generate(http::Context& ctx);
    http::Task<http::Response> generate_stream(http::Context& ctx);
    http::Task<http::Response> tailor(http::Context& ctx);
    http::Task<http::Response> tailor_stream(http::Context& ctx);
    // A planned generation: one JSON answer (201), or Server-Sent Events.
    http::Task<http::Response> answer(http::Context& ctx, GenerationPlan plan);
    http::Response stream_answer(http::Context& ctx, GenerationPlan plan);
    http::Task<http::Response> admin_list(http::Context& ctx);
    http::Task<http::Response> admin_create(http::Context& ctx);
    http::Task<http::Response> admin_retrieve(http::Context& ctx);
    http::Task<http::Response> admin_replace(http::Context& ctx);
    http::Task<http::Response> admin_partial_update(http::Context& ctx);
    http::Task<http::Response> admin_update(http::Context& ctx, bool partial);
    http::Task<http::Response> admin_destroy(http::Context& ctx);

    cache::Cache& cache_;
    GenerationDeps deps_;
};

}  // namespace resumate::ai
