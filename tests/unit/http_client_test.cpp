// The outbound HTTP client against real sockets: a small Beast server (plain and TLS), a fake
// forward proxy and a server that never answers, each on 127.0.0.1 with its own thread.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "net/http_client.hpp"
#include "net/sse.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using resumate::net::bypasses_proxy;
using resumate::net::ClientOptions;
using resumate::net::HttpClient;
using resumate::net::HttpError;
using resumate::net::HttpRequest;
using resumate::net::HttpResponse;
using resumate::net::SseEvent;
using resumate::net::SseParser;
using Kind = resumate::net::HttpError::Kind;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kHugeBytes = 2 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Helpers on the test thread

// Runs one client coroutine on a fresh io_context on this thread; rethrows what it throws.
template <class T>
T run(asio::awaitable<T> task) {
    asio::io_context ioc;
    auto result = asio::co_spawn(ioc, std::move(task), asio::use_future);
    ioc.run();
    return result.get();
}

template <class T>
std::optional<HttpError> run_expecting_error(asio::awaitable<T> task) {
    try {
        run(std::move(task));
    } catch (const HttpError& e) {
        return e;
    }
    return std::nullopt;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 3000ms) {
    const auto until = Clock::now() + limit;
    while (!pred()) {
        if (Clock::now() > until) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

HttpRequest get(std::string url) {
    HttpRequest r;
    r.method = "GET";
    r.url = std::move(url);
    return r;
}

std::string base64(std::string_view s) {
    std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(s.data()),
                            static_cast<int>(s.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

// Clears the six proxy variables for the test's duration and restores them afterwards.
class ScopedProxyEnv {
  public:
    ScopedProxyEnv() {
        for (const char* name : kNames) {
            const char* v = std::getenv(name);
            saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
            unsetenv(name);
        }
    }
    ~ScopedProxyEnv() {
        for (const auto& [name, value] : saved_) {
            if (value)
                setenv(name, value->c_str(), 1);
            else
                unsetenv(name);
        }
    }
    void set(const char* name, const std::string& value) { setenv(name, value.c_str(), 1); }

  private:
    static constexpr const char* kNames[] = {"HTTP_PROXY",  "http_proxy", "HTTPS_PROXY",
                                             "https_proxy", "NO_PROXY",   "no_proxy"};
    std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

// ---------------------------------------------------------------------------------------------
// A self-signed certificate made at test time

struct Certificate {
    std::string cert_pem;
    std::string key_pem;
};

std::string bio_to_string(BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(n));
}

Certificate make_self_signed(const char* subject_alt_names) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    if (!key || !cert) throw std::runtime_error("openssl: cannot create key or certificate");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, subject_alt_names},
                              std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
        if (!ext) throw std::runtime_error("openssl: bad extension");
        X509_add_ext(cert.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (!X509_sign(cert.get(), key.get(), EVP_sha256()))
        throw std::runtime_error("openssl: cannot sign");

    Certificate out;
    std::unique_ptr<BIO, decltype(&BIO_free)> cert_bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(cert_bio.get(), cert.get());
    out.cert_pem = bio_to_string(cert_bio.get());
    std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    out.key_pem = bio_to_string(key_bio.get());
    return out;
}

// localhost and the made-up name the CONNECT test asks the proxy for; not 127.0.0.1.
const Certificate& test_certificate() {
    static const Certificate cert = make_self_signed("DNS:localhost,DNS:api.example.test");
    return cert;
}

// The certificate as a CA file for ClientOptions::ca_file, removed at exit.
const std::string& ca_file() {
    struct File {
        std::string path;
        File() {
            path = (std::filesystem::temp_directory_path() /
                    ("resumate_http_client_test_" + std::to_string(getpid()) + ".pem"))
                       .string();
            std::ofstream(path) << test_certificate().cert_pem;
        }
        ~File() { std::filesystem::remove(path); }
    };
    static const File file;
    return file.path;
}

// TLS 1.3 only: the client must not be pinned to TLS 1.2.
std::unique_ptr<ssl::context> server_tls_context() {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tlsv13_server);
    const Certificate& c = test_certificate();
    ctx->use_certificate_chain(asio::buffer(c.cert_pem));
    ctx->use_private_key(asio::buffer(c.key_pem), ssl::context::pem);
    return ctx;
}

// ---------------------------------------------------------------------------------------------
// Servers

// An acceptor on 127.0.0.1:0 and an io_context on its own thread. Derived destructors call
// stop() first so no session runs while their members go away.
class ServerBase {
  public:
    virtual ~ServerBase() { stop(); }
    unsigned short port() const { return port_; }

  protected:
    ServerBase() : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        port_ = acceptor_.local_endpoint().port();
    }
    void start() {
        asio::co_spawn(ioc_, accept_loop(), asio::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    void stop() {
        ioc_.stop();
        if (thread_.joinable()) thread_.join();
    }
    virtual asio::awaitable<void> session(tcp::socket socket) = 0;

    asio::io_context ioc_;

  private:
    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto accepted = co_await acceptor_.async_accept(kTuple);
            if (std::get<0>(accepted)) co_return;
            asio::co_spawn(ioc_, session(std::move(std::get<1>(accepted))), asio::detached);
        }
    }

    tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::thread thread_;
};

struct Seen {
    std::string method;
    std::string target;
    std::string host;
    std::string body;
    std::string content_length;
    std::string connection;
    std::string api_key;
    std::string proxy_authorization;
    int count = 0;
};

class Recorder {
  public:
    Seen seen() {
        std::lock_guard lock(mutex_);
        return seen_;
    }

  protected:
    void record(const bhttp::request<bhttp::string_body>& req) {
        std::lock_guard lock(mutex_);
        const int count = seen_.count + 1;
        seen_ = Seen();
        seen_.count = count;
        seen_.method = std::string(req.method_string());
        seen_.target = std::string(req.target());
        seen_.host = std::string(req[bhttp::field::host]);
        seen_.body = req.body();
        seen_.content_length = std::string(req[bhttp::field::content_length]);
        seen_.connection = std::string(req[bhttp::field::connection]);
        seen_.api_key = std::string(req["X-Api-Key"]);
        seen_.proxy_authorization = std::string(req[bhttp::field::proxy_authorization]);
    }

  private:
    std::mutex mutex_;
    Seen seen_;
};

bhttp::response<bhttp::string_body> make_response(unsigned status, std::string content_type,
                                                  std::string body) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
    res.set(bhttp::field::content_type, content_type);
    res.body() = std::move(body);
    res.prepare_payload();
    res.keep_alive(false);
    return res;
}

std::string chunk(std::string_view data) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return size + std::string(data) + "\r\n";
}

constexpr std::string_view kChunkedHead =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
    "Connection: close\r\n\r\n";

// Routes:
//   /json          200 {"ok":true}
//   /echo...       200 with what the server saw, as JSON
//   /error         500
//   /delayed       answers after 400 ms
//   /slow          never answers; notes when the client hangs up
//   /stream        chunked SSE in three pieces; the last only after the client saw the first
//   /forever       a chunk every 20 ms until writing fails
//   /huge          2 MiB with Content-Length; /huge-chunked and /huge-eof the same otherwise
class TestServer : public ServerBase, public Recorder {
  public:
    explicit TestServer(ssl::context* tls = nullptr) : tls_(tls) { start(); }
    ~TestServer() override { stop(); }

    std::string url(std::string_view path) const {
        return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port()) +
               std::string(path);
    }

    std::atomic<bool> client_saw_first{false};
    std::atomic<bool> last_piece_sent{false};
    std::atomic<bool> slow_client_closed{false};
    std::atomic<bool> stream_write_failed{false};

  private:
    asio::awaitable<void> session(tcp::socket socket) override {
        if (tls_) {
            beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_);
            beast::get_lowest_layer(stream).expires_after(10s);
            auto hs = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
            if (std::get<0>(hs)) co_return;  // e.g. the client rejected our certificate
            co_await serve(stream);
        } else {
            beast::tcp_stream stream(std::move(socket));
            co_await serve(stream);
        }
    }

    template <class Stream>
    static asio::awaitable<bool> write(Stream& stream, std::string data) {
        auto r = co_await asio::async_write(stream, asio::buffer(data), kTuple);
        co_return !std::get<0>(r);
    }

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream) {
        beast::get_lowest_layer(stream).expires_after(10s);
        beast::flat_buffer buffer;
        bhttp::request<bhttp::string_body> req;
        auto read = co_await bhttp::async_read(stream, buffer, req, kTuple);
        if (std::get<0>(read)) co_return;
        record(req);
        const std::string target(req.target());
        const std::string path = target.substr(0, target.find('?'));

        if (path == "/json") {
            auto res = make_response(200, "application/json", R"({"ok":true})");
            co_await bhttp::async_write(stream, res, kTuple);
        } else if (path == "/echo") {
            Seen s = seen();
            json::object o;
            o["method"] = s.method;
            o["target"] = s.target;
            o["host"] = s.host;
            o["proxy_authorization"] = s.proxy_authorization;
            auto res = make_response(200, "application/json", json::serialize(o));
            co_await bhttp::async_write(stream, res, kTuple);
        } else if (path == "/error") {
            auto res = make_response(500, "application/json", R"({"detail":"boom"})");
            co_await bhttp::async_write(stream, res, kTuple);
        } else if (path == "/delayed") {
            asio::steady_timer timer(ioc_, 400ms);
            co_await timer.async_wait(kTuple);
            auto res = make_response(200, "text/plain", "late but fine");
            co_await bhttp::async_write(stream, res, kTuple);
        } else if (path == "/slow") {
            beast::get_lowest_layer(stream).expires_after(10s);
            char byte = 0;
            auto r = co_await stream.async_read_some(asio::buffer(&byte, 1), kTuple);
            if (std::get<0>(r) != beast::error::timeout) slow_client_closed = true;
        } else if (path == "/stream") {
            co_await write(stream, std::string(kChunkedHead) + chunk("data: one\n\n"));
            asio::steady_timer timer(ioc_);
            const auto give_up = Clock::now() + 3s;
            while (!client_saw_first && Clock::now() < give_up) {
                timer.expires_after(5ms);
                co_await timer.async_wait(kTuple);
            }
            co_await write(stream, chunk("data: two\n\n"));
            timer.expires_after(30ms);
            co_await timer.async_wait(kTuple);
            last_piece_sent = true;
            co_await write(stream, chunk("data: three\n\n") + "0\r\n\r\n");
        } else if (path == "/forever") {
            beast::get_lowest_layer(stream).expires_after(30s);
            bool ok = co_await write(stream, std::string(kChunkedHead));
            asio::steady_timer timer(ioc_);
            for (int i = 0; ok && i < 500; ++i) {
                ok = co_await write(stream, chunk("data: tick\n\n"));
                timer.expires_after(20ms);
                co_await timer.async_wait(kTuple);
            }
            if (!ok) stream_write_failed = true;
        } else if (path == "/huge") {
            auto res = make_response(200, "text/plain", std::string(kHugeBytes, 'x'));
            co_await bhttp::async_write(stream, res, kTuple);
        } else if (path == "/huge-chunked") {
            bool ok = co_await write(stream, std::string(kChunkedHead));
            for (size_t sent = 0; ok && sent < kHugeBytes; sent += 64 * 1024)
                ok = co_await write(stream, chunk(std::string(64 * 1024, 'x')));
            if (ok) co_await write(stream, "0\r\n\r\n");
        } else if (path == "/huge-eof") {
            co_await write(stream, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" +
                                       std::string(kHugeBytes, 'x'));
        } else {
            auto res = make_response(404, "text/plain", "no such route");
            co_await bhttp::async_write(stream, res, kTuple);
        }
    }

    ssl::context* tls_;
};

// A forward proxy: absolute-form requests are answered by the proxy itself ("proxied"),
// CONNECT is tunnelled to 127.0.0.1:<upstream> whatever host it names. Without
// Proxy-Authorization it answers 407.
class FakeProxy : public ServerBase, public Recorder {
  public:
    explicit FakeProxy(unsigned short upstream = 0) : upstream_(upstream) { start(); }
    ~FakeProxy() override { stop(); }

    std::string url(std::string_view userinfo = "") const {
        std::string u = "http://";
        if (!userinfo.empty()) u += std::string(userinfo) + "@";
        return u + "127.0.0.1:" + std::to_string(port());
    }

  private:
    asio::awaitable<void> session(tcp::socket socket) override {
        beast::flat_buffer buffer;
        bhttp::request<bhttp::string_body> req;
        auto read = co_await bhttp::async_read(socket, buffer, req, kTuple);
        if (std::get<0>(read)) co_return;
        record(req);
        if (req[bhttp::field::proxy_authorization].empty()) {
            auto res = make_response(407, "text/plain", "auth");
            res.set(bhttp::field::proxy_authenticate, "Basic realm=\"test\"");
            co_await bhttp::async_write(socket, res, kTuple);
            co_return;
        }
        if (req.method() != bhttp::verb::connect) {
            auto res = make_response(200, "text/plain", "proxied");
            co_await bhttp::async_write(socket, res, kTuple);
            co_return;
        }
        tcp::socket upstream(ioc_);
        auto c = co_await upstream.async_connect(
            tcp::endpoint(asio::ip::make_address("127.0.0.1"), upstream_), kTuple);
        if (std::get<0>(c)) co_return;
        std::string established = "HTTP/1.1 200 Connection established\r\n\r\n";
        co_await asio::async_write(socket, asio::buffer(established), kTuple);
        using namespace asio::experimental::awaitable_operators;
        co_await (pump(socket, upstream) && pump(upstream, socket));
    }

    static asio::awaitable<void> pump(tcp::socket& from, tcp::socket& to) {
        std::array<char, 16 * 1024> data;
        for (;;) {
            auto r = co_await from.async_read_some(asio::buffer(data), kTuple);
            if (std::get<0>(r)) break;
            auto w =
                co_await asio::async_write(to, asio::buffer(data.data(), std::get<1>(r)), kTuple);
            if (std::get<0>(w)) break;
        }
        boost::system::error_code ignored;
        to.shutdown(tcp::socket::shutdown_send, ignored);
    }

    unsigned short upstream_;
};

// Accepts connections and never says a word.
class SilentServer : public ServerBase {
  public:
    SilentServer() { start(); }
    ~SilentServer() override { stop(); }

  private:
    asio::awaitable<void> session(tcp::socket socket) override {
        asio::steady_timer timer(ioc_, 30s);
        co_await timer.async_wait(kTuple);
        socket.close();
    }
};

unsigned short refused_port() {
    asio::io_context ioc;
    tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return a.local_endpoint().port();  // closed again when `a` goes
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Plain HTTP

TEST(HttpClient, GetsJson) {
    TestServer server;
    HttpClient client;
    HttpResponse r = run(client.request(get(server.url("/json"))));
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(json::parse(r.body), json::parse(R"({"ok":true})"));
    ASSERT_TRUE(r.header("content-type"));
    EXPECT_EQ(*r.header("CONTENT-TYPE"), "application/json");
    EXPECT_FALSE(r.header("x-missing"));
    EXPECT_EQ(server.seen().method, "GET");
    EXPECT_EQ(server.seen().connection, "close");
}

TEST(HttpClient, PostsBodyWithQueryHostAndHeaders) {
    TestServer server;
    HttpClient client;
    HttpRequest req;
    req.url = server.url("/echo?key=abc&q=a%20b#fragment");
    req.headers = {{"Content-Type", "application/json"}, {"X-Api-Key", "sk-test"}};
    req.body = R"({"prompt":"hi"})";
    HttpResponse r = run(client.request(req));
    EXPECT_EQ(r.status, 200u);
    Seen s = server.seen();
    EXPECT_EQ(s.method, "POST");
    EXPECT_EQ(s.target, "/echo?key=abc&q=a%20b");
    EXPECT_EQ(s.host, "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(s.content_length, std::to_string(req.body.size()));
    EXPECT_EQ(s.body, req.body);
    EXPECT_EQ(s.api_key, "sk-test");
    EXPECT_EQ(s.proxy_authorization, "");
}

TEST(HttpClient, ServerErrorIsAResponseNotAnException) {
    TestServer server;
    HttpClient client;
    HttpResponse r = run(client.request(get(server.url("/error"))));
    EXPECT_EQ(r.status, 500u);
    EXPECT_NE(r.body.find("boom"), std::string::npos);
}

TEST(HttpClient, TotalTimeoutFiresAndClosesTheConnection) {
    TestServer server;
    ClientOptions o;
    o.total_timeout = 300ms;
    HttpClient client(o);
    const auto start = Clock::now();
    auto err = run_expecting_error(client.request(get(server.url("/slow"))));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, Kind::Timeout) << err->what();
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_TRUE(eventually([&] { return server.slow_client_closed.load(); }));
}

TEST(HttpClient, ConnectTimeoutDoesNotLimitTheExchange) {
    TestServer server;
    ClientOptions o;
    o.connect_timeout = 150ms;
    o.total_timeout = 10s;
    HttpClient client(o);
    HttpResponse r = run(client.request(get(server.url("/delayed"))));
    EXPECT_EQ(r.body, "late but fine");
}

TEST(HttpClient, RefusedPortIsAConnectErrorThatLeaksNoSecrets) {
    HttpClient client;
    HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(refused_port()) + "/v1?key=query-secret";
    req.headers = {{"Authorization", "Bearer header-secret"}};
    auto err = run_expecting_error(client.request(req));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, Kind::Connect) << err->what();
    EXPECT_EQ(err->host, "127.0.0.1");
    const std::string what = err->what();
    EXPECT_NE(what.find("127.0.0.1"), std::string::npos) << what;
    EXPECT_EQ(what.find("secret"), std::string::npos) << what;
}

TEST(HttpClient, InvalidUrlsAreRejected) {
    HttpClient client;
    for (std::string url : {"ftp://example.com/x", "not a url", "http:///nohost", ""}) {
        auto err = run_expecting_error(client.request(get(url)));
        ASSERT_TRUE(err) << url;
        EXPECT_EQ(err->kind, Kind::Protocol) << url;
    }
}

TEST(HttpClient, HeaderInjectionIsRejected) {
    TestServer server;
    HttpClient client;
    HttpRequest req = get(server.url("/json"));
    req.headers = {{"X-Api-Key", "sk-1\r\nX-Evil: 1"}};
    auto err = run_expecting_error(client.request(req));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, Kind::Protocol);
    EXPECT_EQ(std::string(err->what()).find("sk-1"), std::string::npos);
    EXPECT_EQ(server.seen().count, 0);
}

TEST(HttpClient, BodiesOverTheLimitAreTooLarge) {
    TestServer server;
    ClientOptions o;
    o.max_response_bytes = 1024 * 1024;
    HttpClient client(o);
    for (const char* path : {"/huge", "/huge-chunked", "/huge-eof"}) {
        auto err = run_expecting_error(client.request(get(server.url(path))));
        ASSERT_TRUE(err) << path;
        EXPECT_EQ(err->kind, Kind::TooLarge) << path << ": " << err->what();
    }
    size_t streamed = 0;
    auto err = run_expecting_error(
        client.stream(get(server.url("/huge-chunked")), nullptr, [&](std::string_view piece) {
            streamed += piece.size();
            return true;
        }));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, Kind::TooLarge) << err->what();
    EXPECT_LE(streamed, o.max_response_bytes);

    // The same bodies are fine under a higher limit.
    o.max_response_bytes = 4 * 1024 * 1024;
    HttpClient roomy(o);
    EXPECT_EQ(run(roomy.request(get(server.url("/huge-eof")))).body.size(), kHugeBytes);
    EXPECT_EQ(run(roomy.request(get(server.url("/huge-chunked")))).body.size(), kHugeBytes);
}

// ---------------------------------------------------------------------------------------------
// Streaming

TEST(HttpClient, StreamDeliversChunksAsTheyArrive) {
    TestServer server;
    HttpClient client;
    int heads = 0;
    unsigned head_status = 0;
    std::string content_type;
    std::vector<std::string> chunks;
    bool last_sent_before_first_chunk = true;
    SseParser sse;
    std::vector<SseEvent> events;
    auto on_head = [&](const HttpResponse& head) {
        ++heads;
        head_status = head.status;
        content_type = std::string(head.header("Content-Type").value_or(""));
        EXPECT_TRUE(head.body.empty());
        EXPECT_TRUE(chunks.empty());
    };
    auto on_chunk = [&](std::string_view piece) {
        if (chunks.empty()) last_sent_before_first_chunk = server.last_piece_sent.load();
        chunks.emplace_back(piece);
        server.client_saw_first = true;
        for (auto& e : sse.feed(piece)) events.push_back(std::move(e));
        return true;
    };
    unsigned status = run(client.stream(get(server.url("/stream")), on_head, on_chunk));
    for (auto& e : sse.finish()) events.push_back(std::move(e));

    EXPECT_EQ(status, 200u);
    EXPECT_EQ(heads, 1);
    EXPECT_EQ(head_status, 200u);
    EXPECT_EQ(content_type, "text/event-stream");
    EXPECT_GT(chunks.size(), 1u);
    EXPECT_FALSE(last_sent_before_first_chunk) << "the first chunk came only after the last piece";
    std::string body;
    for (const auto& c : chunks) body += c;
    EXPECT_EQ(body, "data: one\n\ndata: two\n\ndata: three\n\n");  // chunk framing removed
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].data, "one");
    EXPECT_EQ(events[2].data, "three");
}

TEST(HttpClient, StreamIsAbandonedWhenTheCallbackSaysStop) {
    TestServer server;
    HttpClient client;
    int calls = 0;
    const auto start = Clock::now();
    unsigned status =
        run(client.stream(get(server.url("/forever")), nullptr, [&](std::string_view) {
            ++calls;
            return false;
        }));
    EXPECT_EQ(status, 200u);
    EXPECT_EQ(calls, 1);
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_TRUE(eventually([&] { return server.stream_write_failed.load(); }))
        << "the server kept writing: the connection was not closed";
}

TEST(HttpClient, StreamOfAWholeResponse) {
    TestServer server;
    HttpClient client;
    std::string body;
    unsigned status =
        run(client.stream(get(server.url("/error")), nullptr, [&](std::string_view p) {
            body += p;
            return true;
        }));
    EXPECT_EQ(status, 500u);
    EXPECT_EQ(json::parse(body), json::parse(R"({"detail":"boom"})"));
}

// ---------------------------------------------------------------------------------------------
// Cancellation

asio::awaitable<std::variant<HttpResponse, std::monostate>> request_or_timer(
    const HttpClient& client, HttpRequest req, std::chrono::milliseconds after) {
    using namespace asio::experimental::awaitable_operators;
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor, after);
    co_return co_await (client.request(req) || timer.async_wait(asio::use_awaitable));
}

TEST(HttpClient, LosingAnOrRaceStopsTheTransferAndClosesTheSocket) {
    TestServer server;
    HttpClient client;
    const auto start = Clock::now();
    auto outcome = run(request_or_timer(client, get(server.url("/slow")), 200ms));
    EXPECT_EQ(outcome.index(), 1u);
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_TRUE(eventually([&] { return server.slow_client_closed.load(); }));
}

TEST(HttpClient, CancellationSignalGivesCancelledError) {
    TestServer server;
    HttpClient client;
    asio::io_context ioc;
    asio::cancellation_signal signal;
    auto result = asio::co_spawn(ioc, client.request(get(server.url("/slow"))),
                                 asio::bind_cancellation_slot(signal.slot(), asio::use_future));
    asio::steady_timer timer(ioc, 200ms);
    timer.async_wait(
        [&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
    const auto start = Clock::now();
    ioc.run();
    EXPECT_LT(Clock::now() - start, 3s);
    try {
        result.get();
        ADD_FAILURE() << "no exception";
    } catch (const HttpError& e) {
        EXPECT_EQ(e.kind, Kind::Cancelled) << e.what();
    }
    EXPECT_TRUE(eventually([&] { return server.slow_client_closed.load(); }));
}

// ---------------------------------------------------------------------------------------------
// TLS

TEST(HttpClientTls, RejectsAnUntrustedCertificate) {
    auto tls = server_tls_context();
    TestServer server(tls.get());
    HttpClient client;  // system trust store only
    auto err = run_expecting_error(
        client.request(get("https://localhost:" + std::to_string(server.port()) + "/json")));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, Kind::Tls) << err->what();
    EXPECT_NE(std::string(err->what()).find("certificate"), std::string::npos) << err->what();
    EXPECT_EQ(server.seen().count, 0);
}

TEST(HttpClientTls, AcceptsATrustedCertificateOverTls13) {
    auto tls = server_tls_context();
    TestServer server(tls.get());
    ClientOptions o;
    o.ca_file = ca_file();
    HttpClient client(o);
    const std::string base = "https://localhost:" + std::to_string(server.port());
    HttpResponse r = run(client.request(get(base + "/json")));
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(json::parse(r.body), json::parse(R"({"ok":true})"));
    EXPECT_EQ(server.seen().host, "localhost:" + std::to_string(server.port()));

    std::string streamed;
    int pieces = 0;
    unsigned status = run(client.stream(get(base + "/stream"), nullptr, [&](std::string_view p) {
        streamed += p;
        ++pieces;
        server.client_saw_first = true;
        return true;
    }));
    EXPECT_EQ(status, 200u);
    EXPECT_GT(pieces, 1);
    EXPECT_EQ(streamed, "data: one\n\ndata: two\n\ndata: three\n\n");
}

TEST(HttpClientTls, RejectsAHostNameMismatch) {
    auto tls = server_tls_context();
    TestServer server(tls.get());
    ClientOptions o;
    o.ca_file = ca_file();
    HttpClient client(o);
    // Trusted certificate, but it names localhost, not 127.0.0.1.
    auto err = run_expecting_error(client.request(get(server.url("/json"))));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, Kind::Tls) << err->what();
    EXPECT_EQ(server.seen().count, 0);
}

TEST(HttpClientTls, ConnectTimeoutCoversTheHandshake) {
    SilentServer server;
    ClientOptions o;
    o.connect_timeout = 300ms;
    HttpClient client(o);
    const auto start = Clock::now();
    auto err = run_expecting_error(
        client.request(get("https://localhost:" + std::to_string(server.port()) + "/")));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, Kind::Timeout) << err->what();
    EXPECT_LT(Clock::now() - start, 3s);
}

TEST(HttpClientTls, MissingCaFileFailsAtConstruction) {
    ClientOptions o;
    o.ca_file = "/nonexistent/ca.pem";
    EXPECT_THROW(HttpClient{o}, HttpError);
}

// ---------------------------------------------------------------------------------------------
// Proxies

TEST(HttpClientProxy, HttpGoesThroughTheProxyInAbsoluteForm) {
    FakeProxy proxy;
    ScopedProxyEnv env;
    env.set("HTTP_PROXY", proxy.url("user:pa%3Ass"));
    HttpClient client;
    // Not resolvable: only the proxy may look the name up.
    HttpResponse r = run(client.request(get("http://api.example.test:8080/v1/x?key=1")));
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.body, "proxied");
    Seen s = proxy.seen();
    EXPECT_EQ(s.target, "http://api.example.test:8080/v1/x?key=1");
    EXPECT_EQ(s.host, "api.example.test:8080");
    EXPECT_EQ(s.proxy_authorization, "Basic " + base64("user:pa:ss"));
}

TEST(HttpClientProxy, LowerCaseVariableWorksToo) {
    FakeProxy proxy;
    ScopedProxyEnv env;
    env.set("http_proxy", proxy.url("u:p"));
    HttpClient client;
    EXPECT_EQ(run(client.request(get("http://api.example.test/"))).body, "proxied");
    EXPECT_EQ(proxy.seen().target, "http://api.example.test/");
    EXPECT_EQ(proxy.seen().host, "api.example.test");
}

TEST(HttpClientProxy, HttpsGoesThroughConnectThenTls) {
    auto tls = server_tls_context();
    TestServer upstream(tls.get());
    FakeProxy proxy(upstream.port());
    ScopedProxyEnv env;
    env.set("HTTPS_PROXY", proxy.url("user:pass"));
    env.set("HTTP_PROXY", "http://127.0.0.1:1");  // must not be used for https
    ClientOptions o;
    o.ca_file = ca_file();
    HttpClient client(o);
    HttpResponse r = run(client.request(get("https://api.example.test/echo?key=1")));
    EXPECT_EQ(r.status, 200u);
    Seen at_proxy = proxy.seen();
    EXPECT_EQ(at_proxy.method, "CONNECT");
    EXPECT_EQ(at_proxy.target, "api.example.test:443");
    EXPECT_EQ(at_proxy.proxy_authorization, "Basic " + base64("user:pass"));
    Seen at_origin = upstream.seen();
    EXPECT_EQ(at_origin.target, "/echo?key=1");  // origin form inside the tunnel
    EXPECT_EQ(at_origin.host, "api.example.test");
    EXPECT_EQ(at_origin.proxy_authorization, "") << "proxy credentials leaked to the origin";
}

TEST(HttpClientProxy, RefusedConnectIsAConnectError) {
    auto tls = server_tls_context();
    TestServer upstream(tls.get());
    FakeProxy proxy(upstream.port());
    ScopedProxyEnv env;
    env.set("HTTPS_PROXY", proxy.url());  // no credentials: 407
    ClientOptions o;
    o.ca_file = ca_file();
    HttpClient client(o);
    auto err = run_expecting_error(client.request(get("https://api.example.test/json")));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, Kind::Connect) << err->what();
    EXPECT_NE(std::string(err->what()).find("407"), std::string::npos) << err->what();
}

TEST(HttpClientProxy, NoProxyAndLoopbackGoDirect) {
    TestServer server;
    FakeProxy proxy;
    ScopedProxyEnv env;
    env.set("HTTP_PROXY", proxy.url("u:p"));
    env.set("NO_PROXY", "other.org, .example.test");
    ClientOptions o;
    o.connect_timeout = 2000ms;
    HttpClient client(o);
    // Loopback is never proxied.
    EXPECT_EQ(run(client.request(get(server.url("/json")))).status, 200u);
    // NO_PROXY: the client looks the name up itself, which fails one way or another.
    auto err = run_expecting_error(client.request(get("http://api.example.test/")));
    ASSERT_TRUE(err);
    EXPECT_TRUE(err->kind == Kind::Connect || err->kind == Kind::Timeout) << err->what();
    EXPECT_EQ(proxy.seen().count, 0);
    // Anything else goes through the proxy.
    EXPECT_EQ(run(client.request(get("http://example.com/"))).body, "proxied");
    EXPECT_EQ(proxy.seen().count, 1);
}

TEST(HttpClientProxy, UnsupportedProxySchemeIsAnError) {
    ScopedProxyEnv env;
    env.set("HTTPS_PROXY", "https://proxy.internal:3128");
    HttpClient client;
    auto err = run_expecting_error(client.request(get("https://api.example.test/")));
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, Kind::Connect) << err->what();
}

TEST(HttpClientProxy, NoProxyMatching) {
    EXPECT_TRUE(bypasses_proxy("localhost", ""));
    EXPECT_TRUE(bypasses_proxy("127.0.0.1", ""));
    EXPECT_TRUE(bypasses_proxy("::1", ""));
    EXPECT_TRUE(bypasses_proxy("[::1]", ""));
    EXPECT_FALSE(bypasses_proxy("api.openai.com", ""));
    EXPECT_TRUE(bypasses_proxy("api.openai.com", "*"));
    EXPECT_TRUE(bypasses_proxy("api.openai.com", "foo, openai.com"));
    EXPECT_TRUE(bypasses_proxy("api.openai.com", "foo,\topenai.com\t ,bar"));
    EXPECT_TRUE(bypasses_proxy("openai.com", "openai.com"));
    EXPECT_TRUE(bypasses_proxy("API.OpenAI.com", ".openai.com"));
    EXPECT_TRUE(bypasses_proxy("openai.com", ".openai.com"));
    EXPECT_TRUE(bypasses_proxy("a.b.openai.com", "*.openai.com"));
    EXPECT_TRUE(bypasses_proxy("openai.com", "openai.com:443"));
    EXPECT_TRUE(bypasses_proxy("10.0.0.5", "10.0.0.5"));
    EXPECT_TRUE(bypasses_proxy("fe80::1", "[fe80::1]"));
    EXPECT_FALSE(bypasses_proxy("notopenai.com", "openai.com"));
    EXPECT_FALSE(bypasses_proxy("openai.com.evil.net", "openai.com"));
    EXPECT_FALSE(bypasses_proxy("api.openai.com", "api.openai.co"));
    EXPECT_FALSE(bypasses_proxy("api.openai.com", " , ,"));
}
