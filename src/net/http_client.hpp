// net/ owns outbound networking: the asynchronous HTTP(S) client the AI providers talk through
// and the Server-Sent Events parser for their streaming answers. It knows nothing about
// providers, prompts or our own server.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace resumate::net {

namespace detail {
struct ClientState;
}

struct HttpRequest {
    std::string method = "POST";
    std::string url;  // http:// or https://; path and query are sent as given
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // sent with Content-Length (nothing for an empty GET)
};

struct HttpResponse {
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    // First header of that name (case-insensitive); the view points into `headers`.
    std::optional<std::string_view> header(std::string_view name) const;
};

struct ClientOptions {
    // DNS + TCP connect (+ proxy CONNECT + TLS handshake).
    std::chrono::milliseconds connect_timeout{5000};
    // The whole exchange, connecting included; also bounds stream().
    std::chrono::milliseconds total_timeout{60000};
    // Limit on the response body, for request() and stream() alike (HttpError::Kind::TooLarge).
    size_t max_response_bytes = 8 * 1024 * 1024;
    // Optional PEM file of extra trusted certificates, on top of the system store (a private CA,
    // or a test's self-signed certificate). Verification itself is never switched off.
    std::string ca_file;
};

// Failures carry the kind, the host and a short reason. Never headers, never the URL's path or
// query: both can carry API keys (Gemini accepts `?key=`).
class HttpError : public std::runtime_error {
  public:
    enum class Kind { Connect, Timeout, Tls, Protocol, TooLarge, Cancelled };

    HttpError(Kind kind, std::string host, std::string_view reason);

    Kind kind;
    std::string host;
};

std::string_view to_string(HttpError::Kind kind);

// The proxy environment, as curl and Go read it. Proxy URLs are http://[user:pass@]host[:port]
// (a missing scheme means http://, a missing port 80); user:pass becomes
// `Proxy-Authorization: Basic`. https:// targets go through CONNECT, http:// ones are sent in
// absolute form.
struct ProxySettings {
    std::string http_proxy;   // HTTP_PROXY, else http_proxy
    std::string https_proxy;  // HTTPS_PROXY, else https_proxy
    std::string no_proxy;     // NO_PROXY, else no_proxy

    static ProxySettings from_environment();
};

// True when `host` is reached directly: it is localhost, 127.0.0.1 or ::1, or NO_PROXY (a comma
// list) holds `*`, the host itself, or a domain it belongs to (`example.com`, `.example.com` and
// `*.example.com` all match example.com and its subdomains). Case-insensitive; a `:port` on an
// entry is ignored.
bool bypasses_proxy(std::string_view host, std::string_view no_proxy);

// HTTP/1.1 over TCP or TLS (certificate and host name verified, SNI sent, TLS 1.2 or newer).
// One connection per call with `Connection: close`; redirects are not followed. Runs on the
// calling coroutine's executor and blocks no thread. Cancelling the awaiting coroutine (e.g. the
// losing side of awaitable_operators `||`) aborts the transfer and closes the socket. Cheap to
// copy; copies share the TLS context. Safe to use from several threads at once.
class HttpClient {
  public:
    // Proxies from the process environment itself (getenv); the server passes Config's instead.
    explicit HttpClient(ClientOptions options = {});
    HttpClient(ClientOptions options, ProxySettings proxy);

    // The whole response, whatever its status. Throws HttpError.
    boost::asio::awaitable<HttpResponse> request(const HttpRequest& req) const;

    // on_head once with status and headers (empty body), then on_chunk with each piece of the
    // body as it arrives (chunked transfer encoding removed). Returns the status. When on_chunk
    // returns false the transfer is abandoned and the connection closed; that is not an error.
    // Throws HttpError; exceptions from the callbacks propagate unchanged. The next piece is
    // read only once on_chunk has finished, so a slow consumer slows the upstream down.
    using ChunkFn = std::function<boost::asio::awaitable<bool>(std::string_view chunk)>;
    boost::asio::awaitable<unsigned> stream(const HttpRequest& req,
                                            std::function<void(const HttpResponse& head)> on_head,
                                            ChunkFn on_chunk) const;
    // The same with a synchronous callback.
    boost::asio::awaitable<unsigned> stream(
        const HttpRequest& req, std::function<void(const HttpResponse& head)> on_head,
        std::function<bool(std::string_view chunk)> on_chunk) const;

  private:
    std::shared_ptr<const detail::ClientState> state_;
};

}  // namespace resumate::net
