// http/: requests, responses, routing, the request pipeline (limits, Host, CORS, client address,
// authentication, permission, throttle, errors, headers, logging) and DRF-style error bodies.
// It knows nothing of resumes, jobs or users.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace resumate::http {

// Who made the request, once authenticated.
struct Principal {
    int64_t id = 0;
    std::string username;
    bool is_staff = false;
    bool is_superuser = false;
    // How the caller proved who they are: the account's own token (a JWT from a login), or a
    // personal API key made for an integration (never staff; see Access::Account).
    enum class Credential { Token, ApiKey };
    Credential credential = Credential::Token;
    bool read_only = false;  // an API key without the "write" scope: safe methods only
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
    unsigned version = 11;  // HTTP/1.1; 10 for HTTP/1.0
    std::string method;     // as sent, e.g. "GET"
    std::string path;       // without the query
    std::string query;      // raw, without '?'
    HeaderList headers;
    std::string body;
    std::string client_ip;
    bool secure = false;

    // Set by the pipeline.
    std::vector<std::string> path_params;
    std::optional<Principal> user;

    // Case-insensitive header lookup; the first occurrence.
    std::optional<std::string_view> header(std::string_view name) const;
    // Decoded query parameter (last occurrence, as Django's QueryDict[]).
    std::optional<std::string> query_param(std::string_view name) const;
    // "http://host:port" from the Host header; for absolute URLs like DRF's reverse().
    std::string base_url() const;
    bool is_head() const { return method == "HEAD"; }
};

// Where a streamed response body goes (Server-Sent Events), as it is produced.
class ResponseStream {
  public:
    virtual ~ResponseStream() = default;
    // Sends the bytes to the client now (one HTTP chunk). True when they went out; false when
    // they could not be sent because the client is gone.
    virtual boost::asio::awaitable<bool> write(std::string_view bytes) = 0;
    // Emitted once when the client goes away mid-stream: bind the work that should stop then
    // (e.g. an upstream call) to it.
    virtual boost::asio::cancellation_slot client_gone() = 0;
};

struct Response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    HeaderList headers;
    // When set, the body is produced by this function while it is sent, chunked (HTTP/1.0:
    // ended by the close); `body` is ignored.
    std::function<boost::asio::awaitable<void>(ResponseStream&)> stream;
    // A stream that waits on something else (events) has the client watched, so that its
    // client_gone() fires, and the connection closes after it. A body that only waits on its own
    // writes (a long list) sets this false: nobody reads the socket meanwhile, and an HTTP/1.1
    // connection stays open for the next request.
    bool stream_watches_client = true;

    static Response json(unsigned status, const boost::json::value& v);
    static Response raw_json(unsigned status, std::string body);
    // DRF's {"detail": "..."} body.
    static Response detail(unsigned status, std::string_view text);
    static Response empty(unsigned status);
    Response& with_header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    std::optional<std::string_view> header(std::string_view name) const;
};

// The original's cached-list answer: {"cache_status": "HIT (…)"|"MISS (…)", "data": <data_json>}
// with X-Cache-Status.
Response cache_status_response(bool hit, std::string_view data_json);

// A positive integer path parameter, or a 404 as Django's get_object_or_404 gives for anything
// else.
int64_t id_path_param(const Request& req, size_t index = 0);

}  // namespace resumate::http
