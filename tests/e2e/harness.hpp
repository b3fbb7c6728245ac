// End-to-end test harness: starts the real `resumate` binary in a fresh temporary data
// directory on an ephemeral port, and talks HTTP/1.1 to it (Boost.Beast client, raw sockets
// for malformed traffic). Also mints JWTs with the test SECRET_KEY so token edge cases can be
// produced without going through the server.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace e2e {

namespace json = boost::json;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------------
// Constants shared by the test files.

inline constexpr std::string_view kSecretKey = "e2e-secret-key-for-resumate-tests-0123456789abcdef";
inline constexpr std::string_view kPassword = "Str0ng!Passw0rd-42";
inline constexpr std::string_view kAdminUser = "e2e_admin";
inline constexpr std::string_view kAdminPassword = "Adm1n!Secret-Pass-77";
inline constexpr std::string_view kAdminEmail = "e2e_admin@example.com";

inline constexpr std::string_view kMissText = "MISS (Response from database)";
inline constexpr std::string_view kHitText = "HIT (Response from Redis cache)";

inline constexpr std::string_view kNotFound = R"({"detail":"Not found."})";
inline constexpr std::string_view kNotProvided =
    R"({"detail":"Authentication credentials were not provided."})";
inline constexpr std::string_view kForbidden =
    R"({"detail":"You do not have permission to perform this action."})";
inline constexpr std::string_view kBadAuthHeader =
    R"({"detail":"Authorization header must contain two space-delimited values","code":"bad_authorization_header"})";
inline constexpr std::string_view kRefreshInvalid =
    R"({"detail":"Token is invalid or expired","code":"token_not_valid"})";

// The 401 body for a rejected access token, with simplejwt's per-class message.
std::string access_token_error(std::string_view message = "Token is invalid or expired");

// A generic resume-like text of more than 50 characters for /api/ai/generate/.
inline constexpr std::string_view kResumeInput =
    "Software engineer with 5 years of experience in Python, Django, React and PostgreSQL; led "
    "a team of four and shipped a billing platform.";

inline constexpr std::string_view kAllowPostOnly = "POST, OPTIONS";
inline constexpr std::string_view kAllowList = "GET, POST, HEAD, OPTIONS";
inline constexpr std::string_view kAllowDetail = "GET, PUT, PATCH, DELETE, HEAD, OPTIONS";
inline constexpr std::string_view kAllowReadOnly = "GET, HEAD, OPTIONS";

using EnvMap = std::map<std::string, std::string>;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------------------------------------
// HTTP messages.

struct Response {
    int status = 0;  // 0: no response (connection error or timeout, see `error`)
    std::string error;
    HeaderList headers;
    std::string body;
    bool keep_alive = false;

    // First value of a header (case-insensitive name), "" if absent.
    std::string header(std::string_view name) const;
    bool has_header(std::string_view name) const;
    std::size_t header_count(std::string_view name) const;

    // Parsed body; a JSON null when the body is not valid JSON (json_ok() tells).
    json::value json() const;
    bool json_ok() const;
    // The body as an object / array (empty when it is something else).
    json::object obj() const;
    json::array arr() const;

    // A readable dump for assertion messages.
    std::string describe() const;
};

struct Request {
    std::string method = "GET";
    std::string target = "/";
    std::optional<std::string> body;
    std::string content_type = "application/json";
    std::string bearer;  // access token; sent as "Authorization: Bearer <token>" when non-empty
    HeaderList headers;  // extra headers; a "Host" here replaces the default one
    int version = 11;
};

Request make_request(std::string method, std::string target,
                     std::optional<std::string> body = std::nullopt, std::string bearer = {});

// A blocking HTTP/1.1 client over one (reused) connection. Every operation has a timeout, so a
// server that hangs fails the test instead of hanging it.
class Client {
  public:
    explicit Client(uint16_t port, std::chrono::milliseconds timeout = 15s);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Sends a request and reads its response, (re)connecting when needed.
    Response send(const Request& request);
    // Low level: write bytes as they are / read one response from the connection.
    bool connect();
    bool write_raw(std::string_view bytes);
    Response read_response(bool head_request = false);
    void close();
    bool is_open() const;
    int connect_count() const { return connects_; }
    void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
    uint16_t port() const { return port_; }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    uint16_t port_;
    std::chrono::milliseconds timeout_;
    int connects_ = 0;
};

// A plain POSIX socket, for traffic no HTTP library would produce.
class RawConn {
  public:
    // Connects to 127.0.0.1:port, from `source` when given (any 127.x.y.z: all of 127/8 is
    // loopback, so tests can play several client addresses). Throws std::runtime_error when it
    // cannot connect.
    explicit RawConn(uint16_t port, const char* source = nullptr);
    ~RawConn();
    RawConn(const RawConn&) = delete;
    RawConn& operator=(const RawConn&) = delete;

    bool send_all(std::string_view bytes);
    void shutdown_write();

    struct ReadResult {
        std::string data;
        bool closed = false;  // the peer closed (EOF or reset)
        std::chrono::milliseconds elapsed{0};
    };
    // Reads until the peer closes the connection or `timeout` passes.
    ReadResult read_until_closed(std::chrono::milliseconds timeout);
    // Reads until `needle` has been received, the peer closes, or `timeout` passes.
    ReadResult read_until(std::string_view needle, std::chrono::milliseconds timeout);

    int fd() const { return fd_; }
    // Without waiting: false once the peer has closed the connection (EOF or reset) and
    // nothing it sent before is left unread.
    bool peer_open() const;

  private:
    int fd_ = -1;
};

// True when a TCP connection to 127.0.0.1:port is accepted.
bool port_accepts_connections(uint16_t port);
// A loopback port nothing listens on (bound, then released).
uint16_t unused_port();

// A stand-in AI provider on 127.0.0.1: records every request and answers each with `status` and
// a body that both the Gemini (`candidates`) and the OpenAI-compatible (`choices`) clients can
// read, as plain JSON or, when the request asks for a stream, as server-sent events.
class FakeProvider {
  public:
    struct Recorded {
        std::string method;
        std::string target;
        HeaderList headers;
        std::string body;
        std::string header(std::string_view name) const;
    };

    // A scripted answer: after `delay`, the status line and headers, then each body piece with
    // `gap` before it. Without Content-Length when there are several pieces (the body ends
    // when the connection closes), as a streaming provider does.
    struct Reply {
        int status = 200;
        std::string content_type = "application/json";
        HeaderList headers;
        std::vector<std::string> pieces;
        std::chrono::milliseconds delay{0};
        std::chrono::milliseconds gap{0};
    };
    // Decides the answer to each request; nullopt gives the default answer (below).
    using Script = std::function<std::optional<Reply>(const Recorded& request, int index)>;

    // By default every request gets `status` with `text` in each protocol's success shape
    // (whole or streamed), or an error body for a status >= 400.
    explicit FakeProvider(int status = 200, std::string text = "# Fake Resume");
    ~FakeProvider();
    FakeProvider(const FakeProvider&) = delete;
    FakeProvider& operator=(const FakeProvider&) = delete;

    uint16_t port() const { return port_; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::vector<Recorded> requests() const;
    const std::string& text() const { return text_; }
    void script(Script s);
    // Streamed answers whose client closed the connection before the last piece was sent.
    int abandoned() const { return abandoned_.load(); }
    // Requests being answered right now, and the most at once so far.
    int in_flight() const { return in_flight_.load(); }
    int max_in_flight() const { return max_in_flight_.load(); }

    // Wire bodies, for scripts.
    static std::string gemini_answer(std::string_view text);
    static std::string gemini_event(std::string_view text, std::string_view finish_reason = {});
    static std::string openai_event(std::string_view text, bool finished = false);

  private:
    void serve();
    void handle(int fd);
    void send_reply(int fd, const Reply& reply);

    int status_;
    std::string text_;
    int listen_fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<Recorded> requests_;
    Script script_;
    std::atomic<int> abandoned_{0};
    std::atomic<int> in_flight_{0};
    std::atomic<int> max_in_flight_{0};
    std::thread thread_;
    std::vector<std::thread> workers_;
};

// ---------------------------------------------------------------------------------------------
// Processes.

struct CliResult {
    int exit_code = -1;  // 128+signal when killed by a signal
    bool timed_out = false;
    std::string out;
    std::string err;
    std::string describe() const;
};

// Runs the resumate binary with exactly `env` as its environment, in `cwd`.
CliResult run_resumate(const std::vector<std::string>& args, const EnvMap& env,
                       const std::filesystem::path& cwd, std::chrono::seconds timeout = 60s);

// A fresh temporary directory, removed on destruction unless tests failed.
class TempDir {
  public:
    explicit TempDir(std::string_view tag = "e2e");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// The environment every child gets (a clean one: nothing inherited from the test process).
EnvMap base_env(const std::filesystem::path& data_dir);

// As a value in ServerOptions::env / Server::cli's extra env: remove the variable.
inline const std::string kUnset = "\x01unset";

struct ServerOptions {
    EnvMap env;                  // added to / overriding base_env(); kUnset removes
    bool with_superuser = true;  // run `migrate` + `createsuperuser` (kAdminUser) before serve
    std::string tag = "server";
};

// One `resumate serve` child process on its own data directory and ephemeral port.
class Server {
  public:
    explicit Server(ServerOptions options = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Prepares the data dir, spawns the server, waits for the port file. Throws on failure.
    void start();
    void send_signal(int sig) const;
    // Waits for the process to exit; its exit status, or nullopt on timeout.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    // SIGTERM, wait up to `timeout`, SIGKILL after that (then returns -1). Exit status else.
    int stop(std::chrono::milliseconds timeout = 10s);
    bool running() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }

    uint16_t port() const { return port_; }
    std::string host() const;                      // "127.0.0.1:<port>"
    std::string url(std::string_view path) const;  // "http://127.0.0.1:<port><path>"
    const std::filesystem::path& root() const { return root_.path(); }
    std::filesystem::path data_dir() const { return root_.path() / "data"; }
    std::filesystem::path log_path() const { return root_.path() / "server.log"; }
    std::string log_text() const;
    // Polls the log until a line contains every needle, or the timeout passes; returns the line.
    std::optional<std::string> wait_for_log_line(const std::vector<std::string>& needles,
                                                 std::chrono::milliseconds timeout = 3s) const;
    // The environment the server runs with.
    EnvMap env() const;
    // Runs another verb of the binary on this server's data directory.
    CliResult cli(const std::vector<std::string>& args, const EnvMap& extra = {}) const;

  private:
    ServerOptions options_;
    TempDir root_;
    pid_t pid_ = -1;
    uint16_t port_ = 0;
};

// The server shared by most suites: started on first use, stopped (and its exit status checked)
// after the last test. It has the superuser kAdminUser.
Server& shared_server();

// Reads the first row of `sql` from the SQLite database file found in `data_dir` (every column
// as text, "NULL" for NULL; an empty vector when the query returns no row). nullopt when no
// SQLite file there can answer the query. Read-only: used to check what the API cannot show.
std::optional<std::vector<std::string>> query_row(const std::filesystem::path& data_dir,
                                                  const std::string& sql);
// Runs `sql` (one or more statements) on the database of `data_dir`, read-write: for the state
// the API cannot produce (a user deleted by the Django admin, rows past their expiry). False when
// it failed.
bool execute_sql(const std::filesystem::path& data_dir, const std::string& sql);

// ---------------------------------------------------------------------------------------------
// One-shot requests (a new connection each).

Response request(const Server& server, Request req);
Response call(const Server& server, std::string method, std::string target,
              std::optional<std::string> body = std::nullopt, std::string token = {},
              std::string content_type = "application/json", HeaderList headers = {});
Response get(const Server& server, std::string target, std::string token = {},
             HeaderList headers = {});
Response head(const Server& server, std::string target, std::string token = {});
Response post(const Server& server, std::string target, std::string body, std::string token = {});
Response put(const Server& server, std::string target, std::string body, std::string token = {});
Response patch(const Server& server, std::string target, std::string body, std::string token = {});
Response del(const Server& server, std::string target, std::string token = {});
Response post_form(const Server& server, std::string target, std::string body,
                   std::string token = {});

// JSON helpers.
json::value parse_json(std::string_view text);  // throws on invalid JSON
std::string to_json(const json::value& value);
std::string url_encode(std::string_view text);

// ---------------------------------------------------------------------------------------------
// Users and tokens.

struct TestUser {
    std::string username;
    std::string email;
    std::string password;
    int64_t id = 0;
    std::string access;
    std::string refresh;
};

// A username unique within this run: "e2e_<tag>_<n>_<pid>".
std::string unique_name(std::string_view tag);
// Registers (expects 201) and logs in (expects 200). Throws std::runtime_error otherwise.
TestUser create_user(const Server& server, std::string_view tag);
// Logs in (expects 200). Throws std::runtime_error otherwise.
TestUser login(const Server& server, std::string_view username, std::string_view password);
// The superuser created before the server started.
TestUser admin_user(const Server& server);

std::string b64url_encode(std::string_view data);
std::optional<std::string> b64url_decode(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);
// header.payload.signature; HS256 with `key` (alg "none": empty signature).
std::string make_jwt(const json::object& header, const json::object& payload,
                     std::string_view key = kSecretKey);
std::string mint_token(const json::object& payload, std::string_view key = kSecretKey);
// simplejwt's claims: token_type, exp, iat, jti, user_id.
json::object token_claims(int64_t user_id, std::string_view type = "access",
                          int64_t lifetime_seconds = 300);
std::string random_jti();
int64_t unix_now();
// Decoded JSON of a token part (0 header, 1 payload); empty object when undecodable.
json::object jwt_part(std::string_view token, int index);

// ---------------------------------------------------------------------------------------------
// Server-Sent Events (POST /api/ai/generate/stream/).

struct SseEvent {
    std::string event = "message";
    std::string data;
};
// The events of a whole text/event-stream body (comments skipped).
std::vector<SseEvent> parse_sse(std::string body);
// The body of a raw HTTP/1.1 response with chunked transfer encoding (the head dropped); what
// could be decoded when the body was cut short.
std::string dechunk(std::string_view raw_response);

// ---------------------------------------------------------------------------------------------
// Assertions.

::testing::AssertionResult json_body_eq(const char* resp_expr, const char* expected_expr,
                                        const Response& resp, std::string_view expected);
::testing::AssertionResult has_security_headers(const Response& resp);
bool is_timestamp(const json::value& v);  // "YYYY-MM-DDTHH:MM:SS.ffffffZ"
std::string str(const json::value& v);    // string value or "" for non-strings

}  // namespace e2e

#define EXPECT_STATUS(resp, code) EXPECT_EQ((resp).status, (code)) << (resp).describe()
#define ASSERT_STATUS(resp, code) ASSERT_EQ((resp).status, (code)) << (resp).describe()
// Compares the body with the expected JSON text (object key order does not matter).
#define EXPECT_JSON(resp, expected) EXPECT_PRED_FORMAT2(::e2e::json_body_eq, resp, expected)
#define ASSERT_JSON(resp, expected) ASSERT_PRED_FORMAT2(::e2e::json_body_eq, resp, expected)
#define EXPECT_SECURITY_HEADERS(resp) EXPECT_TRUE(::e2e::has_security_headers(resp))
