#pragma once
#include <vector>

#include "http/context.hpp"
#include "http/router.hpp"
#include "quotas/storage_quota.hpp"

namespace resumate::resumes {

// /api/resumes/ and /api/resumes/{id}/ (DRF's ModelViewSet with format suffixes). Creates and
// updates keep within `limits` (which must outlive the routes).
class ResumeRoutes {
  public:
    explicit ResumeRoutes(const quotas::StorageLimits& limits) : limits_(limits) {}
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

    const quotas::StorageLimits& limits_;
};

}  // namespace resumate::resumes
