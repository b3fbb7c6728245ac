#pragma once
#include <string_view>
#include <vector>

#include "cache/cache.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "quotas/storage_quota.hpp"

namespace resumate::jobs {

inline constexpr std::string_view kExamplesCacheKey = "example_job_applications_list";

// /api/job-applications/ (+ {id}/) and /api/example-job-applications/ (+ {id}/), and the
// tracker beyond the original: the list's filters, stats/, trash/ and {id}/restore/, export/ and
// import/ (CSV). Creates, updates, restores and imports keep within `limits` (which must outlive
// the routes).
class JobRoutes {
  public:
    JobRoutes(cache::Cache& cache, const quotas::StorageLimits& limits)
        : cache_(cache), limits_(limits) {}
    std::vector<http::RouteDef> routes();
    // The schemas its routes' descriptions name.
    static std::vector<http::SchemaDef> schemas();

  private:
    http::Task<http::Response> list(http::Context& ctx);
    http::Task<http::Response> create(http::Context& ctx);
    http::Task<http::Response> retrieve(http::Context& ctx);
    http::Task<http::Response> match(http::Context& ctx);
    // PUT and PATCH alike: every field is optional.
    http::Task<http::Response> update(http::Context& ctx);
    http::Task<http::Response> destroy(http::Context& ctx);
    // The tracker (beyond the original).
    http::Task<http::Response> stats(http::Context& ctx);
    http::Task<http::Response> trash(http::Context& ctx);
    http::Task<http::Response> restore(http::Context& ctx);
    http::Task<http::Response> export_csv(http::Context& ctx);
    http::Task<http::Response> import_csv(http::Context& ctx);
    http::Task<http::Response> list_examples(http::Context& ctx);
    http::Task<http::Response> retrieve_example(http::Context& ctx);

    cache::Cache& cache_;
    const quotas::StorageLimits& limits_;
};

}  // namespace resumate::jobs
