#pragma once
// Routes as data. Each feature declares its routes in one table of RouteDef rows — path,
// access, throttle scope, handlers — and the Router matches a request path against them. The
// request cycle around a route (authentication, permission, throttle, errors) is the pipeline's
// (http/pipeline.hpp); the Router only finds the route.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace resumate::http {

template <typename T>
using Task = boost::asio::awaitable<T>;

class Context;
using Handler = std::function<Task<Response>(Context&)>;

// Who may call a route (DRF's authentication_classes + permission_classes).
enum class Access {
    Open,           // no authentication at all (simplejwt's token views)
    Anyone,         // AllowAny, but a bad token is still a 401
    Authenticated,  // IsAuthenticated
    Staff,          // IsAdminUser
    Account,        // IsAuthenticated with the account's own token, not an API key: managing
                    // keys, the password, the account itself
};

// DRF's ScopedRateThrottle: a route counts against its scope's rate (RESUMATE_THROTTLE names
// the rates) besides the anon/user rates every route counts against.
struct ThrottleScope {
    std::string_view name;
};
inline constexpr ThrottleScope kNoScope{};

enum class Method { Get, Post, Put, Patch, Delete };
std::string_view method_name(Method m);

// A query parameter, for the API description.
struct QueryParam {
    std::string_view name;
    std::string_view description;
    std::string_view type = "string";  // a JSON Schema type: string, integer, boolean
    bool repeatable = false;
};

// What the API description (http/openapi.hpp) says of one endpoint beyond what the route table
// already tells (path parameters, access, throttling and the errors those bring are derived).
// Schemas are named components (see SchemaDef).
struct EndpointDoc {
    std::string_view summary;
    std::string_view request = {};  // the JSON (or form) body's schema; empty: no body
    // A multipart/form-data body with a file in this field is accepted too (or instead, when
    // `request` is empty); `upload_types`: the file kinds it takes, for the description.
    std::string_view upload = {};
    std::string_view upload_types = {};
    std::string_view response = {};  // the success body's schema; "[Name]": an array of Name
    unsigned status = 200;           // the success status
    std::string_view media = {};     // the success body's media type, when not JSON
    std::vector<QueryParam> query = {};
    bool paginated = false;             // ?limit=&offset= gives DRF's page envelope
    std::vector<unsigned> errors = {};  // statuses beyond the derived ones, e.g. 503
    std::string_view description = {};
};

struct Endpoint {
    Method method;
    Handler handler;
    EndpointDoc doc = {};
};

// A member function of a feature's route class as a handler: `on(Method::Get, this, &X::list,
// {.summary = "…", .response = "[Resume]"})`.
template <typename T>
Endpoint on(Method method, T* self, Task<Response> (T::*fn)(Context&), EndpointDoc doc = {}) {
    return {method, [self, fn](Context& ctx) { return (self->*fn)(ctx); }, std::move(doc)};
}

// A free function as a handler.
inline Endpoint on(Method method, Task<Response> (*fn)(Context&), EndpointDoc doc = {}) {
    return {method, fn, std::move(doc)};
}

// A named JSON Schema for the API description's components, as JSON text, e.g.
// {"Resume", R"({"type": "object", ...})"}. References to others: {"$ref": "#/components/..."}.
struct SchemaDef {
    std::string_view name;
    std::string_view json;
};

// One row of a feature's route table.
struct RouteDef {
    std::string_view path;  // e.g. "/api/resumes/{id}/"; {…} is a path parameter
    std::string_view name;  // DRF's view name (OPTIONS)
    Access access;
    ThrottleScope scope;
    std::vector<Endpoint> endpoints;
    // DRF's format_suffix_patterns: also answered at "<path>.json" (other formats: 404).
    bool format_suffix = false;
    std::string_view description = {};  // DRF's view docstring (OPTIONS)
    // Media types the route also answers in (comma-separated), for a client that accepts only
    // one of them.
    std::string_view also_accepts = {};
};

// A route as the router keeps it.
struct Route {
    RouteDef def;
    std::vector<std::string> segments;  // "{}" marks a parameter
    std::string allow;                  // e.g. "GET, POST, HEAD, OPTIONS"
    // The handler for a method (HEAD: GET's), or nullptr.
    const Handler* handler(std::string_view method) const;
    // True when the endpoint for `method` documents the query parameter `name`: a route that
    // documents `format` reads ?format= itself (an export), so it is not DRF's format override.
    bool takes_query(std::string_view method, std::string_view name) const;
};

// What a request path is: a route (with its parameters and ".json" suffix), a redirect
// (Django's APPEND_SLASH), or nothing.
struct RouteMatch {
    const Route* route = nullptr;
    std::vector<std::string> params;
    std::string format;  // from a ".json" suffix
};

class Router {
  public:
    void add(std::vector<RouteDef> table);
    // A feature's schemas, for the API description.
    void add_schemas(const std::vector<SchemaDef>& schemas);
    const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
    const std::vector<SchemaDef>& schemas() const { return schemas_; }
    std::optional<RouteMatch> match(std::string_view path) const;
    // Django's APPEND_SLASH: the redirect for a path that matches only with a trailing slash.
    std::optional<Response> slash_redirect(const Request& req) const;

  private:
    std::vector<std::unique_ptr<Route>> routes_;
    std::vector<SchemaDef> schemas_;
};

// DRF's content negotiation: true when the client accepts JSON (or anything we answer with).
bool accepts_json(std::string_view accept);
// True when the client's Accept names one of `media_types` (comma-separated), parameters aside.
bool accepts_one_of(std::string_view accept, std::string_view media_types);
// DRF's OPTIONS answer for a route without an OPTIONS handler.
Response options_metadata(const Route& route);

}  // namespace resumate::http
