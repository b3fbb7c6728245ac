#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/edge.hpp"
#include "http/pipeline.hpp"

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
    // On SIGTERM, how long idle keep-alive connections stay open (at most the grace): a proxy
    // that picks one of them for its next request gets an answer (with Connection: close)
    // instead of a connection closed under its request, which it cannot retry for a POST.
    std::chrono::milliseconds shutdown_drain{1000};
    // Open connections at most, so that a flood of idle or slow clients cannot exhaust file
    // descriptors or memory. At the maximum a new connection takes the place of the one that has
    // been idle longest (waiting for a request's first byte), as nginx does; only when none is
    // idle is the new one closed as soon as it is accepted.
    size_t max_connections = 10000;
    // Open connections per client address (the TCP peer) at most, so that one address cannot
    // take the whole budget; more are closed as soon as they are accepted. 0: no limit. Peers
    // that are trusted proxies are exempt (behind them every client has the proxy's address).
    size_t max_connections_per_address = 64;
    TrustedProxies trusted_proxies;  // exempt from the share above
    std::string port_file;           // written with the bound port once listening
    // SIGHUP (re-read rotated API keys, drop caches), run on the server's event loop.
    std::function<Task<void>()> on_reload;
    // Housekeeping started on the event loop once listening (e.g. a periodic purge); each runs
    // until it returns or the server stops.
    std::vector<std::function<Task<void>()>> background;
};

// The HTTP/1.1 server: one coroutine per connection on a strand, keep-alive, read limits and
// timeouts, graceful shutdown on SIGINT/SIGTERM. Each request it reads goes through the
// pipeline, which answers it.
class Server {
  public:
    Server(ServerOptions options, Pipeline& pipeline);
    ~Server();
    // Binds, serves, and returns after a graceful shutdown. Throws when it cannot bind.
    void run();
    // For tests that embed a server: begin a graceful shutdown from any thread.
    void stop();
    // The event loop the server runs (for clients that live on it, such as Redis connections).
    boost::asio::any_io_executor executor();

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

// Folded header lines (obs-fold: a line of the head that starts with SP or HTAB). Beast joins
// them to the previous field silently; RFC 9112 §5.2 lets a server reject them instead, so that
// no proxy in front can read the head differently from us. `head` is the request head up to,
// not including, its final empty line.
bool has_obs_fold(std::string_view head);

}  // namespace resumate::http
