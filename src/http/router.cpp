#include "http/router.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/errors.hpp"
#include "util/strings.hpp"

namespace resumate::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        out.push_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

// Percent-encodes every byte of a raw request-target piece that is not an ASCII letter, digit or
// one of `safe`: controls, space, quotes and every byte from 0x80 (UTF-8 or not), so that a
// Location header carries a valid URI. '%' stays: the target is already encoded. The sets are
// Django's (escape_uri_path for the path, iri_to_uri for the query).
std::string uri_escape(std::string_view raw, std::string_view safe) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(raw.size());
    for (char ch : raw) {
        auto b = static_cast<unsigned char>(ch);
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
            (b < 0x80 && b != 0 && safe.find(ch) != std::string_view::npos)) {
            out += ch;
        } else {
            out += '%';
            out += kHex[b >> 4];
            out += kHex[b & 0xf];
        }
    }
    return out;
}
constexpr std::string_view kPathSafe = "%/:@&+$,-_.!~*'()";
constexpr std::string_view kQuerySafe = "%/#[]=:;$&()+,!?*@'~-_.";

}  // namespace

// DRF's content negotiation: we render JSON only; a client that accepts nothing we render
// gets a 406. (text/html is answered with JSON: we have no browsable API.)
bool accepts_json(std::string_view accept) {
    if (util::trim(accept).empty()) return true;
    for (const auto& part : util::split(accept, ',')) {
        std::string_view media = util::trim(std::string_view(part).substr(0, part.find(';')));
        std::string m = util::to_lower_ascii(media);
        if (m == "*/*" || m == "application/*" || m == "application/json" || m == "text/html" ||
            m == "text/*") {
            return true;
        }
    }
    return false;
}

bool accepts_one_of(std::string_view accept, std::string_view media_types) {
    for (const auto& part : util::split(accept, ',')) {
        const std::string asked =
            util::to_lower_ascii(util::trim(std::string_view(part).substr(0, part.find(';'))));
        for (const auto& type : util::split(media_types, ',')) {
            if (!asked.empty() && asked == util::to_lower_ascii(util::trim(type))) return true;
        }
    }
    return false;
}

std::string_view method_name(Method m) {
    switch (m) {
        case Method::Get:
            return "GET";
        case Method::Post:
            return "POST";
        case Method::Put:
            return "PUT";
        case Method::Patch:
            return "PATCH";
        case Method::Delete:
            return "DELETE";
    }
    return "GET";
}

const Handler* Route::handler(std::string_view method) const {
    if (method == "HEAD") method = "GET";
    for (const auto& e : def.endpoints) {
        if (method_name(e.method) == method) return &e.handler;
    }
    return nullptr;
}

bool Route::takes_query(std::string_view method, std::string_view name) const {
    if (method == "HEAD") method = "GET";
    for (const auto& e : def.endpoints) {
        if (method_name(e.method) != method) continue;
        for (const QueryParam& q : e.doc.query)
            if (q.name == name) return true;
    }
    return false;
}

void Router::add(std::vector<RouteDef> table) {
    for (auto& def : table) {
        auto r = std::make_unique<Route>();
        for (auto seg : split_path(def.path))
            r->segments.emplace_back(seg.front() == '{' ? "{}" : std::string(seg));
        // Django's order of http_method_names.
        bool has_get = false;
        for (Method m : {Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete}) {
            for (const auto& e : def.endpoints) {
                if (e.method == m) {
                    r->allow += std::string(method_name(m)) + ", ";
                    has_get |= m == Method::Get;
                }
            }
        }
        if (has_get) r->allow += "HEAD, ";
        r->allow += "OPTIONS";
        r->def = std::move(def);
        routes_.push_back(std::move(r));
    }
}

void Router::add_schemas(const std::vector<SchemaDef>& schemas) {
    schemas_.insert(schemas_.end(), schemas.begin(), schemas.end());
}

std::optional<RouteMatch> Router::match(std::string_view path) const {
    // Django's patterns never match an empty segment ("/api/resumes//").
    if (path.find("//") != std::string_view::npos) return std::nullopt;
    // Every route ends with '/', so a path without one matches nothing (→ slash redirect),
    // except through a format suffix.
    bool trailing = !path.empty() && path.back() == '/';
    auto segs = split_path(path);
    for (const auto& r : routes_) {
        const auto& pat = r->segments;
        if (trailing && segs.size() == pat.size()) {
            RouteMatch m;
            bool ok = true;
            for (size_t i = 0; i < pat.size() && ok; ++i) {
                if (pat[i] == "{}") {
                    // DRF's default lookup regex [^/.]+
                    if (segs[i].find('.') != std::string_view::npos)
                        ok = false;
                    else
                        m.params.emplace_back(segs[i]);
                } else {
                    ok = pat[i] == segs[i];
                }
            }
            if (ok) {
                m.route = r.get();
                return m;
            }
        }
        if (r->def.format_suffix && segs.size() == pat.size() && !segs.empty()) {
            std::string_view last = segs.back();
            size_t dot = last.rfind('.');
            if (dot == std::string_view::npos || dot == 0 || dot + 1 == last.size()) continue;
            RouteMatch m;
            bool ok = true;
            for (size_t i = 0; i < pat.size() && ok; ++i) {
                std::string_view s = i + 1 == pat.size() ? last.substr(0, dot) : segs[i];
                if (pat[i] == "{}") {
                    if (s.find('.') != std::string_view::npos)
                        ok = false;
                    else
                        m.params.emplace_back(s);
                } else {
                    ok = pat[i] == s;
                }
            }
            if (ok) {
                m.route = r.get();
                m.format = last.substr(dot + 1);
                return m;
            }
        }
    }
    return std::nullopt;
}

std::optional<Response> Router::slash_redirect(const Request& req) const {
    if (req.path.empty() || req.path.back() == '/' || !match(req.path + "/")) return std::nullopt;
    // 308 for non-GET so clients keep the method and body.
    bool safe = req.method == "GET" || req.method == "HEAD";
    Response r = Response::empty(safe ? 301 : 308);
    r.content_type = "text/html; charset=utf-8";
    r.with_header("Location",
                  uri_escape(req.path, kPathSafe) + "/" +
                      (req.query.empty() ? "" : "?" + uri_escape(req.query, kQuerySafe)));
    return r;
}

Response options_metadata(const Route& route) {
    boost::json::object meta;
    meta["name"] = route.def.name;
    meta["description"] = route.def.description;
    meta["renders"] = boost::json::array{"application/json"};
    meta["parses"] = boost::json::array{"application/json", "application/x-www-form-urlencoded",
                                        "multipart/form-data"};
    return Response::json(200, meta);
}

}  // namespace resumate::http
