#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef RESUMATE_BINARY
#error "RESUMATE_BINARY must be defined as the path of the resumate binary"
#endif

namespace e2e {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool keep_artifacts() {
    const char* keep = std::getenv("RESUMATE_E2E_KEEP");
    if (keep != nullptr && std::string_view(keep) == "1") return true;
    // Inside a test: keep what a failing test used. Outside (suite or global tear-down): keep
    // when anything failed, since the shared servers served the failing tests.
    auto* unit = ::testing::UnitTest::GetInstance();
    if (unit->current_test_info() != nullptr) return ::testing::Test::HasFailure();
    return unit->failed_test_count() > 0;
}

// fork + exec with exactly `env`, stdin from /dev/null, stdout/stderr to files. The child dies
// with the test process (PR_SET_PDEATHSIG) and inherits none of its descriptors.
pid_t spawn_process(const std::vector<std::string>& args, const EnvMap& env, const fs::path& cwd,
                    const fs::path& out_path, const fs::path& err_path) {
    std::vector<std::string> env_strings;
    env_strings.reserve(env.size());
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<std::string> arg_strings;
    arg_strings.emplace_back(RESUMATE_BINARY);
    arg_strings.insert(arg_strings.end(), args.begin(), args.end());

    std::vector<char*> argv;
    for (auto& a : arg_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    const std::string binary = RESUMATE_BINARY;
    const std::string cwd_s = cwd.string();
    const std::string out_s = out_path.string();
    const std::string err_s = err_path.string();
    const bool same_file = out_path == err_path;
    const pid_t parent = getpid();

    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(126);
        struct sigaction sa {};
        sa.sa_handler = SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGPIPE, &sa, nullptr);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        if (chdir(cwd_s.c_str()) != 0) _exit(125);
        int in = open("/dev/null", O_RDONLY);
        int out = open(out_s.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = same_file ? out : open(err_s.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0) _exit(124);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
            for (int fd = 3; fd < 4096; ++fd) close(fd);
        }
        execve(binary.c_str(), argv.data(), envp.data());
        _exit(127);
    }
    return pid;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// Waits for `pid`; nullopt when it is still running after `timeout`.
std::optional<int> wait_pid(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return decode_status(status);
        if (r < 0 && errno != EINTR) return -1;
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(5ms);
    }
}

std::atomic<int> g_counter{0};

// A sanitizer build (make test SANITIZE=1) reports into the child's stderr and may still exit
// 0 (LeakSanitizer's report comes at exit, UBSan's without halt_on_error at all): the test that
// ran the child fails when its output holds a report.
void expect_no_sanitizer_report(std::string_view output, std::string_view what) {
    static constexpr std::string_view kMarkers[] = {
        "ERROR: AddressSanitizer",
        "ERROR: LeakSanitizer",
        "SUMMARY: AddressSanitizer",
        "SUMMARY: LeakSanitizer",
        "SUMMARY: UndefinedBehaviorSanitizer",
        ": runtime error: ",
    };
    for (std::string_view marker : kMarkers) {
        std::size_t at = output.find(marker);
        if (at == std::string_view::npos) continue;
        std::size_t from = output.rfind("\n=", at);
        from = from == std::string_view::npos ? (at > 200 ? at - 200 : 0) : from;
        ADD_FAILURE() << what << " reported a sanitizer error:\n" << output.substr(from, 6000);
        return;
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Response

std::string Response::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (iequals(k, name)) return v;
    }
    return {};
}

bool Response::has_header(std::string_view name) const {
    return header_count(name) > 0;
}

std::size_t Response::header_count(std::string_view name) const {
    return static_cast<std::size_t>(std::count_if(
        headers.begin(), headers.end(), [&](const auto& kv) { return iequals(kv.first, name); }));
}

json::value Response::json() const {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec) return nullptr;
    return v;
}

bool Response::json_ok() const {
    boost::system::error_code ec;
    json::parse(body, ec);
    return !ec;
}

json::object Response::obj() const {
    json::value v = json();
    if (v.is_object()) return v.as_object();
    return {};
}

json::array Response::arr() const {
    json::value v = json();
    if (v.is_array()) return v.as_array();
    return {};
}

std::string Response::describe() const {
    std::ostringstream os;
    os << "\n--- response: status " << status;
    if (!error.empty()) os << " (error: " << error << ")";
    os << "\n";
    for (const auto& [k, v] : headers) os << k << ": " << v << "\n";
    if (body.size() > 3000) {
        os << "\n" << body.substr(0, 3000) << "... (" << body.size() << " bytes)\n";
    } else {
        os << "\n" << body << "\n";
    }
    os << "---";
    return os.str();
}

// ---------------------------------------------------------------------------------------------
// Client

struct Client::Impl {
    net::io_context ioc;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    // Runs one asynchronous operation to completion, bounded by `timeout`.
    template <class Start>
    boost::system::error_code run(std::chrono::milliseconds timeout, Start&& start) {
        boost::system::error_code result = net::error::would_block;
        stream->expires_after(timeout);
        start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
        ioc.restart();
        ioc.run();
        if (stream) stream->expires_never();
        return result;
    }
};

Client::Client(uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()), port_(port), timeout_(timeout) {}

Client::~Client() {
    close();
}

bool Client::is_open() const {
    return impl_->stream && impl_->stream->socket().is_open();
}

void Client::close() {
    if (impl_->stream) {
        boost::system::error_code ec;
        impl_->stream->socket().shutdown(tcp::socket::shutdown_both, ec);
        impl_->stream->socket().close(ec);
        impl_->stream.reset();
    }
    impl_->buffer.clear();
}

bool Client::connect() {
    close();
    impl_->stream.emplace(impl_->ioc);
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port_);
    auto ec = impl_->run(
        timeout_, [&](auto handler) { impl_->stream->async_connect(ep, std::move(handler)); });
    if (ec) {
        close();
        return false;
    }
    impl_->stream->socket().set_option(tcp::no_delay(true), ec);
    ++connects_;
    return true;
}

bool Client::write_raw(std::string_view bytes) {
    if (!is_open() && !connect()) return false;
    auto ec = impl_->run(timeout_, [&](auto handler) {
        net::async_write(*impl_->stream, net::buffer(bytes.data(), bytes.size()),
                         std::move(handler));
    });
    return !ec;
}

Response Client::read_response(bool head_request) {
    Response resp;
    if (!is_open()) {
        resp.error = "not connected";
        return resp;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    parser.header_limit(1024 * 1024);
    if (head_request) parser.skip(true);
    auto ec = impl_->run(timeout_, [&](auto handler) {
        http::async_read(*impl_->stream, impl_->buffer, parser, std::move(handler));
    });
    if (ec) {
        resp.error = "read failed: " + ec.message();
        close();
        return resp;
    }
    auto& msg = parser.get();
    resp.status = msg.result_int();
    for (const auto& field : msg) {
        resp.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    resp.body = msg.body();
    resp.keep_alive = msg.keep_alive();
    if (!resp.keep_alive) close();
    return resp;
}

Response Client::send(const Request& r) {
    http::request<http::string_body> req;
    req.version(r.version);
    http::verb verb = http::string_to_verb(r.method);
    if (verb == http::verb::unknown) {
        req.method_string(r.method);
    } else {
        req.method(verb);
    }
    req.target(r.target);
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    req.set(http::field::user_agent, "resumate-e2e");
    if (!r.bearer.empty()) req.set(http::field::authorization, "Bearer " + r.bearer);
    if (r.body) {
        if (!r.content_type.empty()) req.set(http::field::content_type, r.content_type);
        req.body() = *r.body;
    }
    for (const auto& [k, v] : r.headers) req.set(k, v);
    req.prepare_payload();
    const bool head_request = r.method == "HEAD";

    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = is_open();
        if (!reused && !connect()) {
            Response resp;
            resp.error = "connect failed";
            return resp;
        }
        auto ec = impl_->run(timeout_, [&](auto handler) {
            http::async_write(*impl_->stream, req, std::move(handler));
        });
        if (ec) {
            close();
            if (reused) continue;  // the server closed an idle connection: retry once
            Response resp;
            resp.error = "write failed: " + ec.message();
            return resp;
        }
        Response resp = read_response(head_request);
        if (resp.status == 0 && reused && attempt == 0) continue;
        return resp;
    }
    Response resp;
    resp.error = "request failed twice";
    return resp;
}

// ---------------------------------------------------------------------------------------------
// RawConn

RawConn::RawConn(uint16_t port, const char* source) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    if (source) {
        sockaddr_in from{};
        from.sin_family = AF_INET;
        if (::inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
            ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
            int e = errno;
            ::close(fd_);
            fd_ = -1;
            throw std::runtime_error(std::string("bind() to ") + source +
                                     " failed: " + std::strerror(e));
        }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        int e = errno;
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error(std::string("connect() failed: ") + std::strerror(e));
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool RawConn::peer_open() const {
    char c;
    ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) return true;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

RawConn::~RawConn() {
    if (fd_ >= 0) ::close(fd_);
}

bool RawConn::send_all(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void RawConn::shutdown_write() {
    ::shutdown(fd_, SHUT_WR);
}

RawConn::ReadResult RawConn::read_until(std::string_view needle,
                                        std::chrono::milliseconds timeout) {
    ReadResult result;
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + timeout;
    char buf[16384];
    for (;;) {
        if (!needle.empty() && result.data.find(needle) != std::string::npos) break;
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) break;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        pollfd p{fd_, POLLIN, 0};
        int pr = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(1, left.count())));
        if (pr < 0) {
            if (errno == EINTR) continue;
            result.closed = true;
            break;
        }
        if (pr == 0) continue;
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            result.closed = true;
            break;
        }
        result.data.append(buf, static_cast<std::size_t>(n));
    }
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    return result;
}

RawConn::ReadResult RawConn::read_until_closed(std::chrono::milliseconds timeout) {
    return read_until({}, timeout);
}

bool port_accepts_connections(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

uint16_t unused_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// ---------------------------------------------------------------------------------------------
// FakeProvider

std::string FakeProvider::Recorded::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (iequals(k, name)) return v;
    }
    return {};
}

FakeProvider::FakeProvider(int status, std::string text) : status_(status), text_(std::move(text)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket() failed");
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("fake provider cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
}

FakeProvider::~FakeProvider() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    for (auto& w : workers_) w.join();
    ::close(listen_fd_);
}

void FakeProvider::script(Script s) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_ = std::move(s);
}

std::string FakeProvider::gemini_answer(std::string_view text) {
    return json::serialize(json::object{
        {"candidates",
         json::array{json::object{
             {"content", json::object{{"parts", json::array{json::object{{"text", text}}}},
                                      {"role", "model"}}},
             {"finishReason", "STOP"},
             {"index", 0}}}}});
}

std::string FakeProvider::gemini_event(std::string_view text, std::string_view finish_reason) {
    json::object candidate{
        {"content",
         json::object{{"parts", json::array{json::object{{"text", text}}}}, {"role", "model"}}},
        {"index", 0}};
    if (!finish_reason.empty()) candidate["finishReason"] = finish_reason;
    return "data: " + json::serialize(json::object{{"candidates", json::array{candidate}}}) +
           "\r\n\r\n";
}

std::string FakeProvider::openai_event(std::string_view text, bool finished) {
    json::object chunk{
        {"id", "fake"},
        {"object", "chat.completion.chunk"},
        {"choices", json::array{json::object{{"index", 0},
                                             {"delta", json::object{{"content", text}}},
                                             {"finish_reason", finished ? json::value("stop")
                                                                        : json::value(nullptr)}}}}};
    return "data: " + json::serialize(chunk) + "\n\n";
}

namespace {

// Sleeps up to `d` while watching the connection: false when the peer closed it meanwhile.
bool wait_watching_peer(int fd, std::chrono::milliseconds d, const std::atomic<bool>& stop) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stop) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left <= 0ms) return true;
        pollfd p{fd, POLLIN | POLLRDHUP, 0};
        int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 20)));
        if (r > 0) {
            char buf[256];
            ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return false;
            if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) return false;
        }
    }
    return false;
}

bool send_all(int fd, std::string_view rest) {
    while (!rest.empty()) {
        ssize_t n = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

void FakeProvider::send_reply(int fd, const Reply& reply) {
    if (reply.delay > 0ms && !wait_watching_peer(fd, reply.delay, stop_)) return;
    std::string head = "HTTP/1.1 " + std::to_string(reply.status) +
                       (reply.status >= 400 ? " Error" : " OK") +
                       "\r\nContent-Type: " + reply.content_type + "\r\n";
    for (const auto& [k, v] : reply.headers) head += k + ": " + v + "\r\n";
    if (reply.pieces.size() == 1)
        head += "Content-Length: " + std::to_string(reply.pieces[0].size()) + "\r\n";
    head += "Connection: close\r\n\r\n";
    if (reply.pieces.size() == 1) {
        send_all(fd, head + reply.pieces[0]);
        return;
    }
    if (!send_all(fd, head)) return;
    for (const auto& piece : reply.pieces) {
        if (reply.gap > 0ms && !wait_watching_peer(fd, reply.gap, stop_)) {
            ++abandoned_;
            return;
        }
        if (!send_all(fd, piece)) {
            ++abandoned_;
            return;
        }
    }
}

std::vector<FakeProvider::Recorded> FakeProvider::requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
}

void FakeProvider::serve() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        // One thread per connection: slow scripted answers must not hold up the others.
        workers_.emplace_back([this, fd] {
            int now = ++in_flight_;
            int seen = max_in_flight_.load();
            while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
            }
            handle(fd);
            --in_flight_;
            ::close(fd);
        });
    }
}

void FakeProvider::handle(int fd) {
    http::request_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(boost::none);
    std::string pending;
    char buf[16384];
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!parser.is_done() && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return;
        pending.append(buf, static_cast<std::size_t>(n));
        boost::system::error_code ec;
        while (!pending.empty() && !parser.is_done()) {
            std::size_t used = parser.put(net::buffer(pending), ec);
            if (ec == http::error::need_more) {
                ec = {};
                break;
            }
            if (ec) return;
            pending.erase(0, used);
            if (used == 0) break;
        }
    }
    if (!parser.is_done()) return;

    const auto& msg = parser.get();
    Recorded rec;
    rec.method = std::string(msg.method_string());
    rec.target = std::string(msg.target());
    for (const auto& f : msg) {
        rec.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    rec.body = msg.body();
    Script script;
    int index = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        index = static_cast<int>(requests_.size());
        requests_.push_back(rec);
        script = script_;
    }
    if (script) {
        if (auto reply = script(rec, index)) {
            send_reply(fd, *reply);
            return;
        }
    }

    const bool gemini_stream = rec.target.find("streamGenerateContent") != std::string::npos;
    bool stream = gemini_stream;
    {
        boost::system::error_code ec;
        json::value body = json::parse(rec.body, ec);
        if (!ec && body.is_object()) {
            const json::value* s = body.as_object().if_contains("stream");
            if (s != nullptr && s->is_bool() && s->as_bool()) stream = true;
        }
    }

    std::string content_type = "application/json";
    std::string payload;
    if (status_ >= 400) {
        payload = json::serialize(json::object{
            {"error", json::object{{"code", status_}, {"message", "fake provider failure"}}}});
    } else {
        json::object gemini{
            {"candidates",
             json::array{json::object{
                 {"content", json::object{{"parts", json::array{json::object{{"text", text_}}}},
                                          {"role", "model"}}},
                 {"finishReason", "STOP"},
                 {"index", 0}}}}};
        json::object openai_full{
            {"id", "fake"},
            {"object", "chat.completion"},
            {"model", "fake"},
            {"choices", json::array{json::object{
                            {"index", 0},
                            {"message", json::object{{"role", "assistant"}, {"content", text_}}},
                            {"finish_reason", "stop"}}}}};
        if (gemini_stream) {
            content_type = "text/event-stream";
            payload = "data: " + json::serialize(gemini) + "\r\n\r\n";
        } else if (stream) {
            content_type = "text/event-stream";
            json::object chunk{
                {"id", "fake"},
                {"object", "chat.completion.chunk"},
                {"choices", json::array{json::object{
                                {"index", 0},
                                {"delta", json::object{{"role", "assistant"}, {"content", text_}}},
                                {"finish_reason", nullptr}}}}};
            payload = "data: " + json::serialize(chunk) + "\r\n\r\ndata: [DONE]\r\n\r\n";
        } else {
            json::object combined = openai_full;
            combined["candidates"] = gemini["candidates"];
            payload = json::serialize(combined);
        }
    }
    std::string response = "HTTP/1.1 " + std::to_string(status_) +
                           (status_ >= 400 ? " Error" : " OK") +
                           "\r\nContent-Type: " + content_type +
                           "\r\nContent-Length: " + std::to_string(payload.size()) +
                           "\r\nConnection: close\r\n\r\n" + payload;
    std::string_view rest = response;
    while (!rest.empty()) {
        ssize_t n = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n <= 0) return;
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}

// ---------------------------------------------------------------------------------------------
// Processes

std::string CliResult::describe() const {
    std::ostringstream os;
    os << "\n--- exit code " << exit_code << (timed_out ? " (timed out)" : "") << "\n--- stdout:\n"
       << out << "\n--- stderr:\n"
       << err << "\n---";
    return os.str();
}

CliResult run_resumate(const std::vector<std::string>& args, const EnvMap& env, const fs::path& cwd,
                       std::chrono::seconds timeout) {
    const int n = g_counter++;
    const fs::path out = cwd / ("cli-" + std::to_string(n) + ".out");
    const fs::path err = cwd / ("cli-" + std::to_string(n) + ".err");
    CliResult result;
    pid_t pid = spawn_process(args, env, cwd, out, err);
    auto status = wait_pid(pid, timeout);
    if (!status) {
        result.timed_out = true;
        ::kill(pid, SIGKILL);
        status = wait_pid(pid, 5s);
    }
    result.exit_code = status.value_or(-1);
    result.out = read_file(out);
    result.err = read_file(err);
    expect_no_sanitizer_report(result.err, "resumate " + (args.empty() ? "" : args.front()));
    std::error_code ec;
    fs::remove(out, ec);
    fs::remove(err, ec);
    return result;
}

TempDir::TempDir(std::string_view tag) {
    std::string tmpl = (fs::temp_directory_path() / ("resumate-" + std::string(tag) + "-XXXXXX"));
    if (mkdtemp(tmpl.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
    }
    path_ = tmpl;
}

TempDir::~TempDir() {
    if (keep_artifacts()) {
        std::fprintf(stderr, "[e2e] kept %s\n", path_.c_str());
        return;
    }
    std::error_code ec;
    fs::remove_all(path_, ec);
}

// The second run of the suite (PostgreSQL + Redis): when TEST_DATABASE_URL is set, every data
// directory gets its own fresh database; with TEST_REDIS_URL, its own key prefix in the one
// Redis, so servers never see each other's cache entries.
const EnvMap& backend_env(const fs::path& data_dir) {
    static std::mutex mu;
    static std::map<std::string, EnvMap> memo;
    static int counter = 0;
    std::lock_guard lock(mu);
    auto it = memo.find(data_dir.string());
    if (it != memo.end()) return it->second;
    EnvMap e;
    std::string tag = std::to_string(::getpid()) + "_" + std::to_string(++counter);
    if (const char* admin = std::getenv("TEST_DATABASE_URL"); admin && *admin) {
        std::string name = "e2e_" + tag;
        PGconn* c = PQconnectdb(admin);
        PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        std::string error = PQerrorMessage(c);
        PQclear(r);
        PQfinish(c);
        if (!ok) throw std::runtime_error("CREATE DATABASE failed: " + error);
        std::string url(admin);
        e["DATABASE_URL"] = url.substr(0, url.rfind('/')) + "/" + name;
    }
    if (const char* redis = std::getenv("TEST_REDIS_URL"); redis && *redis) {
        e["REDIS_URL"] = redis;
        e["RESUMATE_REDIS_PREFIX"] = "e2e_" + tag + ":";
    }
    return memo.emplace(data_dir.string(), std::move(e)).first->second;
}

EnvMap base_env(const fs::path& data_dir) {
    EnvMap env{
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
        {"HOME", data_dir.parent_path().string()},
        {"RESUMATE_DATA_DIR", data_dir.string()},
        {"SECRET_KEY", std::string(kSecretKey)},
        {"HOST", "127.0.0.1"},
        {"PORT", "0"},
        {"RESUMATE_THROTTLE", "off"},
        {"RESUMATE_LOG_LEVEL", "info"},
        // The web app only where a test gives one: its answers must not depend on whether
        // `npm run build` ran in this checkout.
        {"RESUMATE_WEB_DIR", "off"},
    };
    // The sanitizers' settings reach the children of a sanitizer build (make test SANITIZE=1).
    for (const char* name :
         {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "ASAN_SYMBOLIZER_PATH"}) {
        if (const char* v = std::getenv(name); v != nullptr) env[name] = v;
    }
    for (const auto& [k, v] : backend_env(data_dir)) env[k] = v;
    return env;
}

Server::Server(ServerOptions options) : options_(std::move(options)), root_(options_.tag) {}

Server::~Server() {
    if (running()) stop();
}

EnvMap Server::env() const {
    EnvMap env = base_env(data_dir());
    env["RESUMATE_PORT_FILE"] = (root() / "port").string();
    for (const auto& [k, v] : options_.env) {
        if (v == kUnset) {
            env.erase(k);
        } else {
            env[k] = v;
        }
    }
    return env;
}

CliResult Server::cli(const std::vector<std::string>& args, const EnvMap& extra) const {
    EnvMap env = this->env();
    for (const auto& [k, v] : extra) {
        if (v == kUnset) {
            env.erase(k);
        } else {
            env[k] = v;
        }
    }
    return run_resumate(args, env, root());
}

void Server::start() {
    fs::create_directories(data_dir());
    if (options_.with_superuser) {
        CliResult migrate = cli({"migrate"});
        if (migrate.exit_code != 0) {
            throw std::runtime_error("`resumate migrate` failed" + migrate.describe());
        }
        CliResult su = cli({"createsuperuser", "--username", std::string(kAdminUser), "--email",
                            std::string(kAdminEmail), "--password", std::string(kAdminPassword)});
        if (su.exit_code != 0) {
            throw std::runtime_error("`resumate createsuperuser` failed" + su.describe());
        }
    }
    const fs::path port_file = root() / "port";
    std::error_code ec;
    fs::remove(port_file, ec);
    pid_ = spawn_process({"serve"}, env(), root(), log_path(), log_path());

    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (;;) {
        std::string text = read_file(port_file);
        if (!text.empty() && text.back() == '\n') {
            try {
                unsigned long p = std::stoul(text);
                if (p > 0 && p < 65536) {
                    port_ = static_cast<uint16_t>(p);
                    return;
                }
            } catch (const std::exception&) {
            }
            throw std::runtime_error("port file holds no port: '" + text + "'");
        }
        if (auto status = wait_pid(pid_, 0ms)) {
            pid_ = -1;
            throw std::runtime_error("resumate serve exited with status " +
                                     std::to_string(*status) + " before listening; log:\n" +
                                     log_text());
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            stop(2s);
            throw std::runtime_error("resumate serve wrote no port file within 30 s; log:\n" +
                                     log_text());
        }
        std::this_thread::sleep_for(10ms);
    }
}

void Server::send_signal(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);
}

std::optional<int> Server::wait_exit(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return std::nullopt;
    auto status = wait_pid(pid_, timeout);
    if (status) {
        pid_ = -1;
        expect_no_sanitizer_report(log_text(), "resumate serve (" + options_.tag + ")");
    }
    return status;
}

int Server::stop(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return -1;
    send_signal(SIGTERM);
    if (auto status = wait_exit(timeout)) return *status;
    send_signal(SIGKILL);
    wait_exit(5s);
    pid_ = -1;
    return -1;
}

std::string Server::host() const {
    return "127.0.0.1:" + std::to_string(port_);
}

std::string Server::url(std::string_view path) const {
    return "http://" + host() + std::string(path);
}

std::string Server::log_text() const {
    return read_file(log_path());
}

std::optional<std::string> Server::wait_for_log_line(const std::vector<std::string>& needles,
                                                     std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::istringstream in(log_text());
        std::string line;
        while (std::getline(in, line)) {
            bool all = std::all_of(needles.begin(), needles.end(), [&](const std::string& n) {
                return line.find(n) != std::string::npos;
            });
            if (all) return line;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(25ms);
    }
}

std::optional<std::vector<std::string>> query_row(const fs::path& data_dir,
                                                  const std::string& sql) {
    const EnvMap& backend = backend_env(data_dir);
    if (auto url = backend.find("DATABASE_URL"); url != backend.end()) {
        PGconn* c = PQconnectdb(url->second.c_str());
        PGresult* r = PQexec(c, sql.c_str());
        std::optional<std::vector<std::string>> row;
        if (PQresultStatus(r) == PGRES_TUPLES_OK) {
            row.emplace();
            if (PQntuples(r) > 0) {
                for (int i = 0; i < PQnfields(r); ++i) {
                    row->push_back(PQgetisnull(r, 0, i) ? "NULL" : PQgetvalue(r, 0, i));
                }
            }
        }
        PQclear(r);
        PQfinish(c);
        return row;
    }
    std::error_code ec;
    for (fs::recursive_directory_iterator it(data_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        std::ifstream in(it->path(), std::ios::binary);
        char magic[16] = {};
        in.read(magic, sizeof magic);
        if (!in || std::memcmp(magic, "SQLite format 3", 16) != 0) continue;

        sqlite3* db = nullptr;
        if (sqlite3_open_v2(it->path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            sqlite3_close(db);
            continue;
        }
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt* stmt = nullptr;
        std::optional<std::vector<std::string>> row;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
            int rc = sqlite3_step(stmt);
            if (rc == SQLITE_ROW) {
                row.emplace();
                for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
                    const unsigned char* text = sqlite3_column_text(stmt, i);
                    row->push_back(text == nullptr ? "NULL" : reinterpret_cast<const char*>(text));
                }
            } else if (rc == SQLITE_DONE) {
                row.emplace();
            }
        }
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        if (row) return row;
    }
    return std::nullopt;
}

bool execute_sql(const fs::path& data_dir, const std::string& sql) {
    const EnvMap& backend = backend_env(data_dir);
    if (auto url = backend.find("DATABASE_URL"); url != backend.end()) {
        PGconn* c = PQconnectdb(url->second.c_str());
        PGresult* r = PQexec(c, sql.c_str());
        const bool ok =
            PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
        if (!ok) std::fprintf(stderr, "[e2e] execute_sql: %s", PQerrorMessage(c));
        PQclear(r);
        PQfinish(c);
        return ok;
    }
    std::error_code ec;
    for (fs::recursive_directory_iterator it(data_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (!it->is_regular_file() || it->path().extension() != ".sqlite3") continue;
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(it->path().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            sqlite3_close(db);
            continue;
        }
        sqlite3_busy_timeout(db, 5000);
        char* error = nullptr;
        const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK;
        if (!ok) std::fprintf(stderr, "[e2e] execute_sql: %s\n", error ? error : "?");
        sqlite3_free(error);
        sqlite3_close(db);
        return ok;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// The shared server

namespace {

std::unique_ptr<Server> g_shared;
std::string g_shared_error;

class SharedServerEnvironment : public ::testing::Environment {
  public:
    void TearDown() override {
        if (g_shared && g_shared->running()) {
            int code = g_shared->stop(15s);
            EXPECT_EQ(code, 0) << "the shared server did not exit 0 after SIGTERM; log tail:\n"
                               << g_shared->log_text().substr(g_shared->log_text().size() > 4000
                                                                  ? g_shared->log_text().size() -
                                                                        4000
                                                                  : 0);
        }
        g_shared.reset();
    }
};

[[maybe_unused]] const bool g_registered = [] {
    ::signal(SIGPIPE, SIG_IGN);
    ::testing::AddGlobalTestEnvironment(new SharedServerEnvironment);  // gtest takes ownership
    return true;
}();

}  // namespace

Server& shared_server() {
    if (!g_shared_error.empty()) throw std::runtime_error(g_shared_error);
    if (!g_shared) {
        auto server = std::make_unique<Server>(ServerOptions{.env = {}, .tag = "shared"});
        try {
            server->start();
        } catch (const std::exception& e) {
            g_shared_error = std::string("shared server failed to start: ") + e.what();
            throw;
        }
        g_shared = std::move(server);
    }
    return *g_shared;
}

// ---------------------------------------------------------------------------------------------
// One-shot requests

Request make_request(std::string method, std::string target, std::optional<std::string> body,
                     std::string bearer) {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.body = std::move(body);
    req.bearer = std::move(bearer);
    return req;
}

Response request(const Server& server, Request req) {
    Client client(server.port());
    return client.send(req);
}

Response call(const Server& server, std::string method, std::string target,
              std::optional<std::string> body, std::string token, std::string content_type,
              HeaderList headers) {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.body = std::move(body);
    req.bearer = std::move(token);
    req.content_type = std::move(content_type);
    req.headers = std::move(headers);
    return request(server, std::move(req));
}

Response get(const Server& server, std::string target, std::string token, HeaderList headers) {
    return call(server, "GET", std::move(target), std::nullopt, std::move(token),
                "application/json", std::move(headers));
}

Response head(const Server& server, std::string target, std::string token) {
    return call(server, "HEAD", std::move(target), std::nullopt, std::move(token));
}

Response post(const Server& server, std::string target, std::string body, std::string token) {
    return call(server, "POST", std::move(target), std::move(body), std::move(token));
}

Response put(const Server& server, std::string target, std::string body, std::string token) {
    return call(server, "PUT", std::move(target), std::move(body), std::move(token));
}

Response patch(const Server& server, std::string target, std::string body, std::string token) {
    return call(server, "PATCH", std::move(target), std::move(body), std::move(token));
}

Response del(const Server& server, std::string target, std::string token) {
    return call(server, "DELETE", std::move(target), std::nullopt, std::move(token));
}

Response post_form(const Server& server, std::string target, std::string body, std::string token) {
    return call(server, "POST", std::move(target), std::move(body), std::move(token),
                "application/x-www-form-urlencoded");
}

json::value parse_json(std::string_view text) {
    return json::parse(text);
}

std::string to_json(const json::value& value) {
    return json::serialize(value);
}

std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Users and tokens

std::string unique_name(std::string_view tag) {
    return "e2e_" + std::string(tag) + "_" + std::to_string(g_counter++) + "_" +
           std::to_string(getpid());
}

TestUser login(const Server& server, std::string_view username, std::string_view password) {
    json::object body{{"username", username}, {"password", password}};
    Response r = post(server, "/api/auth/token/", to_json(body));
    if (r.status != 200) {
        throw std::runtime_error("login of " + std::string(username) + " failed" + r.describe());
    }
    TestUser user;
    user.username = username;
    user.password = password;
    json::object o = r.obj();
    user.access = str(o["access"]);
    user.refresh = str(o["refresh"]);
    json::object claims = jwt_part(user.access, 1);
    if (auto* id = claims.if_contains("user_id"); id != nullptr && id->is_int64()) {
        user.id = id->as_int64();
    } else {
        throw std::runtime_error("access token carries no integer user_id" + r.describe());
    }
    return user;
}

TestUser create_user(const Server& server, std::string_view tag) {
    const std::string name = unique_name(tag);
    const std::string email = name + "@example.com";
    json::object body{
        {"username", name}, {"email", email}, {"password", kPassword}, {"password2", kPassword}};
    Response r = post(server, "/api/auth/register/", to_json(body));
    if (r.status != 201) {
        throw std::runtime_error("registration of " + name + " failed" + r.describe());
    }
    TestUser user = login(server, name, kPassword);
    user.email = email;
    return user;
}

TestUser admin_user(const Server& server) {
    static std::map<uint16_t, TestUser> cache;
    auto it = cache.find(server.port());
    if (it != cache.end()) return it->second;
    TestUser admin = login(server, kAdminUser, kAdminPassword);
    admin.email = kAdminEmail;
    cache[server.port()] = admin;
    return admin;
}

std::string b64url_encode(std::string_view data) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    while (i + 3 <= data.size()) {
        uint32_t n = (static_cast<unsigned char>(data[i]) << 16) |
                     (static_cast<unsigned char>(data[i + 1]) << 8) |
                     static_cast<unsigned char>(data[i + 2]);
        out.push_back(kAlphabet[(n >> 18) & 63]);
        out.push_back(kAlphabet[(n >> 12) & 63]);
        out.push_back(kAlphabet[(n >> 6) & 63]);
        out.push_back(kAlphabet[n & 63]);
        i += 3;
    }
    std::size_t rest = data.size() - i;
    if (rest == 1) {
        uint32_t n = static_cast<unsigned char>(data[i]) << 16;
        out.push_back(kAlphabet[(n >> 18) & 63]);
        out.push_back(kAlphabet[(n >> 12) & 63]);
    } else if (rest == 2) {
        uint32_t n = (static_cast<unsigned char>(data[i]) << 16) |
                     (static_cast<unsigned char>(data[i + 1]) << 8);
        out.push_back(kAlphabet[(n >> 18) & 63]);
        out.push_back(kAlphabet[(n >> 12) & 63]);
        out.push_back(kAlphabet[(n >> 6) & 63]);
    }
    return out;
}

std::optional<std::string> b64url_decode(std::string_view data) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '-' || c == '+') return 62;
        if (c == '_' || c == '/') return 63;
        return -1;
    };
    while (!data.empty() && data.back() == '=') data.remove_suffix(1);
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : data) {
        int v = value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
    return std::string(reinterpret_cast<const char*>(md), len);
}

std::string make_jwt(const json::object& header, const json::object& payload,
                     std::string_view key) {
    std::string signing_input =
        b64url_encode(json::serialize(header)) + "." + b64url_encode(json::serialize(payload));
    const json::value* alg = header.if_contains("alg");
    if (alg != nullptr && alg->is_string() && alg->as_string() == "none") {
        return signing_input + ".";
    }
    return signing_input + "." + b64url_encode(hmac_sha256(key, signing_input));
}

std::string mint_token(const json::object& payload, std::string_view key) {
    return make_jwt(json::object{{"alg", "HS256"}, {"typ", "JWT"}}, payload, key);
}

int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string random_jti() {
    static std::mt19937_64 rng{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 32; ++i) out.push_back(kHex[rng() & 15]);
    return out;
}

json::object token_claims(int64_t user_id, std::string_view type, int64_t lifetime_seconds) {
    const int64_t now = unix_now();
    return json::object{{"token_type", type},
                        {"exp", now + lifetime_seconds},
                        {"iat", now},
                        {"jti", random_jti()},
                        {"user_id", user_id}};
}

json::object jwt_part(std::string_view token, int index) {
    std::size_t begin = 0;
    for (int i = 0; i < index; ++i) {
        begin = token.find('.', begin);
        if (begin == std::string_view::npos) return {};
        ++begin;
    }
    std::size_t end = token.find('.', begin);
    auto decoded = b64url_decode(
        token.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    if (!decoded) return {};
    boost::system::error_code ec;
    json::value v = json::parse(*decoded, ec);
    if (ec || !v.is_object()) return {};
    return v.as_object();
}

std::string access_token_error(std::string_view message) {
    json::object o{{"detail", "Given token not valid for any token type"},
                   {"code", "token_not_valid"},
                   {"messages", json::array{json::object{{"token_class", "AccessToken"},
                                                         {"token_type", "access"},
                                                         {"message", message}}}}};
    return json::serialize(o);
}

// ---------------------------------------------------------------------------------------------
// Assertions

::testing::AssertionResult json_body_eq(const char* resp_expr, const char* expected_expr,
                                        const Response& resp, std::string_view expected) {
    boost::system::error_code ec;
    json::value want = json::parse(expected, ec);
    if (ec) {
        return ::testing::AssertionFailure()
               << "expected text " << expected_expr << " is not valid JSON: " << expected;
    }
    json::value got = json::parse(resp.body, ec);
    if (ec) {
        return ::testing::AssertionFailure() << resp_expr << " has no JSON body; expected "
                                             << json::serialize(want) << resp.describe();
    }
    if (got != want) {
        return ::testing::AssertionFailure()
               << resp_expr << " body differs\n  expected: " << json::serialize(want)
               << "\n  actual:   " << json::serialize(got) << resp.describe();
    }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult has_security_headers(const Response& resp) {
    static const std::vector<std::pair<std::string, std::string>> kExpected = {
        {"X-Frame-Options", "DENY"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "same-origin"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
    };
    for (const auto& [name, value] : kExpected) {
        if (resp.header(name) != value) {
            return ::testing::AssertionFailure()
                   << "header " << name << " is '" << resp.header(name) << "', expected '" << value
                   << "'" << resp.describe();
        }
    }
    return ::testing::AssertionSuccess();
}

bool is_timestamp(const json::value& v) {
    static const std::regex kRe(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$)");
    return v.is_string() && std::regex_match(std::string(v.as_string()), kRe);
}

std::string str(const json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    return {};
}

std::vector<SseEvent> parse_sse(std::string body) {
    std::string normalized;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\r') {
            if (i + 1 < body.size() && body[i + 1] == '\n') continue;
            normalized.push_back('\n');
        } else {
            normalized.push_back(body[i]);
        }
    }
    std::vector<SseEvent> events;
    std::size_t pos = 0;
    while (pos < normalized.size()) {
        std::size_t end = normalized.find("\n\n", pos);
        std::string block =
            normalized.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? normalized.size() : end + 2;
        SseEvent ev;
        bool any = false;
        std::size_t lp = 0;
        while (lp <= block.size()) {
            std::size_t le = block.find('\n', lp);
            std::string line =
                block.substr(lp, le == std::string::npos ? std::string::npos : le - lp);
            lp = le == std::string::npos ? block.size() + 1 : le + 1;
            if (line.empty() || line[0] == ':') continue;
            std::size_t colon = line.find(':');
            std::string field = line.substr(0, colon);
            std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
            if (!value.empty() && value[0] == ' ') value.erase(0, 1);
            if (field == "event") {
                ev.event = value;
                any = true;
            } else if (field == "data") {
                if (!ev.data.empty()) ev.data += "\n";
                ev.data += value;
                any = true;
            }
        }
        if (any) events.push_back(ev);
    }
    return events;
}

std::string dechunk(std::string_view raw) {
    std::size_t pos = raw.find("\r\n\r\n");
    if (pos == std::string_view::npos) return {};
    pos += 4;
    std::string out;
    while (pos < raw.size()) {
        std::size_t eol = raw.find("\r\n", pos);
        if (eol == std::string_view::npos) break;
        std::size_t size = 0;
        try {
            size = std::stoul(std::string(raw.substr(pos, eol - pos)), nullptr, 16);
        } catch (const std::exception&) {
            break;
        }
        if (size == 0) break;
        pos = eol + 2;
        out.append(raw.substr(pos, std::min(size, raw.size() - pos)));
        pos += size + 2;
    }
    return out;
}

}  // namespace e2e
