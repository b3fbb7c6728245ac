// One Redis connection driven by hiredis's asynchronous API on the server's event loop: commands
// are pipelined (many requests share one connection and one write), no thread ever blocks on a
// round trip, and a command not answered within the timeout is given up.
#pragma once
#include <algorithm>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/cache.hpp"

struct redisAsyncContext;

namespace resumate::cache {

// A reply, copied out of hiredis's (which it frees once the callback returns).
struct RedisValue {
    enum class Type { nil, string, integer, array, status, error };
    Type type = Type::nil;
    std::string str;  // string, status and error replies
    int64_t integer = 0;
    std::vector<RedisValue> elements;

    bool is_error() const { return type == Type::error; }
    bool is_error_kind(std::string_view kind) const {  // "MOVED", "ASK", "NOSCRIPT"…
        return is_error() && str.starts_with(kind) &&
               (str.size() == kind.size() || str[kind.size()] == ' ');
    }
};

using RedisCommand = std::vector<std::string>;
// The replies of a pipelined batch, in order; nullopt when the connection failed or timed out.
using RedisReplies = std::optional<std::vector<RedisValue>>;

struct RedisEndpoint {
    std::string host = "127.0.0.1";
    uint16_t port = 6379;
    std::string name() const { return host + ":" + std::to_string(port); }
    bool operator==(const RedisEndpoint&) const = default;
};

// Parses "host:port" (the last colon separates the port, so "::1:6379" is IPv6 loopback).
std::optional<RedisEndpoint> parse_endpoint(std::string_view text);

// What another thread may ask of a subscriber connection without touching it: could a message
// be waiting (unread on the socket, or being read right now)? Also true without a connection.
struct ReadProbe {
    std::atomic<int> fd{-1};      // the subscribed socket, -1 when there is none
    std::atomic<int> reading{0};  // a read handler is running
    bool pending() const;
};

struct RedisLinkOptions {
    std::string password;
    int database = -1;  // SELECTed on connect when >= 0 (not in a cluster: it has only 0)
    std::chrono::milliseconds timeout{250};
    bool quiet = false;  // no log lines (a second connection to a node that has its own)
    std::shared_ptr<ReadProbe> probe;  // subscribe mode: kept up to date for other threads
};

class RedisLink : public std::enable_shared_from_this<RedisLink> {
  public:
    // The connection's handlers run on a strand of `ex` (the server's io_context).
    static std::shared_ptr<RedisLink> make(boost::asio::any_io_executor ex, RedisEndpoint endpoint,
                                           RedisLinkOptions options);
    ~RedisLink();
    RedisLink(const RedisLink&) = delete;
    RedisLink& operator=(const RedisLink&) = delete;

    // Sends the commands back to back on this connection (connecting first when needed) and
    // returns their replies in order. nullopt, without waiting, while the node is known to be
    // down (a failed connect or a timeout less than a moment ago); nullopt when the connection
    // fails or the replies take longer than the timeout (the connection is then dropped: a
    // stalled Redis must not hold a growing queue). Error replies are returned as such.
    Task<RedisReplies> run(std::vector<RedisCommand> commands);

    // Subscribe mode (instead of run()): subscribes to `channel`; on_state(true) once subscribed,
    // on_message for each message, and on_state(false) once when the subscription is lost (or
    // could not be made). It does not reconnect by itself: the owner makes a new link.
    void listen(std::string channel, std::function<void(std::string_view)> on_message,
                std::function<void(bool)> on_state);

    // Drops the connection; pending commands complete with nullopt. Call it on the strand, or
    // when the event loop no longer runs (at shutdown, before the io_context goes away).
    void close();
    // close() from any thread while the loop runs.
    void close_async();

    const RedisEndpoint& endpoint() const { return endpoint_; }

  private:
    struct Op;
    using Descriptor = boost::asio::posix::stream_descriptor;
    RedisLink(boost::asio::any_io_executor ex, RedisEndpoint endpoint, RedisLinkOptions options);

    void start(std::vector<RedisCommand> commands, std::unique_ptr<Op> op);
    bool ensure_connected();
    bool send(const RedisCommand& command, Op* op);
    void finish_front(Op* op);
    void arm_read();
    void arm_write();
    void flush();
    void arm_timer();
    void on_timer();
    void drop(std::chrono::milliseconds retry_after);
    void note_down(const std::string& why);  // one log line per outage

    static void on_reply(redisAsyncContext* ac, void* reply, void* privdata);
    static void on_subscription(redisAsyncContext* ac, void* reply, void* privdata);
    static void on_connect(const redisAsyncContext* ac, int status);
    static void add_read(void* self);
    static void del_read(void* self);
    static void add_write(void* self);
    static void del_write(void* self);
    static void cleanup(void* self);

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    RedisEndpoint endpoint_;
    RedisLinkOptions options_;
    redisAsyncContext* ctx_ = nullptr;
    std::unique_ptr<Descriptor> socket_;
    uint64_t generation_ = 0;  // of ctx_: handlers of an older connection do nothing
    bool connected_ = false;
    bool want_read_ = false, read_armed_ = false;
    bool want_write_ = false, write_armed_ = false, flush_posted_ = false, in_flush_ = false;
    bool closing_ = false;
    bool down_logged_ = false;  // one log line per outage
    std::chrono::steady_clock::time_point retry_at_{};
    std::chrono::milliseconds backoff_{0};
    std::deque<std::unique_ptr<Op>> inflight_;  // replies come back in this order
    uint64_t completed_ = 0;                    // ops finished, ever
    boost::asio::steady_timer timer_;
    bool timer_armed_ = false;
    // Subscribe mode.
    std::string channel_;
    std::function<void(std::string_view)> on_message_;
    std::function<void(bool)> on_state_;
    bool subscribed_ = false;
};

}  // namespace resumate::cache
