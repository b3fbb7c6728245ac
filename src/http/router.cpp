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

}  // namespace

Route& Route::on(std::string method, Handler h) {
    handlers_.emplace_back(std::move(method), std::move(h));
    // Django's order of http_method_names.
    static constexpr std::string_view kOrder[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    allow_.clear();
    bool has_get = false;
    for (auto m : kOrder) {
        for (auto& entry : handlers_) {
            if (entry.first == m) {
                allow_ += std::string(m) + ", ";
                has_get |= m == "GET";
            }
        }
    }
    if (has_get) allow_ += "HEAD, ";
    allow_ += "OPTIONS";
    return *this;
}

Route& Router::add(std::string_view pattern, Access access, std::string name,
                   std::string description) {
    auto r = std::make_unique<Route>();
    for (auto seg : split_path(pattern))
        r->segments_.emplace_back(seg.front() == '{' ? "{}" : std::string(seg));
    r->access_ = access;
    r->name_ = std::move(name);
    r->description_ = std::move(description);
    routes_.push_back(std::move(r));
    return *routes_.back();
}

std::optional<Router::Match> Router::match(std::string_view path) {
    // Django's patterns never match an empty segment ("/api/resumes//").
    if (path.find("//") != std::string_view::npos) return std::nullopt;
    // Every route ends with '/', so a path without one matches nothing (→ slash redirect),
    // except through a format suffix.
    bool trailing = !path.empty() && path.back() == '/';
    auto segs = split_path(path);
    for (auto& r : routes_) {
        const auto& pat = r->segments_;
        if (trailing && segs.size() == pat.size()) {
            Match m;
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
        if (r->format_suffix_ && segs.size() == pat.size() && !segs.empty()) {
            std::string_view last = segs.back();
            size_t dot = last.rfind('.');
            if (dot == std::string_view::npos || dot == 0 || dot + 1 == last.size()) continue;
            Match m;
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

Route* Router::find(std::string_view pattern) {
    std::vector<std::string> segments;
    for (auto seg : split_path(pattern))
        segments.emplace_back(seg.front() == '{' ? "{}" : std::string(seg));
    for (auto& r : routes_) {
        if (r->segments_ == segments) return r.get();
    }
    return nullptr;
}

Task<Response> Router::dispatch(Request& req) {
    auto m = match(req.path);
    if (!m) {
        if (!req.path.empty() && req.path.back() != '/' && match(req.path + "/")) {
            // Django's APPEND_SLASH. 308 for non-GET so clients keep the method and body.
            bool safe = req.method == "GET" || req.method == "HEAD";
            Response r = Response::empty(safe ? 301 : 308);
            r.content_type = "text/html; charset=utf-8";
            r.with_header("Location",
                          uri_escape(req.path, kPathSafe) + "/" +
                              (req.query.empty() ? "" : "?" + uri_escape(req.query, kQuerySafe)));
            co_return r;
        }
        co_return Response::detail(404, "Not found.");
    }
    Route& route = *m->route;
    req.path_params = std::move(m->params);

    Response res;
    try {
        auto fmt = req.query_param("format");
        if ((!m->format.empty() && m->format != "json") || (fmt && *fmt != "json"))
            throw_not_found();
        if (!accepts_json(req.header("Accept").value_or(""))) {
            throw_detail(406, "Could not satisfy the request Accept header.");
        }
        if (route.access_ != Access::Open && authenticator_) {
            req.user = co_await authenticator_->authenticate(req);
        }
        if (route.access_ == Access::Authenticated && !req.user) throw_not_authenticated();
        if (route.access_ == Access::Staff) {
            if (!req.user) throw_not_authenticated();
            if (!req.user->is_staff) throw_permission_denied();
        }
        if (throttler_) {
            if (auto wait = co_await throttler_->check(req, route.scope_)) {
                int64_t n = std::max<int64_t>(1, *wait);
                Response r = Response::detail(429, "Request was throttled. Expected available in " +
                                                       std::to_string(n) +
                                                       (n == 1 ? " second." : " seconds."));
                r.with_header("Retry-After", std::to_string(n));
                throw HttpError(std::move(r));
            }
        }
        std::string_view method =
            req.is_head() ? std::string_view("GET") : std::string_view(req.method);
        const Handler* handler = nullptr;
        for (auto& [name, h] : route.handlers_) {
            if (name == method) handler = &h;
        }
        if (handler) {
            res = co_await (*handler)(req);
        } else if (req.method == "OPTIONS") {
            boost::json::object meta;
            meta["name"] = route.name_;
            meta["description"] = route.description_;
            meta["renders"] = boost::json::array{"application/json"};
            meta["parses"] = boost::json::array{
                "application/json", "application/x-www-form-urlencoded", "multipart/form-data"};
            res = Response::json(200, meta);
        } else {
            throw_detail(405, "Method \"" + req.method + "\" not allowed.");
        }
    } catch (HttpError& e) {
        res = std::move(e.response());
    }
    res.with_header("Allow", route.allow_);
    res.with_header("Vary", "Accept");
    co_return res;
}

}  // namespace resumate::http
