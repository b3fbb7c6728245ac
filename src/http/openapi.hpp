#pragma once
// The machine-readable API description: an OpenAPI 3.1 document generated from the route
// tables (RouteDef, Endpoint::doc) and the features' named schemas (Router::add_schemas), never
// written by hand. What each endpoint's documentation does not say is derived from its route:
//  - path parameters from the path ({id}: a positive integer);
//  - security from its access (Open: none; Anyone: optional bearer; else bearer required);
//  - the error answers its route can give: 400/413/415 with a body, 401 unless Open, 403 for
//    Staff, 404 with a path parameter, 429 always (the anon/user rates and its scope), and the
//    statuses it lists (e.g. 503);
//  - `?limit=&offset=` and DRF's page envelope for paginated lists.
// The operations probes (/healthz, /readyz, /metrics), answered by the pipeline before any
// route, are described too.
#include <boost/json/object.hpp>
#include <mutex>
#include <string_view>

#include "http/router.hpp"

namespace resumate::http {

struct OpenApiInfo {
    std::string_view title = "ResuMate API";
    std::string_view version = {};
    std::string_view description = {};
};

// Throws std::runtime_error when an endpoint has no summary, or a schema is not valid JSON or
// names a component that does not exist: the description must cover everything it claims to.
boost::json::object openapi_document(const Router& router, const OpenApiInfo& info);

// GET /api/schema/ and GET /api/docs/ (the page that renders it, from the web app's files):
// a route table like the features' ones.
class StaticSite;
class ApiDescriptionRoutes {
  public:
    ApiDescriptionRoutes(const Router& router, OpenApiInfo info, const StaticSite* site);
    std::vector<RouteDef> routes();
    // The document as JSON text, made on first use (every route is in the router by then).
    const std::string& document();

  private:
    Task<Response> schema(Context& ctx);
    Task<Response> docs(Context& ctx);

    const Router& router_;
    OpenApiInfo info_;
    const StaticSite* site_;
    std::once_flag rendered_once_;
    std::string rendered_;
};

}  // namespace resumate::http
