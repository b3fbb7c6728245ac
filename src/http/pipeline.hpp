#pragma once
// The request pipeline: everything between reading a request off the socket and writing its
// answer, in one place and in this order —
//
//   0. probes           /healthz and /readyz, before the Host check (probes use the
//                           pod's address), never authenticated or throttled, logged at debug
//   1. limits and Host      what the server could not read (too large, malformed) is refused;
//                           HTTP/1.1 needs exactly one Host, and it must be allowed
//   2. CORS preflight       answered here, before any route
//   3. client address       X-Forwarded-For / -Proto, only from trusted proxies
//   4. route                the path's route, or a slash redirect, or 404; format, Accept
//   5. authentication       the route's access level decides whether a token is looked at
//   6. permission           Authenticated / Staff / Account; an API key: never on Account
//                           routes, and only safe methods without the write scope
//   7. throttle             anon/user rates and the route's scope
//   8. handler              with a Context: request, principal, client address, request id,
//                           database session
//   9. error mapping        every exception becomes its answer (http::error_response)
//  10. headers              Allow/Vary for a route, CORS, HSTS, the security headers
//  11. write                through the server's Transport
//  12. access log           one line per request, with the request id (the caller's valid
//                           X-Request-ID, else a new one), which the answer also carries
//
// The server's session loop only reads, calls serve() (or refuse()), and loops.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "http/edge.hpp"
#include "http/message.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "util/metrics.hpp"

namespace spdlog {
class logger;
}

namespace resumate::http {

class StaticSite;

// Turns credentials into a principal. Throws http::Error (401) for bad credentials; returns
// nullopt for an anonymous request. Implemented by the users feature.
class Authenticator {
  public:
    virtual ~Authenticator() = default;
    virtual Task<std::optional<Principal>> authenticate(const Request& req) = 0;
};

// DRF's throttles: decides, after authentication and permissions, whether a request is over
// its rates. Implemented in app/ (it needs the cache).
class Throttler {
  public:
    virtual ~Throttler() = default;
    // nullopt: go ahead; else the seconds until the caller may try again. `scope` is the
    // route's named scope (empty for none).
    virtual Task<std::optional<int64_t>> check(const Request& req, std::string_view scope) = 0;
};

// Read-your-writes across requests and instances, when reads may go to lagging replicas: where
// in the primary's log each user last wrote (db::Database::write_position), shared by every
// instance. Implemented in app/ (it needs the cache).
class WriteLog {
  public:
    virtual ~WriteLog() = default;
    virtual Task<std::optional<std::string>> last_write(int64_t user_id) = 0;
    virtual Task<void> wrote(int64_t user_id, std::string position) = 0;
};

// What /readyz checks (stage 0). Implemented in app/, which knows the database, the cache and
// the migrations.
class Readiness {
  public:
    virtual ~Readiness() = default;
    // Each check's name and "ok", or a short word for what is wrong (no secret, no SQL text),
    // in a stable order.
    virtual Task<std::vector<std::pair<std::string, std::string>>> checks() = 0;
};

// How an answer leaves: the server's connection.
class Transport {
  public:
    virtual ~Transport() = default;
    // Writes `res` (streamed when res.stream is set; only the head when `head_only`). True when
    // the connection may serve another request.
    virtual Task<bool> send(Response& res, bool keep_alive, bool head_only) = 0;
};

// Why the server could not read a request (stage 1).
enum class ReadFailure { Malformed, HeadersTooLarge, BodyTooLarge };

struct PipelineOptions {
    std::vector<std::string> allowed_hosts;  // empty → any Host
    TrustedProxies trusted_proxies;
    CorsPolicy cors;
    bool access_log = true;
    // Where the request metrics go (null: none are kept, GET /metrics is a 404), and who may read
    // them at GET /metrics: the client's address (after trusted proxies) must be in these.
    util::metrics::Registry* metrics = nullptr;
    std::vector<Network> metrics_allow;
    // The web app: GET/HEAD of a path outside /api/ that no route has (http/static_site.hpp).
    const StaticSite* site = nullptr;
};

class Pipeline {
  public:
    Pipeline(PipelineOptions options, const Router& router, db::Database& db,
             std::shared_ptr<Authenticator> authenticator, std::shared_ptr<Throttler> throttler,
             std::shared_ptr<Readiness> readiness = nullptr,
             std::shared_ptr<WriteLog> writes = nullptr);

    // Stages 1–12 for a request read whole. `started`: when its head arrived. True when the
    // connection may serve another request.
    Task<bool> serve(Request& req, bool keep_alive, std::chrono::steady_clock::time_point started,
                     Transport& transport);
    // Stage 1 for what could not be read: answered, logged; the connection then closes.
    Task<void> refuse(ReadFailure failure, std::string_view peer, Transport& transport);
    // Stages 1–10 without a connection (tests, fuzzers).
    Task<Response> respond(Request& req);

  private:
    struct Answer {
        Response response;
        bool close = false;            // the connection ends after it
        bool quiet = false;            // logged at debug level (probes), not in the request metrics
        const Route* route = nullptr;  // the route that answered
    };
    Task<Answer> answer(Request& req, std::string_view request_id);
    // Stage 0: GET/HEAD /healthz and /readyz.
    Task<Response> probe(const Request& req);
    Task<Response> route(Request& req, std::string_view request_id, const Route*& matched);
    // GET /metrics for an allowed client, else nullopt (the path is then an unknown one).
    std::optional<Response> metrics_answer(const Request& req) const;
    void log(const Request& req, unsigned status, std::chrono::steady_clock::time_point started,
             std::string_view request_id, bool quiet = false) const;
    // The request's valid X-Request-ID, else next_request_id().
    std::string request_id_for(const Request& req);
    // 16 hex digits: this process's random prefix and a counter.
    std::string next_request_id();

    PipelineOptions opt_;
    const Router& router_;
    db::Database& db_;
    std::shared_ptr<Authenticator> authenticator_;
    std::shared_ptr<Throttler> throttler_;
    std::shared_ptr<Readiness> readiness_;
    std::shared_ptr<WriteLog> writes_;
    std::shared_ptr<spdlog::logger> access_;
    std::unique_ptr<RequestMetrics> metrics_;
    uint32_t id_prefix_;
    std::atomic<uint32_t> id_counter_{0};
};

// Django's get_host: false for a Host header that is not a valid host[:port] (split_domain_port),
// whatever `allowed` says; else Django's ALLOWED_HOSTS matching: any host when `allowed` is empty,
// exact (case-insensitive), ".example.com" (domain and its subdomains), "*". The port is ignored.
bool host_allowed(std::string_view host_header, const std::vector<std::string>& allowed);

// Stage 1 for a parsed request head: an HTTP/1.1 request needs exactly one Host (RFC 9112 §3.2;
// HTTP/1.0 may omit it), and a Host must be valid and allowed (host_allowed). nullopt: go on.
// `close`: the connection ends after the answer.
struct HeadRefusal {
    Response response;
    bool close = false;
};
std::optional<HeadRefusal> refuse_head(unsigned version, size_t host_count, std::string_view host,
                                       const std::vector<std::string>& allowed_hosts);

// The security headers every response carries (clickjacking, MIME sniffing, referrer, opener).
void add_security_headers(Response& r);

}  // namespace resumate::http
