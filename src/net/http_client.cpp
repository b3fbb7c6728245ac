#include "net/http_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url.hpp>
#include <cstdlib>
#include <exception>
#include <variant>

#include "util/base64.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace resumate::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
namespace urls = boost::urls;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ChunkFn = HttpClient::ChunkFn;

namespace {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kHeaderLimit = 64 * 1024;
constexpr size_t kStreamPiece = 16 * 1024;

// Where a URL points, split into the forms the protocol needs.
struct Endpoint {
    bool https = false;
    std::string host;       // lower-case, IPv6 without brackets: DNS, SNI, verification, NO_PROXY
    std::string port;       // decimal
    std::string hostport;   // host:port, IPv6 bracketed: the CONNECT target
    std::string authority;  // as hostport, the port left out when it is the default: Host
    std::string target;     // origin form: /path?query
    std::string absolute;   // absolute form, for a plain-HTTP proxy
};

struct Proxy {
    bool usable = false;  // false: configured, but not a URL we can use
    std::string host;
    std::string port;
    std::string authorization;  // "Basic ..." or empty
};

struct Deadlines {
    Clock::time_point connect;
    Clock::time_point total;
};

// Which step failed decides the kind of an error that is not self-explanatory.
enum class Phase { Connect, Tls, Exchange };

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               extra.find(c) != std::string_view::npos;
    });
}

// Decoded host names reach the Host header and CONNECT line: nothing but name characters.
bool is_plain_host(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-' || c == '.' || c == '_' || c == ':';
    });
}

std::optional<Endpoint> parse_endpoint(std::string_view url) {
    auto parsed = urls::parse_uri(url);
    if (!parsed) return std::nullopt;
    urls::url_view u = *parsed;
    Endpoint ep;
    if (u.scheme_id() == urls::scheme::https)
        ep.https = true;
    else if (u.scheme_id() != urls::scheme::http)
        return std::nullopt;
    if (!u.has_authority()) return std::nullopt;
    bool ipv6 = false;
    switch (u.host_type()) {
        case urls::host_type::name:
        case urls::host_type::ipv4:
            break;
        case urls::host_type::ipv6:
            ipv6 = true;
            break;
        default:
            return std::nullopt;
    }
    ep.host = util::to_lower_ascii(u.host_address());
    if (!is_plain_host(ep.host)) return std::nullopt;
    const unsigned default_port = ep.https ? 443 : 80;
    unsigned port = default_port;
    if (u.has_port() && !u.port().empty()) {
        port = u.port_number();
        if (port == 0) return std::nullopt;
    }
    ep.port = std::to_string(port);
    std::string bracketed = ipv6 ? "[" + ep.host + "]" : ep.host;
    ep.hostport = bracketed + ":" + ep.port;
    ep.authority = port == default_port ? bracketed : ep.hostport;
    ep.target = std::string(u.encoded_target());
    if (ep.target.empty() || ep.target.front() != '/') ep.target.insert(0, "/");
    ep.absolute = std::string(ep.https ? "https://" : "http://") + ep.authority + ep.target;
    return ep;
}

std::optional<Proxy> parse_proxy(std::string_view text) {
    text = util::trim(text);
    if (text.empty()) return std::nullopt;
    std::string url(text);
    if (url.find("://") == std::string::npos) url.insert(0, "http://");
    Proxy proxy;
    auto parsed = urls::parse_uri(url);
    if (!parsed || parsed->scheme_id() != urls::scheme::http || !parsed->has_authority())
        return proxy;  // e.g. an https:// proxy: unusable, and requests say so
    urls::url_view u = *parsed;
    proxy.host = std::string(u.host_address());
    if (!is_plain_host(proxy.host)) return proxy;
    proxy.port = u.has_port() && !u.port().empty() ? std::string(u.port()) : "80";
    if (u.has_userinfo())
        proxy.authorization =
            "Basic " + util::base64_encode(std::string(u.user()) + ":" + u.password());
    proxy.usable = true;
    return proxy;
}

std::string env(const char* upper, const char* lower_name) {
    if (const char* v = std::getenv(upper); v && *v) return v;
    if (const char* v = std::getenv(lower_name); v && *v) return v;
    return {};
}

[[noreturn]] void fail(const std::string& host, Phase phase, std::string_view what,
                       const beast::error_code& ec) {
    using Kind = HttpError::Kind;
    Kind kind;
    std::string reason;
    if (ec == beast::error::timeout) {
        kind = Kind::Timeout;
        reason = std::string(what) + " timed out";
    } else if (ec == asio::error::operation_aborted) {
        kind = Kind::Cancelled;
        reason = std::string(what) + " cancelled";
    } else {
        if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit ||
            ec == bhttp::error::buffer_overflow)
            kind = Kind::TooLarge;
        else if (ec.category() == asio::error::get_ssl_category() ||
                 ec.category() == ssl::error::get_stream_category() || phase == Phase::Tls)
            kind = Kind::Tls;
        else if (phase == Phase::Connect)
            kind = Kind::Connect;
        else
            kind = Kind::Protocol;
        reason = std::string(what) + ": " + ec.message();
    }
    throw HttpError(kind, host, reason);
}

// A TLS peer that closes without close_notify is only acceptable where the body runs to EOF
// anyway (no Content-Length, not chunked): then the close is the end of the body.
template <class Parser>
void accept_truncation_as_eof(Parser& parser, beast::error_code& ec) {
    if (ec != ssl::error::stream_truncated || !parser.is_header_done() || parser.chunked() ||
        parser.content_length())
        return;
    ec = {};
    parser.put_eof(ec);
}

bhttp::request<bhttp::string_body> build_message(const HttpRequest& req, const Endpoint& ep,
                                                 const Proxy* proxy) {
    if (!is_token(req.method))
        throw HttpError(HttpError::Kind::Protocol, ep.host, "invalid request method");
    bhttp::request<bhttp::string_body> msg;
    msg.version(11);
    msg.method_string(req.method);
    const bool absolute_form = proxy != nullptr && !ep.https;
    msg.target(absolute_form ? ep.absolute : ep.target);
    msg.set(bhttp::field::host, ep.authority);
    msg.set(bhttp::field::user_agent, "ResuMate");
    for (const auto& [name, value] : req.headers) {
        // The value is not repeated in the message: it may be a key.
        if (!is_token(name) ||
            value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
            throw HttpError(HttpError::Kind::Protocol, ep.host, "invalid request header");
        if (beast::iequals(name, "host") || beast::iequals(name, "user-agent"))
            msg.set(name, value);
        else
            msg.insert(name, value);
    }
    if (absolute_form && !proxy->authorization.empty())
        msg.set(bhttp::field::proxy_authorization, proxy->authorization);
    msg.body() = req.body;
    msg.prepare_payload();
    msg.keep_alive(false);
    return msg;
}

template <class Fields>
HttpResponse head_of(const bhttp::response_header<Fields>& h) {
    HttpResponse out;
    out.status = h.result_int();
    for (const auto& field : h) out.headers.emplace_back(field.name_string(), field.value());
    return out;
}

asio::awaitable<void> connect_tcp(beast::tcp_stream& stream, const std::string& host,
                                  const std::string& port, const std::string& error_host,
                                  Deadlines deadlines) {
    using namespace asio::experimental::awaitable_operators;
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    asio::steady_timer timer(executor);
    timer.expires_at(deadlines.connect);
    // The resolver has no deadline of its own. Its result comes as a tuple so that a failed
    // lookup ends the race at once instead of losing to the timer.
    auto race = resolver.async_resolve(host, port, kTuple) || timer.async_wait(asio::use_awaitable);
    auto outcome = co_await std::move(race);
    if (outcome.index() == 1) fail(error_host, Phase::Connect, "DNS lookup", beast::error::timeout);
    auto resolved = std::get<0>(std::move(outcome));
    if (std::get<0>(resolved))
        fail(error_host, Phase::Connect, "DNS lookup", std::get<0>(resolved));

    stream.expires_at(deadlines.connect);
    auto connected = co_await stream.async_connect(std::get<1>(resolved), kTuple);
    if (std::get<0>(connected)) fail(error_host, Phase::Connect, "connect", std::get<0>(connected));
}

asio::awaitable<void> open_tunnel(beast::tcp_stream& stream, const Endpoint& ep,
                                  const Proxy& proxy) {
    bhttp::request<bhttp::empty_body> msg;
    msg.version(11);
    msg.method(bhttp::verb::connect);
    msg.target(ep.hostport);
    msg.set(bhttp::field::host, ep.hostport);
    if (!proxy.authorization.empty())
        msg.set(bhttp::field::proxy_authorization, proxy.authorization);
    auto written = co_await bhttp::async_write(stream, msg, kTuple);
    if (std::get<0>(written)) fail(ep.host, Phase::Connect, "proxy CONNECT", std::get<0>(written));

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::empty_body> parser;
    parser.skip(true);  // a 2xx to CONNECT has no body: the tunnel starts right after the header
    auto read = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    if (std::get<0>(read)) fail(ep.host, Phase::Connect, "proxy CONNECT", std::get<0>(read));
    unsigned status = parser.get().result_int();
    if (status / 100 != 2)
        throw HttpError(HttpError::Kind::Connect, ep.host,
                        "proxy refused CONNECT with status " + std::to_string(status));
    if (buffer.size() != 0)
        throw HttpError(HttpError::Kind::Protocol, ep.host, "proxy sent data before the tunnel");
}

asio::awaitable<void> tls_handshake(TlsStream& stream, const Endpoint& ep) {
    boost::system::error_code ec;
    if (asio::ip::make_address(ep.host, ec); ec) {
        // SNI carries names only (RFC 6066), never addresses.
        if (!SSL_set_tlsext_host_name(stream.native_handle(), ep.host.c_str()))
            throw HttpError(HttpError::Kind::Tls, ep.host, "cannot set SNI");
    }
    stream.set_verify_mode(ssl::verify_peer);
    // Asio's check leaves OpenSSL's verify result at "unspecified" when only the name is wrong;
    // recording the real cause makes the error say so.
    stream.set_verify_callback([check = ssl::host_name_verification(ep.host)](
                                   bool preverified, ssl::verify_context& ctx) mutable {
        if (!preverified) return false;
        if (check(preverified, ctx)) return true;
        X509_STORE_CTX_set_error(ctx.native_handle(), X509_V_ERR_HOSTNAME_MISMATCH);
        return false;
    });
    auto done = co_await stream.async_handshake(ssl::stream_base::client, kTuple);
    auto handshake_ec = std::get<0>(done);
    if (!handshake_ec) co_return;
    long verify = SSL_get_verify_result(stream.native_handle());
    if (handshake_ec.category() == asio::error::get_ssl_category() && verify != X509_V_OK)
        throw HttpError(
            HttpError::Kind::Tls, ep.host,
            std::string("certificate rejected: ") + X509_verify_cert_error_string(verify));
    fail(ep.host, Phase::Tls, "TLS handshake", handshake_ec);
}

template <class Stream>
asio::awaitable<unsigned> exchange_streaming(
    Stream& stream, bhttp::request<bhttp::string_body>& msg, const Endpoint& ep, size_t max_body,
    const std::function<void(const HttpResponse&)>& on_head, const ChunkFn& on_chunk) {
    auto written = co_await bhttp::async_write(stream, msg, kTuple);
    if (std::get<0>(written))
        fail(ep.host, Phase::Exchange, "sending request", std::get<0>(written));

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::buffer_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(max_body);
    if (msg.method() == bhttp::verb::head) parser.skip(true);
    auto header = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    if (std::get<0>(header))
        fail(ep.host, Phase::Exchange, "reading response", std::get<0>(header));
    const unsigned status = parser.get().result_int();
    if (on_head) on_head(head_of(parser.get().base()));

    // read_some, not read: read() with a buffer_body only returns once the piece buffer is full,
    // which would hold back a trickling event stream.
    std::vector<char> piece(kStreamPiece);
    while (!parser.is_done()) {
        parser.get().body().data = piece.data();
        parser.get().body().size = piece.size();
        auto read = co_await bhttp::async_read_some(stream, buffer, parser, kTuple);
        beast::error_code ec = std::get<0>(read);
        if (ec == bhttp::error::need_buffer) ec = {};
        accept_truncation_as_eof(parser, ec);
        if (ec) fail(ep.host, Phase::Exchange, "reading response", ec);
        const size_t n = piece.size() - parser.get().body().size;
        if (n > 0 && on_chunk) {
            const bool more = co_await on_chunk(std::string_view(piece.data(), n));
            if (!more) {
                beast::get_lowest_layer(stream).close();
                break;
            }
        }
    }
    co_return status;
}

}  // namespace

namespace detail {

struct ClientState {
    ClientOptions options;
    // mutable: a stream needs a non-const context; SSL_new only takes a reference on it.
    mutable ssl::context tls{ssl::context::tls_client};
    std::optional<Proxy> http_proxy;
    std::optional<Proxy> https_proxy;
    std::string no_proxy;

    const Proxy* proxy_for(const Endpoint& ep) const {
        const auto& proxy = ep.https ? https_proxy : http_proxy;
        if (!proxy || bypasses_proxy(ep.host, no_proxy)) return nullptr;
        return &*proxy;
    }
};

}  // namespace detail

namespace {

using detail::ClientState;

Endpoint endpoint_or_throw(const std::string& url) {
    auto ep = parse_endpoint(url);
    if (!ep) {
        // The URL itself may hold a key: name only its host, if that much parses.
        std::string host;
        if (auto u = urls::parse_uri(url); u && u->has_authority()) host = u->host_address();
        throw HttpError(HttpError::Kind::Protocol, host, "unsupported or invalid URL");
    }
    return std::move(*ep);
}

Deadlines deadlines_from_now(const ClientOptions& options) {
    Deadlines d;
    const auto start = Clock::now();
    d.total = start + options.total_timeout;
    d.connect = std::min(start + options.connect_timeout, d.total);
    return d;
}

const Proxy* usable_proxy(const ClientState& state, const Endpoint& ep) {
    const Proxy* proxy = state.proxy_for(ep);
    if (proxy && !proxy->usable)
        throw HttpError(
            HttpError::Kind::Connect, ep.host,
            "proxy setting is not an http:// URL; only plain-HTTP proxies are supported");
    return proxy;
}

// Opens the TCP connection to the target or its proxy, with the CONNECT tunnel when needed.
asio::awaitable<void> open_tcp(beast::tcp_stream& stream, const Endpoint& ep, const Proxy* proxy,
                               Deadlines deadlines) {
    if (proxy) {
        co_await connect_tcp(stream, proxy->host, proxy->port, ep.host, deadlines);
        if (ep.https) co_await open_tunnel(stream, ep, *proxy);
    } else {
        co_await connect_tcp(stream, ep.host, ep.port, ep.host, deadlines);
    }
}

// Cancellation can also surface as a system_error thrown by the coroutine machinery itself;
// everything that leaves the client is an HttpError.
[[noreturn]] void rethrow_as_http_error(std::exception_ptr error, const std::string& host) {
    try {
        std::rethrow_exception(error);
    } catch (const boost::system::system_error& e) {
        if (e.code() == asio::error::operation_aborted)
            throw HttpError(HttpError::Kind::Cancelled, host, "cancelled");
        throw HttpError(HttpError::Kind::Protocol, host, e.code().message());
    }
}

asio::awaitable<unsigned> run_stream(std::shared_ptr<const ClientState> state, HttpRequest req,
                                     std::function<void(const HttpResponse&)> on_head,
                                     ChunkFn on_chunk) {
    const Endpoint ep = endpoint_or_throw(req.url);
    const Proxy* proxy = usable_proxy(*state, ep);
    const Deadlines deadlines = deadlines_from_now(state->options);
    auto msg = build_message(req, ep, proxy);
    std::exception_ptr error;
    unsigned status = 0;
    try {
        auto executor = co_await asio::this_coro::executor;
        if (ep.https) {
            TlsStream stream(executor, state->tls);
            co_await open_tcp(beast::get_lowest_layer(stream), ep, proxy, deadlines);
            co_await tls_handshake(stream, ep);
            beast::get_lowest_layer(stream).expires_at(deadlines.total);
            status = co_await exchange_streaming(stream, msg, ep, state->options.max_response_bytes,
                                                 on_head, on_chunk);
        } else {
            beast::tcp_stream stream(executor);
            co_await open_tcp(stream, ep, proxy, deadlines);
            stream.expires_at(deadlines.total);
            status = co_await exchange_streaming(stream, msg, ep, state->options.max_response_bytes,
                                                 on_head, on_chunk);
        }
    } catch (const HttpError&) {
        throw;
    } catch (const boost::system::system_error&) {
        error = std::current_exception();
    }
    if (error) rethrow_as_http_error(error, ep.host);
    util::log::debug("http client: {} {} -> {}", req.method, ep.host, status);
    co_return status;
}

// A whole response is a stream collected in memory: the Beast read algorithms are then
// instantiated once per stream type, not twice (they are most of this file's compile time).
asio::awaitable<HttpResponse> run_request(std::shared_ptr<const ClientState> state,
                                          HttpRequest req) {
    HttpResponse response;
    co_await run_stream(
        std::move(state), std::move(req),
        [&response](const HttpResponse& head) { response = head; },
        [&response](std::string_view piece) -> asio::awaitable<bool> {
            response.body.append(piece);
            co_return true;
        });
    co_return response;
}

}  // namespace

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (beast::iequals(key, name)) return std::string_view(value);
    return std::nullopt;
}

std::string_view to_string(HttpError::Kind kind) {
    switch (kind) {
        case HttpError::Kind::Connect:
            return "connect";
        case HttpError::Kind::Timeout:
            return "timeout";
        case HttpError::Kind::Tls:
            return "tls";
        case HttpError::Kind::Protocol:
            return "protocol";
        case HttpError::Kind::TooLarge:
            return "too large";
        case HttpError::Kind::Cancelled:
            return "cancelled";
    }
    return "unknown";
}

HttpError::HttpError(Kind k, std::string h, std::string_view reason)
    : std::runtime_error("HTTP " + std::string(to_string(k)) + " error (" +
                         (h.empty() ? std::string("?") : h) + "): " + std::string(reason)),
      kind(k),
      host(std::move(h)) {}

ProxySettings ProxySettings::from_environment() {
    ProxySettings s;
    s.http_proxy = env("HTTP_PROXY", "http_proxy");
    s.https_proxy = env("HTTPS_PROXY", "https_proxy");
    s.no_proxy = env("NO_PROXY", "no_proxy");
    return s;
}

bool bypasses_proxy(std::string_view host_in, std::string_view no_proxy) {
    std::string host = util::to_lower_ascii(host_in);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (!host.empty() && host.back() == '.') host.pop_back();
    if (host == "localhost" || host == "127.0.0.1" || host == "::1") return true;
    while (!no_proxy.empty()) {
        const size_t comma = no_proxy.find(',');
        std::string entry = util::to_lower_ascii(util::trim(no_proxy.substr(0, comma)));
        no_proxy.remove_prefix(comma == std::string_view::npos ? no_proxy.size() : comma + 1);
        if (entry == "*") return true;
        if (!entry.empty() && entry.front() == '[') {  // [v6]:port or [v6]
            const size_t close = entry.find(']');
            entry = entry.substr(1, close == std::string::npos ? std::string::npos : close - 1);
        } else if (std::count(entry.begin(), entry.end(), ':') == 1) {  // name:port
            entry.resize(entry.find(':'));
        }
        if (entry.starts_with("*.")) entry.erase(0, 1);
        if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
        if (!entry.empty() && entry.back() == '.') entry.pop_back();
        if (entry.empty()) continue;
        if (host == entry) return true;
        if (host.size() > entry.size() && host.ends_with(entry) &&
            host[host.size() - entry.size() - 1] == '.')
            return true;
    }
    return false;
}

HttpClient::HttpClient(ClientOptions options)
    : HttpClient(std::move(options), ProxySettings::from_environment()) {}

HttpClient::HttpClient(ClientOptions options, ProxySettings proxy) {
    auto state = std::make_shared<ClientState>();
    state->options = std::move(options);
    // tls_client + a floor, not tlsv12_client: Asio pins that one to exactly TLS 1.2.
    SSL_CTX_set_min_proto_version(state->tls.native_handle(), TLS1_2_VERSION);
    state->tls.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    state->tls.set_default_verify_paths();
    state->tls.set_verify_mode(ssl::verify_peer);
    if (!state->options.ca_file.empty()) {
        beast::error_code ec;
        state->tls.load_verify_file(state->options.ca_file, ec);
        if (ec)
            throw HttpError(HttpError::Kind::Tls, "",
                            "cannot load CA file " + state->options.ca_file + ": " + ec.message());
    }
    state->http_proxy = parse_proxy(proxy.http_proxy);
    state->https_proxy = parse_proxy(proxy.https_proxy);
    state->no_proxy = std::move(proxy.no_proxy);
    state_ = std::move(state);
}

asio::awaitable<HttpResponse> HttpClient::request(const HttpRequest& req) const {
    return run_request(state_, req);
}

asio::awaitable<unsigned> HttpClient::stream(const HttpRequest& req,
                                             std::function<void(const HttpResponse& head)> on_head,
                                             ChunkFn on_chunk) const {
    return run_stream(state_, req, std::move(on_head), std::move(on_chunk));
}

asio::awaitable<unsigned> HttpClient::stream(
    const HttpRequest& req, std::function<void(const HttpResponse& head)> on_head,
    std::function<bool(std::string_view chunk)> on_chunk) const {
    ChunkFn async_chunk;
    if (on_chunk) {
        async_chunk = [f = std::move(on_chunk)](std::string_view piece) -> asio::awaitable<bool> {
            co_return f(piece);
        };
    }
    return run_stream(state_, req, std::move(on_head), std::move(async_chunk));
}

}  // namespace resumate::net
