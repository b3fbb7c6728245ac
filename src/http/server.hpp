#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/edge.hpp"
#include "http/router.hpp"

namespace resumate::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 8000;
    unsigned threads = 1;
    size_t max_body_bytes = 1024 * 1024;
    size_t max_header_bytes = 8 * 1024;
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds body_timeout{60};
    std::chrono::seconds idle_timeout{75};
    std::chrono::seconds shutdown_grace{20};
    // Open connections at most, so that a flood of idle or slow clients cannot exhaust file
    // descriptors or memory. At the maximum a new connection takes the place of the one that has
    // been idle longest (waiting for a request's first byte), as nginx does; only when none is
    // idle is the new one closed as soon as it is accepted.
    size_t max_connections = 10000;
    // Open connections per client address (the TCP peer) at most, so that one address cannot
    // take the whole budget; more are closed as soon as they are accepted. 0: no limit. Peers
    // that are trusted proxies are exempt (behind them every client has the proxy's address).
    size_t max_connections_per_address = 64;
    TrustedProxies trusted_proxies;  // client addresses for the access log; exemptions above
    std::vector<std::string> allowed_hosts;  // empty → any Host
    bool access_log = true;
    std::string port_file;  // written with the bound port once listening
    // SIGHUP (re-read rotated API keys, drop caches), run on the server's event loop.
    std::function<Task<void>()> on_reload;
    // Housekeeping started on the event loop once listening (e.g. a periodic purge); each runs
    // until it returns or the server stops.
    std::vector<std::function<Task<void>()>> background;
};

// The HTTP/1.1 server: one coroutine per connection on a strand, keep-alive, limits and
// timeouts, graceful shutdown on SIGINT/SIGTERM, one access-log line per request.
class Server {
  public:
    using App = std::function<Task<Response>(Request&)>;
    Server(ServerOptions options, App app);
    ~Server();
    // Binds, serves, and returns after a graceful shutdown. Throws when it cannot bind.
    void run();
    // For tests that embed a server: begin a graceful shutdown from any thread.
    void stop();

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

// Django's get_host: false for a Host header that is not a valid host[:port] (split_domain_port),
// whatever `allowed` says; else Django's ALLOWED_HOSTS matching: any host when `allowed` is empty,
// exact (case-insensitive), ".example.com" (domain and its subdomains), "*". The port is ignored.
bool host_allowed(std::string_view host_header, const std::vector<std::string>& allowed);

// Folded header lines (obs-fold: a line of the head that starts with SP or HTAB). Beast joins
// them to the previous field silently; RFC 9112 §5.2 lets a server reject them instead, so that
// no proxy in front can read the head differently from us. `head` is the request head up to,
// not including, its final empty line.
bool has_obs_fold(std::string_view head);

// The server's answer to a parsed request head before the application sees it: an HTTP/1.1
// request needs exactly one Host (RFC 9112 §3.2; HTTP/1.0 may omit it), and a Host must be valid
// and allowed (host_allowed). nullopt: go on. `close`: the connection ends after the answer.
struct HeadRefusal {
    Response response;
    bool close = false;
};
std::optional<HeadRefusal> refuse_head(unsigned version, size_t host_count, std::string_view host,
                                       const std::vector<std::string>& allowed_hosts);

// The security headers every response carries (the README's Security section lists them).
void add_security_headers(Response& r);

}  // namespace resumate::http
