#include "http/openapi.hpp"

#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <stdexcept>

#include "http/context.hpp"
#include "http/errors.hpp"
#include "http/static_site.hpp"
#include "util/strings.hpp"

namespace resumate::http {
namespace {

namespace json = boost::json;

json::value ref(std::string_view name) {
    return json::object{{"$ref", "#/components/schemas/" + std::string(name)}};
}

// "Name" → its $ref; "[Name]" → an array of it.
json::value schema_for(std::string_view spec) {
    if (spec.size() > 2 && spec.front() == '[' && spec.back() == ']')
        return json::object{{"type", "array"}, {"items", ref(spec.substr(1, spec.size() - 2))}};
    return ref(spec);
}

json::object json_content(json::value schema) {
    return json::object{{"application/json", json::object{{"schema", std::move(schema)}}}};
}

json::object error_response_doc(std::string_view description, json::value schema) {
    return json::object{{"description", description}, {"content", json_content(std::move(schema))}};
}

std::string lower_method(Method m) {
    return util::to_lower_ascii(method_name(m));
}

// "/api/job-applications/{id}/" → "job-applications"; "/api/" → "api".
std::string tag_of(std::string_view path) {
    std::string_view rest = path.substr(path.starts_with("/api/") ? 5 : 1);
    const size_t slash = rest.find('/');
    std::string tag(rest.substr(0, slash));
    return tag.empty() ? "api" : tag;
}

// "post" + "/api/auth/token/refresh/" → "post_auth_token_refresh"; {id} → "by_id".
std::string operation_id(Method m, std::string_view path) {
    std::string id = lower_method(m);
    std::string_view rest = path.starts_with("/api/") ? path.substr(5) : path.substr(1);
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        id += '_';
        id += word;
        word.clear();
    };
    for (char c : rest) {
        if (c == '/') {
            flush();
        } else if (c == '{') {
            word += "by_";
        } else if (c == '}') {
        } else if (c == '-') {
            word += '_';
        } else {
            word += c;
        }
    }
    flush();
    if (id == lower_method(m)) id += "_root";
    return id;
}

// Every "$ref" in `v` names an existing component.
void check_refs(const json::value& v, const std::set<std::string, std::less<>>& names,
                std::string_view where) {
    if (const auto* o = v.if_object()) {
        if (auto it = o->find("$ref"); it != o->end() && it->value().is_string()) {
            std::string_view r = it->value().as_string();
            constexpr std::string_view prefix = "#/components/schemas/";
            if (!r.starts_with(prefix) || !names.contains(r.substr(prefix.size())))
                throw std::runtime_error("API description: " + std::string(where) +
                                         " refers to unknown schema " + std::string(r));
        }
        for (const auto& kv : *o) check_refs(kv.value(), names, where);
    } else if (const auto* a = v.if_array()) {
        for (const auto& x : *a) check_refs(x, names, where);
    }
}

// The schemas every description has: the error bodies and the page envelope's parts.
constexpr SchemaDef kCommonSchemas[] = {
    {"ErrorDetail", R"json({
      "type": "object",
      "description": "DRF's error body. Token errors add `code` and `messages`.",
      "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "messages": {"type": "array", "items": {"type": "object"}}
      },
      "required": ["detail"]})json"},
    {"ValidationErrors", R"json({
      "type": "object",
      "description": "Field name (or `non_field_errors`) to its messages, DRF's texts.",
      "additionalProperties": {"type": "array", "items": {"type": "string"}}})json"},
    {"ServiceError", R"json({
      "type": "object",
      "description": "An AI provider failed or is not configured.",
      "properties": {"error": {"type": "string"}},
      "required": ["error"]})json"},
};

struct Probe {
    std::string_view path;
    std::string_view summary;
    std::string_view media;
    std::string_view schema;  // JSON text
};
constexpr Probe kProbes[] = {
    {"/healthz", "Liveness: 200 while the process serves", "application/json",
     R"json({"type": "object", "properties": {"status": {"const": "ok"}}, "required": ["status"]})json"},
    {"/readyz", "Readiness: the database, the cache and the migrations", "application/json",
     R"json({"type": "object", "properties": {"status": {"enum": ["ready", "unavailable"]},
         "checks": {"type": "object", "additionalProperties": {"type": "string"}}},
         "required": ["status", "checks"]})json"},
    {"/metrics",
     "Prometheus metrics, to RESUMATE_METRICS_ALLOW addresses (others get the 404 of an unknown "
     "route)",
     "text/plain; version=0.0.4", R"json({"type": "string"})json"},
};

json::object operation(const Route& route, const Endpoint& e) {
    const RouteDef& def = route.def;
    const EndpointDoc& doc = e.doc;
    const std::string where = std::string(method_name(e.method)) + " " + std::string(def.path);
    if (doc.summary.empty()) throw std::runtime_error("API description: no summary for " + where);
    json::object op;
    op["operationId"] = operation_id(e.method, def.path);
    op["summary"] = doc.summary;
    std::string description(doc.description.empty() ? def.description : doc.description);
    if (!def.scope.name.empty()) {
        if (!description.empty()) description += "\n\n";
        description += "Throttle scope: `" + std::string(def.scope.name) + "`.";
    }
    if (!description.empty()) op["description"] = description;
    op["tags"] = json::array{json::string(tag_of(def.path))};

    json::array params;
    for (size_t i = 0; i < def.path.size(); ++i) {
        if (def.path[i] != '{') continue;
        const size_t end = def.path.find('}', i);
        params.push_back(
            json::object{{"name", def.path.substr(i + 1, end - i - 1)},
                         {"in", "path"},
                         {"required", true},
                         {"schema", json::object{{"type", "integer"}, {"minimum", 1}}}});
        i = end;
    }
    for (const QueryParam& q : doc.query) {
        json::object schema{{"type", q.type}};
        if (q.repeatable) schema = json::object{{"type", "array"}, {"items", std::move(schema)}};
        json::object p{{"name", q.name}, {"in", "query"}, {"required", false}, {"schema", schema}};
        if (!q.description.empty()) p["description"] = q.description;
        if (q.repeatable) {
            p["style"] = "form";
            p["explode"] = true;
        }
        params.push_back(std::move(p));
    }
    if (doc.paginated) {
        params.push_back(
            json::object{{"name", "limit"},
                         {"in", "query"},
                         {"required", false},
                         {"description", "Page size: the answer becomes DRF's page envelope."},
                         {"schema", json::object{{"type", "integer"}, {"minimum", 1}}}});
        params.push_back(
            json::object{{"name", "offset"},
                         {"in", "query"},
                         {"required", false},
                         {"schema", json::object{{"type", "integer"}, {"minimum", 0}}}});
    }
    if (!params.empty()) op["parameters"] = std::move(params);

    if (!doc.request.empty() || !doc.upload.empty()) {
        json::object content;
        if (!doc.request.empty()) {
            json::value schema = schema_for(doc.request);
            content["application/json"] = json::object{{"schema", schema}};
            content["application/x-www-form-urlencoded"] = json::object{{"schema", schema}};
        }
        if (!doc.upload.empty()) {
            json::object file{{"type", "string"}, {"contentMediaType", "application/octet-stream"}};
            if (!doc.upload_types.empty()) file["description"] = doc.upload_types;
            content["multipart/form-data"] = json::object{
                {"schema", json::object{{"type", "object"},
                                        {"properties", json::object{{doc.upload, file}}},
                                        {"required", json::array{doc.upload}}}}};
        }
        op["requestBody"] = json::object{{"required", true}, {"content", std::move(content)}};
    }

    switch (def.access) {
        case Access::Open:
            op["security"] = json::array{};
            break;
        case Access::Anyone:
            op["security"] =
                json::array{json::object{}, json::object{{"bearerAuth", json::array{}}},
                            json::object{{"apiKeyAuth", json::array{}}}};
            break;
        case Access::Authenticated:
            op["security"] = json::array{json::object{{"bearerAuth", json::array{}}},
                                         json::object{{"apiKeyAuth", json::array{}}}};
            break;
        case Access::Staff:
        case Access::Account:
            op["security"] = json::array{json::object{{"bearerAuth", json::array{}}}};
            break;
    }

    json::object responses;
    json::object ok{{"description", doc.summary}};
    if (!doc.response.empty()) {
        json::value schema = schema_for(doc.response);
        if (doc.paginated) {
            const std::string_view item = doc.response.front() == '['
                                              ? doc.response.substr(1, doc.response.size() - 2)
                                              : doc.response;
            schema = json::object{
                {"oneOf",
                 json::array{
                     schema,
                     json::object{
                         {"type", "object"},
                         {"description", "With ?limit= (and ?offset=): one page."},
                         {"properties",
                          json::object{
                              {"count", json::object{{"type", "integer"}}},
                              {"next", json::object{{"type", json::array{"string", "null"}},
                                                    {"format", "uri"}}},
                              {"previous", json::object{{"type", json::array{"string", "null"}},
                                                        {"format", "uri"}}},
                              {"results", json::object{{"type", "array"}, {"items", ref(item)}}}}},
                         {"required", json::array{"count", "next", "previous", "results"}}}}}};
        }
        if (doc.media.empty()) {
            ok["content"] = json_content(std::move(schema));
        } else {
            ok["content"] = json::object{{doc.media, json::object{{"schema", std::move(schema)}}}};
        }
    } else if (!doc.media.empty()) {
        ok["content"] =
            json::object{{doc.media, json::object{{"schema", json::object{{"type", "string"}}}}}};
    }
    responses[std::to_string(doc.status)] = std::move(ok);

    auto add = [&](unsigned status, json::object body) {
        const std::string key = std::to_string(status);
        if (!responses.contains(key)) responses[key] = std::move(body);
    };
    if (!doc.request.empty() || !doc.upload.empty() || !doc.query.empty() || doc.paginated) {
        add(400,
            error_response_doc(
                "Invalid input: field errors, or a malformed body",
                json::object{{"oneOf", json::array{ref("ValidationErrors"), ref("ErrorDetail")}}}));
    }
    if (!doc.request.empty() || !doc.upload.empty()) {
        add(413, error_response_doc("Request body too large", ref("ErrorDetail")));
        add(415, error_response_doc("Unsupported media type", ref("ErrorDetail")));
    }
    if (def.access != Access::Open)
        add(401, error_response_doc("Missing (where required) or invalid credentials",
                                    ref("ErrorDetail")));
    if (def.access == Access::Staff)
        add(403, error_response_doc("Not a staff user", ref("ErrorDetail")));
    if (def.access == Access::Account)
        add(403, error_response_doc("Called with an API key", ref("ErrorDetail")));
    if ((def.access == Access::Authenticated || def.access == Access::Anyone) &&
        e.method != Method::Get)
        add(403, error_response_doc("Called with an API key without the write scope",
                                    ref("ErrorDetail")));
    if (def.path.find('{') != std::string_view::npos)
        add(404, error_response_doc("No such object, or not the caller's", ref("ErrorDetail")));
    add(429, error_response_doc("Throttled; Retry-After says when to retry", ref("ErrorDetail")));
    for (unsigned status : doc.errors) {
        add(status, error_response_doc(
                        status == 503 ? "Unavailable (database, or the AI provider)" : "Error",
                        status == 503
                            ? json::value(json::object{
                                  {"oneOf", json::array{ref("ServiceError"), ref("ErrorDetail")}}})
                            : ref("ErrorDetail")));
    }
    op["responses"] = std::move(responses);
    return op;
}

}  // namespace

json::object openapi_document(const Router& router, const OpenApiInfo& info) {
    json::object schemas;
    std::set<std::string, std::less<>> names;
    auto add_schema = [&](const SchemaDef& s) {
        boost::system::error_code ec;
        json::value v = json::parse(s.json, ec);
        if (ec || !v.is_object())
            throw std::runtime_error("API description: schema " + std::string(s.name) +
                                     " is not a JSON object");
        if (!names.insert(std::string(s.name)).second)
            throw std::runtime_error("API description: schema " + std::string(s.name) +
                                     " is declared twice");
        schemas[s.name] = std::move(v);
    };
    for (const SchemaDef& s : kCommonSchemas) add_schema(s);
    for (const SchemaDef& s : router.schemas()) add_schema(s);

    json::object paths;
    for (const auto& route : router.routes()) {
        json::object item;
        for (const Endpoint& e : route->def.endpoints)
            item[lower_method(e.method)] = operation(*route, e);
        paths[route->def.path] = std::move(item);
    }
    for (const Probe& p : kProbes) {
        boost::system::error_code ec;
        json::value schema = json::parse(p.schema, ec);
        if (ec) throw std::runtime_error("API description: probe schema of " + std::string(p.path));
        json::object ok{{"description", p.summary},
                        {"content", json::object{{p.media, json::object{{"schema", schema}}}}}};
        json::object responses{{"200", std::move(ok)}};
        if (p.path == "/readyz")
            responses["503"] = json::object{
                {"description", "Not ready"},
                {"content", json::object{{p.media, json::object{{"schema", schema}}}}}};
        std::string op_id(p.path.substr(1));
        paths[p.path] = json::object{{"get", json::object{{"operationId", op_id},
                                                          {"summary", p.summary},
                                                          {"tags", json::array{"operations"}},
                                                          {"security", json::array{}},
                                                          {"responses", std::move(responses)}}}};
    }

    json::object doc{
        {"openapi", "3.1.0"},
        {"info",
         json::object{
             {"title", info.title}, {"version", info.version}, {"description", info.description}}},
        {"paths", std::move(paths)},
        {"components",
         json::object{
             {"schemas", std::move(schemas)},
             {"securitySchemes",
              json::object{
                  {"bearerAuth",
                   json::object{{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
                  {"apiKeyAuth",
                   json::object{{"type", "apiKey"},
                                {"in", "header"},
                                {"name", "Authorization"},
                                {"description",
                                 "A personal API key (POST /api/auth/api-keys/), sent "
                                 "as `Authorization: Api-Key rm_…`. A key with only "
                                 "the read scope may use GET, HEAD and OPTIONS."}}}}}}}};
    check_refs(doc, names, "the document");
    return doc;
}

ApiDescriptionRoutes::ApiDescriptionRoutes(const Router& router, OpenApiInfo info,
                                           const StaticSite* site)
    : router_(router), info_(info), site_(site) {}

const std::string& ApiDescriptionRoutes::document() {
    std::call_once(rendered_once_,
                   [this] { rendered_ = json::serialize(openapi_document(router_, info_)); });
    return rendered_;
}

std::vector<RouteDef> ApiDescriptionRoutes::routes() {
    return {
        {"/api/schema/",
         "Api Schema",
         Access::Open,
         kNoScope,
         {on(Method::Get, this, &ApiDescriptionRoutes::schema,
             {.summary = "This API's OpenAPI 3.1 description",
              .response = {},
              .media = "application/vnd.oai.openapi+json;version=3.1"})},
         false,
         {},
         "application/vnd.oai.openapi+json"},
        {"/api/docs/",
         "Api Docs",
         Access::Open,
         kNoScope,
         {on(Method::Get, this, &ApiDescriptionRoutes::docs,
             {.summary = "The API documentation page (HTML), rendering /api/schema/",
              .media = "text/html"})}},
    };
}

Task<Response> ApiDescriptionRoutes::schema(Context& ctx) {
    // A client that asks for the OpenAPI media type gets it; anyone else plain JSON, which every
    // tool reads.
    Response res = Response::raw_json(200, document());
    const auto accept = ctx.request.header("Accept").value_or("");
    if (accept.find("application/vnd.oai.openapi+json") != std::string_view::npos)
        res.content_type = "application/vnd.oai.openapi+json;version=3.1";
    co_return res;
}

Task<Response> ApiDescriptionRoutes::docs(Context& ctx) {
    if (site_) {
        if (auto page = site_->file(ctx.request, "/docs.html")) co_return std::move(*page);
    }
    throw Error::not_found();
}

}  // namespace resumate::http
