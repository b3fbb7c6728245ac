#pragma once
#include <vector>

#include "http/context.hpp"
#include "http/router.hpp"
#include "quotas/storage_quota.hpp"
#include "util/worker_pool.hpp"

namespace resumate::resumes {

// /api/resumes/ and /api/resumes/{id}/ (DRF's ModelViewSet with format suffixes), and
// /api/resumes/import/. Creates and updates keep within `limits` (which must outlive the
// routes).
class ResumeRoutes {
  public:
    // Exports typeset PDF and DOCX on `cpu_pool` (which must outlive the routes); without one,
    // on the calling thread.
    explicit ResumeRoutes(const quotas::StorageLimits& limits, util::WorkerPool* cpu_pool = nullptr)
        : limits_(limits), cpu_pool_(cpu_pool) {}
    std::vector<http::RouteDef> routes();
    // The schemas its routes' descriptions name.
    static std::vector<http::SchemaDef> schemas();

  private:
    http::Task<http::Response> list(http::Context& ctx);
    http::Task<http::Response> create(http::Context& ctx);
    http::Task<http::Response> retrieve(http::Context& ctx);
    http::Task<http::Response> replace(http::Context& ctx);
    http::Task<http::Response> partial_update(http::Context& ctx);
    http::Task<http::Response> destroy(http::Context& ctx);
    http::Task<http::Response> update(http::Context& ctx, bool partial);
    http::Task<http::Response> import_resume(http::Context& ctx);
    http::Task<http::Response> export_resume(http::Context& ctx);

    const quotas::StorageLimits& limits_;
    util::WorkerPool* cpu_pool_ = nullptr;
};

}  // namespace resumate::resumes
