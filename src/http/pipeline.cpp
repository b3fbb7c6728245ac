#include "http/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "http/context.hpp"
#include "http/errors.hpp"
#include "http/static_site.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace resumate::http {

bool host_allowed(std::string_view host_header, const std::vector<std::string>& allowed) {
    // As Django's get_host: a Host that is not a valid host[:port] is refused whatever
    // ALLOWED_HOSTS says, since it ends up in the links of the answer.
    const std::string host = split_domain_port(host_header).domain;
    if (host.empty()) return false;
    if (allowed.empty()) return true;
    for (const auto& pattern : allowed) {
        std::string p = util::to_lower_ascii(pattern);
        if (p == "*") return true;
        if (p.front() == '.') {
            if (host == p.substr(1) || (host.size() > p.size() && host.ends_with(p))) return true;
        } else if (host == p) {
            return true;
        }
    }
    return false;
}

std::optional<HeadRefusal> refuse_head(unsigned version, size_t host_count, std::string_view host,
                                       const std::vector<std::string>& allowed_hosts) {
    if (host_count > 1 || (host_count == 0 && version >= 11))
        return HeadRefusal{error_response(Error::bad_request("Bad request.")), true};
    if (host_count == 1 && !host_allowed(host, allowed_hosts))
        return HeadRefusal{error_response(Error::bad_request("Invalid HTTP_HOST header.")), false};
    return std::nullopt;
}

namespace {
// RFC 9110's safe methods: what a read-only API key may use.
bool is_safe_method(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

// What every answer carries last, whichever stage made it: the security headers and its id.
void finish_headers(Response& r, std::string_view request_id) {
    add_security_headers(r);
    r.with_header("X-Request-ID", std::string(request_id));
}
}  // namespace

void add_security_headers(Response& r) {
    r.with_header("X-Frame-Options", "DENY");
    r.with_header("X-Content-Type-Options", "nosniff");
    r.with_header("Referrer-Policy", "same-origin");
    r.with_header("Cross-Origin-Opener-Policy", "same-origin");
}

Pipeline::Pipeline(PipelineOptions options, const Router& router, db::Database& db,
                   std::shared_ptr<Authenticator> authenticator,
                   std::shared_ptr<Throttler> throttler, std::shared_ptr<Readiness> readiness,
                   std::shared_ptr<WriteLog> writes)
    : opt_(std::move(options)),
      router_(router),
      db_(db),
      authenticator_(std::move(authenticator)),
      throttler_(std::move(throttler)),
      readiness_(std::move(readiness)),
      writes_(std::move(writes)),
      id_prefix_(std::random_device{}()) {
    access_ = spdlog::get("access");
    if (!access_) access_ = spdlog::default_logger();
    if (opt_.metrics) metrics_ = std::make_unique<RequestMetrics>(router_, *opt_.metrics);
}

std::string Pipeline::request_id_for(const Request& req) {
    // The caller's (a proxy's) id when it is 1–128 of [A-Za-z0-9._-]: the same id then names
    // the request in every hop's logs. Anything else is replaced, never echoed.
    if (auto given = req.header("X-Request-ID")) {
        const std::string_view id = *given;
        const bool valid =
            !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
            });
        if (valid) return std::string(id);
    }
    return next_request_id();
}

std::string Pipeline::next_request_id() {
    static constexpr char kHex[] = "0123456789abcdef";
    const uint64_t n =
        (uint64_t{id_prefix_} << 32) | id_counter_.fetch_add(1, std::memory_order_relaxed);
    std::string id(16, '0');
    for (int i = 15; i >= 0; --i) id[static_cast<size_t>(15 - i)] = kHex[(n >> (i * 4)) & 0xf];
    return id;
}

Task<bool> Pipeline::serve(Request& req, bool keep_alive,
                           std::chrono::steady_clock::time_point started, Transport& transport) {
    const std::string request_id = request_id_for(req);
    // Every line logged while this request is served names it (util::log).
    util::log::Tag* tag = util::log::current_tag();
    if (tag) tag->request_id = request_id;
    if (metrics_) metrics_->in_flight().add(1);
    Answer a = co_await answer(req, request_id);
    if (a.close) keep_alive = false;
    const unsigned status = a.response.status;
    // 11. write
    const bool more = co_await transport.send(a.response, keep_alive, req.is_head());
    // 12. access log and metrics
    log(req, status, started, request_id, a.quiet);
    if (metrics_) {
        metrics_->in_flight().add(-1);
        if (!a.quiet) {
            metrics_->record(
                a.route, req.method, status,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        }
    }
    if (tag) tag->request_id.clear();
    co_return more;
}

Task<void> Pipeline::refuse(ReadFailure failure, std::string_view peer, Transport& transport) {
    const auto started = std::chrono::steady_clock::now();
    Error e = failure == ReadFailure::HeadersTooLarge ? Error::headers_too_large()
              : failure == ReadFailure::BodyTooLarge  ? Error::payload_too_large()
                                                      : Error::bad_request("Bad request.");
    Response res = error_response(e);
    const std::string request_id = next_request_id();
    finish_headers(res, request_id);
    co_await transport.send(res, false, false);
    Request unread;
    unread.method = "-";
    unread.path = "-";
    unread.client_ip = std::string(peer);
    log(unread, res.status, started, request_id);
}

Task<Response> Pipeline::respond(Request& req) {
    const std::string request_id = request_id_for(req);
    Answer a = co_await answer(req, request_id);
    co_return std::move(a.response);
}

Task<Pipeline::Answer> Pipeline::answer(Request& req, std::string_view request_id) {
    Answer a;
    // 0. probes and metrics
    if (req.path == "/metrics" && metrics_) {
        apply_trusted_proxies(req, opt_.trusted_proxies);  // whose address is checked
        if (auto m = metrics_answer(req)) {
            a.response = std::move(*m);
            a.quiet = true;
            finish_headers(a.response, request_id);
            co_return a;
        }
    }
    if (req.path == "/healthz" || req.path == "/readyz") {
        a.response = co_await probe(req);
        a.quiet = true;
        apply_trusted_proxies(req, opt_.trusted_proxies);  // for the access log
        finish_headers(a.response, request_id);
        co_return a;
    }
    // 1. Host (the read limits were the server's: see refuse()).
    size_t hosts = 0;
    std::string_view host;
    for (const auto& [name, value] : req.headers) {
        if (util::iequals_ascii(name, "Host")) {
            if (hosts++ == 0) host = value;
        }
    }
    if (auto refused = refuse_head(req.version, hosts, host, opt_.allowed_hosts)) {
        a.response = std::move(refused->response);
        a.close = refused->close;
        apply_trusted_proxies(req, opt_.trusted_proxies);  // for the access log
        finish_headers(a.response, request_id);
        co_return a;
    }
    // 2. CORS preflight: complete as it is.
    if (auto preflight = cors_preflight(req, opt_.cors)) {
        a.response = std::move(*preflight);
        apply_trusted_proxies(req, opt_.trusted_proxies);  // for the access log
        finish_headers(a.response, request_id);
        co_return a;
    }
    // 3. client address
    apply_trusted_proxies(req, opt_.trusted_proxies);
    // 4–9
    a.response = co_await route(req, request_id, a.route);
    // 10. headers
    add_cors_headers(req, a.response, opt_.cors);
    add_hsts(req, a.response);
    finish_headers(a.response, request_id);
    co_return a;
}

Task<Response> Pipeline::probe(const Request& req) {
    Response res;
    if (req.method != "GET" && req.method != "HEAD") {
        res = error_response(Error::method_not_allowed(req.method));
    } else if (req.path == "/healthz") {
        // The process answers: that is all a liveness probe asks.
        res = Response::json(200, boost::json::object{{"status", "ok"}});
    } else {
        boost::json::object checks;
        bool ready = true;
        if (readiness_) {
            for (auto& [name, verdict] : co_await readiness_->checks()) {
                if (verdict != "ok") ready = false;
                checks[name] = verdict;
            }
        }
        res = Response::json(ready ? 200 : 503,
                             boost::json::object{{"status", ready ? "ready" : "unavailable"},
                                                 {"checks", std::move(checks)}});
    }
    res.with_header("Allow", "GET, HEAD");
    res.with_header("Cache-Control", "no-store");
    co_return res;
}

std::optional<Response> Pipeline::metrics_answer(const Request& req) const {
    if (!in_networks(opt_.metrics_allow, req.client_ip)) return std::nullopt;
    Response res;
    if (req.method != "GET" && req.method != "HEAD") {
        res = error_response(Error::method_not_allowed(req.method));
    } else {
        res.content_type = "text/plain; version=0.0.4; charset=utf-8";
        res.body = opt_.metrics->render();
    }
    res.with_header("Allow", "GET, HEAD");
    res.with_header("Cache-Control", "no-store");
    return res;
}

Task<Response> Pipeline::route(Request& req, std::string_view request_id, const Route*& matched) {
    // 4. route
    auto m = router_.match(req.path);
    if (!m) {
        if (auto redirect = router_.slash_redirect(req)) co_return std::move(*redirect);
        // The web app: never authenticated or throttled.
        if (opt_.site && StaticSite::serves(req.path) && (req.method == "GET" || req.is_head()))
            co_return opt_.site->answer(req);
        co_return error_response(Error::not_found());
    }
    const Route& route = *m->route;
    matched = &route;
    req.path_params = std::move(m->params);
    Response res;
    try {
        // DRF's ?format= override: only JSON is rendered, unless the route takes its own format.
        auto fmt = req.query_param("format");
        if ((!m->format.empty() && m->format != "json") ||
            (fmt && *fmt != "json" && !route.takes_query(req.method, "format")))
            throw Error::not_found();
        if (const auto accept = req.header("Accept").value_or("");
            !accepts_json(accept) && !accepts_one_of(accept, route.def.also_accepts))
            throw Error::not_acceptable();
        // 5. authentication
        const Access access = route.def.access;
        if (access != Access::Open && authenticator_)
            req.user = co_await authenticator_->authenticate(req);
        // 6. permission
        if (access != Access::Open && access != Access::Anyone && !req.user)
            throw Error::not_authenticated();
        if (access == Access::Staff && !req.user->is_staff) throw Error::permission_denied();
        if (req.user && req.user->credential == Principal::Credential::ApiKey) {
            if (access == Access::Account)
                throw Error::permission_denied("API keys cannot be used for this action.");
            if (req.user->read_only && !is_safe_method(req.method))
                throw Error::permission_denied("This API key is read-only.");
        }
        // 7. throttle
        if (throttler_) {
            if (auto wait = co_await throttler_->check(req, route.def.scope.name)) {
                if (metrics_) metrics_->throttled(route, req.user.has_value());
                throw Error::throttled(*wait);
            }
        }
        // 8. handler
        if (const Handler* handler = route.handler(req.method)) {
            Context ctx(req, db_, request_id);
            // A caller who wrote lately (through any instance) reads what they wrote: replica
            // reads wait for a replica that has replayed it, else go to the primary.
            if (writes_ && req.user) {
                if (auto at = co_await writes_->last_write(req.user->id))
                    ctx.db().read_at_least(std::move(*at));
            }
            res = co_await (*handler)(ctx);
            if (writes_ && req.user && ctx.db().wrote()) {
                if (auto at = co_await ctx.db().write_position())
                    co_await writes_->wrote(req.user->id, std::move(*at));
            }
        } else if (req.method == "OPTIONS") {
            res = options_metadata(route);
        } else {
            throw Error::method_not_allowed(req.method);
        }
    } catch (const Error& e) {
        // 9. error mapping
        res = error_response(e);
    } catch (const db::Unavailable& e) {
        util::log::error("database unavailable: {}", e.what());
        res = error_response(Error::unavailable());
    } catch (const std::exception& e) {
        util::log::error("unhandled error in {} {}: {}", req.method, req.path, e.what());
        res = error_response(Error::server_error());
    }
    res.with_header("Allow", route.allow);
    res.with_header("Vary", "Accept");
    co_return res;
}

void Pipeline::log(const Request& req, unsigned status,
                   std::chrono::steady_clock::time_point started, std::string_view request_id,
                   bool quiet) const {
    if (!opt_.access_log) return;
    const auto level = quiet ? spdlog::level::debug : spdlog::level::info;
    if (!access_->should_log(level)) return;
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    util::log::access(*access_, level,
                      {.client = req.client_ip,
                       .method = req.method,
                       .path = req.path,
                       .status = status,
                       .duration_ms = ms,
                       .user_id = req.user ? std::optional<long long>(req.user->id) : std::nullopt,
                       .request_id = request_id});
}

}  // namespace resumate::http
