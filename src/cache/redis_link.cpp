#include "cache/redis_link.hpp"

#include <poll.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace asio = boost::asio;

namespace resumate::cache {
namespace {

using Clock = std::chrono::steady_clock;

RedisValue convert(const redisReply* r) {
    RedisValue v;
    switch (r->type) {
        case REDIS_REPLY_STRING:
            v.type = RedisValue::Type::string;
            v.str.assign(r->str, r->len);
            break;
        case REDIS_REPLY_STATUS:
            v.type = RedisValue::Type::status;
            v.str.assign(r->str, r->len);
            break;
        case REDIS_REPLY_ERROR:
            v.type = RedisValue::Type::error;
            v.str.assign(r->str, r->len);
            break;
        case REDIS_REPLY_INTEGER:
            v.type = RedisValue::Type::integer;
            v.integer = r->integer;
            break;
        case REDIS_REPLY_ARRAY:
            v.type = RedisValue::Type::array;
            v.elements.reserve(r->elements);
            for (size_t i = 0; i < r->elements; ++i) v.elements.push_back(convert(r->element[i]));
            break;
        default:
            break;
    }
    return v;
}

}  // namespace

std::optional<RedisEndpoint> parse_endpoint(std::string_view text) {
    text = util::trim(text);
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::string_view host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    auto port = util::parse_int64(text.substr(colon + 1));
    if (!port || *port < 1 || *port > 65535) return std::nullopt;
    return RedisEndpoint{std::string(host), static_cast<uint16_t>(*port)};
}

bool ReadProbe::pending() const {
    if (reading.load() != 0) return true;
    const int f = fd.load();
    if (f < 0) return true;
    pollfd p{f, POLLIN, 0};
    if (::poll(&p, 1, 0) != 0) return true;  // readable, closed, or an error
    return reading.load() != 0;              // a read that began after the first look
}

struct RedisLink::Op {
    Op() = default;
    // (Boost 1.81's move assignment of any_completion_handler recurses without end: the handler
    // is only ever move-constructed.)
    Op(asio::any_completion_handler<void(RedisReplies)> h, asio::any_io_executor ex)
        : handler(std::move(h)), executor(std::move(ex)) {}
    size_t remaining = 0;
    bool failed = false;
    bool internal = false;  // the connection's own AUTH/SELECT: an error drops the connection
    std::vector<RedisValue> replies;
    Clock::time_point deadline;
    asio::any_completion_handler<void(RedisReplies)> handler;
    asio::any_io_executor executor;  // the handler's: where the waiting coroutine resumes
};

namespace {

// Resumes the waiting coroutine on its own executor (never inline on the link's strand).
void complete(asio::any_completion_handler<void(RedisReplies)>& handler,
              const asio::any_io_executor& ex, RedisReplies result) {
    if (!handler) return;
    asio::post(ex, [h = std::move(handler), r = std::move(result)]() mutable {
        std::move(h)(std::move(r));
    });
}

}  // namespace

std::shared_ptr<RedisLink> RedisLink::make(asio::any_io_executor ex, RedisEndpoint endpoint,
                                           RedisLinkOptions options) {
    return std::shared_ptr<RedisLink>(
        new RedisLink(std::move(ex), std::move(endpoint), std::move(options)));
}

RedisLink::RedisLink(asio::any_io_executor ex, RedisEndpoint endpoint, RedisLinkOptions options)
    : strand_(asio::make_strand(std::move(ex))),
      endpoint_(std::move(endpoint)),
      options_(std::move(options)),
      timer_(strand_) {}

RedisLink::~RedisLink() {
    closing_ = true;
    on_state_ = nullptr;
    if (ctx_) redisAsyncFree(ctx_);
}

// Not a coroutine itself: async_initiate makes the awaitable. (Written as a coroutine around
// co_await async_initiate(lambda…), GCC 12 destroyed the parameter twice on resumption.)
Task<RedisReplies> RedisLink::run(std::vector<RedisCommand> commands) {
    auto initiation = [self = shared_from_this(),
                       commands = std::move(commands)](auto handler) mutable {
        auto ex = asio::get_associated_executor(handler, self->strand_.get_inner_executor());
        auto op = std::make_unique<Op>(std::move(handler), std::move(ex));
        auto& strand = self->strand_;
        asio::post(strand, [self = std::move(self), commands = std::move(commands),
                            op = std::move(op)]() mutable {
            self->start(std::move(commands), std::move(op));
        });
    };
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(RedisReplies)>(
        std::move(initiation), asio::use_awaitable);
}

void RedisLink::start(std::vector<RedisCommand> commands, std::unique_ptr<Op> op) {
    if (commands.empty()) {
        complete(op->handler, op->executor, std::vector<RedisValue>{});
        return;
    }
    if (closing_ || !ensure_connected()) {
        complete(op->handler, op->executor, std::nullopt);
        return;
    }
    op->remaining = commands.size();
    op->deadline = Clock::now() + options_.timeout;
    Op* raw = op.get();
    inflight_.push_back(std::move(op));
    bool all_sent = true;
    for (const auto& c : commands) {
        if (!send(c, raw)) {
            raw->failed = true;
            --raw->remaining;
            all_sent = false;
        }
    }
    if (!all_sent) {
        drop(std::chrono::milliseconds(0));
        return;
    }
    arm_timer();
}

bool RedisLink::send(const RedisCommand& command, Op* op) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    argv.reserve(command.size());
    lens.reserve(command.size());
    for (const auto& a : command) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    return redisAsyncCommandArgv(ctx_, &RedisLink::on_reply, op, static_cast<int>(argv.size()),
                                 argv.data(), lens.data()) == REDIS_OK;
}

bool RedisLink::ensure_connected() {
    if (ctx_) return true;
    const auto now = Clock::now();
    if (now < retry_at_) return false;
    redisAsyncContext* ac = redisAsyncConnect(endpoint_.host.c_str(), endpoint_.port);
    if (!ac || ac->err) {
        const std::string why = ac ? ac->errstr : "out of memory";
        if (ac) redisAsyncFree(ac);
        backoff_ = std::clamp(backoff_ * 2, std::chrono::milliseconds(100),
                              std::chrono::milliseconds(2000));
        retry_at_ = now + backoff_;
        note_down(why);
        return false;
    }
    ac->data = this;
    ac->ev.data = this;
    ac->ev.addRead = &RedisLink::add_read;
    ac->ev.delRead = &RedisLink::del_read;
    ac->ev.addWrite = &RedisLink::add_write;
    ac->ev.delWrite = &RedisLink::del_write;
    ac->ev.cleanup = &RedisLink::cleanup;
    redisAsyncSetConnectCallback(ac, &RedisLink::on_connect);
    ctx_ = ac;
    ++generation_;
    connected_ = false;
    want_read_ = read_armed_ = want_write_ = write_armed_ = flush_posted_ = false;
    socket_ = std::make_unique<Descriptor>(strand_, ac->c.fd);
    if (!options_.password.empty() || options_.database >= 0) {
        auto op = std::make_unique<Op>();
        op->internal = true;
        op->deadline = now + options_.timeout;
        Op* raw = op.get();
        inflight_.push_back(std::move(op));
        std::vector<RedisCommand> handshake;
        if (!options_.password.empty()) handshake.push_back({"AUTH", options_.password});
        if (options_.database >= 0)
            handshake.push_back({"SELECT", std::to_string(options_.database)});
        raw->remaining = handshake.size();
        for (const auto& c : handshake) {
            if (!send(c, raw)) {
                --raw->remaining;
                raw->failed = true;
            }
        }
        if (raw->failed) {
            drop(std::chrono::milliseconds(1000));
            return false;
        }
    }
    return true;
}

void RedisLink::on_connect(const redisAsyncContext* ac, int status) {
    auto* self = static_cast<RedisLink*>(ac->data);
    if (status != REDIS_OK) return;  // hiredis frees the context: cleanup() follows
    self->connected_ = true;
    self->backoff_ = std::chrono::milliseconds(0);
    if (self->down_logged_) {
        if (!self->options_.quiet) util::log::info("Redis at {} is back", self->endpoint_.name());
        self->down_logged_ = false;
    }
}

void RedisLink::on_reply(redisAsyncContext* ac, void* reply, void* privdata) {
    auto* self = static_cast<RedisLink*>(ac->data);
    auto* op = static_cast<Op*>(privdata);
    if (!reply) {
        op->failed = true;
    } else {
        op->replies.push_back(convert(static_cast<redisReply*>(reply)));
    }
    if (--op->remaining > 0) return;
    if (op->internal && !self->closing_) {
        for (const auto& r : op->replies) {
            if (r.is_error()) {
                util::log::error("Redis at {} refused the connection's set-up: {}",
                                 self->endpoint_.name(), r.str);
                op->failed = true;
            }
        }
        if (op->failed && !(ac->c.flags & REDIS_FREEING)) {
            self->retry_at_ = Clock::now() + std::chrono::seconds(1);
            redisAsyncFree(ac);  // deferred by hiredis until this callback returns
        }
    }
    self->finish_front(op);
}

void RedisLink::finish_front(Op* op) {
    // Replies come in the order the commands were sent; an op is complete with its last one.
    if (inflight_.empty() || inflight_.front().get() != op) {
        util::log::error("Redis at {}: a reply out of order; dropping the connection",
                         endpoint_.name());
        return;
    }
    auto done = std::move(inflight_.front());
    inflight_.pop_front();
    ++completed_;
    RedisReplies result;
    if (!done->failed) result = std::move(done->replies);
    complete(done->handler, done->executor, std::move(result));
}

void RedisLink::drop(std::chrono::milliseconds retry_after) {
    if (ctx_) redisAsyncFree(ctx_);  // every pending command's callback runs (with no reply)
    if (!ctx_) {
        // Ops with commands that could not be queued (so no callback will come for them).
        while (!inflight_.empty()) {
            auto op = std::move(inflight_.front());
            inflight_.pop_front();
            complete(op->handler, op->executor, std::nullopt);
        }
    }
    retry_at_ = std::max(retry_at_, Clock::now() + retry_after);
}

void RedisLink::note_down(const std::string& why) {
    if (down_logged_) return;
    down_logged_ = true;
    if (!options_.quiet) {
        util::log::error("Redis unavailable at {} ({}); going on without it until it is back",
                         endpoint_.name(), why);
    }
}

void RedisLink::arm_timer() {
    if (timer_armed_ || inflight_.empty()) return;
    timer_armed_ = true;
    timer_.expires_at(inflight_.front()->deadline);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        self->timer_armed_ = false;
        if (ec == asio::error::operation_aborted && self->closing_) return;
        self->on_timer();
    });
}

void RedisLink::on_timer() {
    if (inflight_.empty() || closing_) return;
    const auto now = Clock::now();
    if (inflight_.front()->deadline > now) {
        arm_timer();  // the op it was set for has completed: wait for the oldest one left
        return;
    }
    // Replies may be waiting unread: on a busy machine the loop, not Redis, can be late. When
    // reading them completes anything, Redis is answering: the rest get a new timeout.
    if (ctx_) {
        pollfd p{ctx_->c.fd, POLLIN, 0};
        if (::poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
            const uint64_t before = completed_;
            redisAsyncHandleRead(ctx_);
            if (completed_ != before) {
                for (auto& op : inflight_)
                    op->deadline = std::max(op->deadline, now + options_.timeout);
                arm_timer();
                return;
            }
        }
    }
    note_down("no answer within " + std::to_string(options_.timeout.count()) + " ms");
    drop(std::chrono::milliseconds(1000));
}

void RedisLink::add_read(void* p) {
    auto* self = static_cast<RedisLink*>(p);
    self->want_read_ = true;
    if (!self->read_armed_) self->arm_read();
}

void RedisLink::del_read(void* p) {
    static_cast<RedisLink*>(p)->want_read_ = false;
}

void RedisLink::arm_read() {
    if (!socket_) return;
    read_armed_ = true;
    socket_->async_wait(Descriptor::wait_read, [self = shared_from_this(),
                                                gen = generation_](boost::system::error_code ec) {
        if (gen != self->generation_) return;
        self->read_armed_ = false;
        if (ec || !self->ctx_ || !self->want_read_) return;
        ReadProbe* probe = self->options_.probe.get();
        if (probe) probe->reading.fetch_add(1);
        redisAsyncHandleRead(self->ctx_);
        if (probe) probe->reading.fetch_sub(1);
        if (self->ctx_ && gen == self->generation_ && self->want_read_ && !self->read_armed_)
            self->arm_read();
    });
}

void RedisLink::add_write(void* p) {
    auto* self = static_cast<RedisLink*>(p);
    self->want_write_ = true;
    if (!self->connected_ || self->in_flush_) {
        // Connecting, or the socket's buffer is full: wait until it is writable.
        self->arm_write();
    } else if (!self->flush_posted_) {
        // Connected: write once this turn's commands are all queued (one write for all).
        self->flush_posted_ = true;
        asio::post(self->strand_, [self = self->shared_from_this(), gen = self->generation_] {
            if (gen != self->generation_) return;
            self->flush_posted_ = false;
            self->flush();
        });
    }
}

void RedisLink::del_write(void* p) {
    static_cast<RedisLink*>(p)->want_write_ = false;
}

void RedisLink::flush() {
    if (!ctx_ || !want_write_) return;
    in_flush_ = true;
    redisAsyncHandleWrite(ctx_);
    in_flush_ = false;
}

void RedisLink::arm_write() {
    if (write_armed_ || !socket_) return;
    write_armed_ = true;
    socket_->async_wait(Descriptor::wait_write, [self = shared_from_this(),
                                                 gen = generation_](boost::system::error_code ec) {
        if (gen != self->generation_) return;
        self->write_armed_ = false;
        if (ec) return;
        self->flush();
    });
}

void RedisLink::cleanup(void* p) {
    auto* self = static_cast<RedisLink*>(p);
    if (self->socket_) {
        self->socket_->release();  // hiredis closes the descriptor itself
        self->socket_.reset();
    }
    if (self->options_.probe) self->options_.probe->fd = -1;
    const bool was_connected = self->connected_;
    self->ctx_ = nullptr;
    self->connected_ = false;
    ++self->generation_;
    self->subscribed_ = false;
    if (!self->closing_) {
        if (!was_connected) {
            self->backoff_ = std::clamp(self->backoff_ * 2, std::chrono::milliseconds(100),
                                        std::chrono::milliseconds(2000));
            self->retry_at_ = std::max(self->retry_at_, Clock::now() + self->backoff_);
        }
        self->note_down(was_connected ? "connection lost" : "cannot connect");
    }
    if (self->on_state_) {
        auto cb = std::move(self->on_state_);
        self->on_state_ = nullptr;
        cb(false);
    }
}

void RedisLink::listen(std::string channel, std::function<void(std::string_view)> on_message,
                       std::function<void(bool)> on_state) {
    asio::post(strand_,
               [self = shared_from_this(), channel = std::move(channel),
                on_message = std::move(on_message), on_state = std::move(on_state)]() mutable {
                   self->channel_ = std::move(channel);
                   self->on_message_ = std::move(on_message);
                   self->on_state_ = std::move(on_state);
                   if (self->closing_ || !self->ensure_connected()) {
                       auto cb = std::move(self->on_state_);
                       self->on_state_ = nullptr;
                       if (cb) cb(false);
                       return;
                   }
                   const char* argv[] = {"SUBSCRIBE", self->channel_.data()};
                   const size_t lens[] = {9, self->channel_.size()};
                   if (redisAsyncCommandArgv(self->ctx_, &RedisLink::on_subscription, nullptr, 2,
                                             argv, lens) != REDIS_OK) {
                       self->drop(std::chrono::milliseconds(0));
                   }
               });
}

void RedisLink::on_subscription(redisAsyncContext* ac, void* reply, void*) {
    auto* self = static_cast<RedisLink*>(ac->data);
    const auto* r = static_cast<const redisReply*>(reply);
    if (!r) return;  // lost: cleanup() tells the owner
    if (r->type != REDIS_REPLY_ARRAY || r->elements < 3 ||
        r->element[0]->type != REDIS_REPLY_STRING) {
        return;
    }
    const std::string_view kind(r->element[0]->str, r->element[0]->len);
    if (kind == "subscribe") {
        self->subscribed_ = true;
        if (self->options_.probe) self->options_.probe->fd = ac->c.fd;
        if (self->on_state_) self->on_state_(true);
    } else if (kind == "message" && r->element[2]->type == REDIS_REPLY_STRING) {
        if (self->on_message_)
            self->on_message_(std::string_view(r->element[2]->str, r->element[2]->len));
    }
}

void RedisLink::close() {
    closing_ = true;
    on_state_ = nullptr;
    timer_.cancel();
    if (ctx_) drop(std::chrono::milliseconds(0));
}

void RedisLink::close_async() {
    asio::post(strand_, [self = shared_from_this()] { self->close(); });
}

}  // namespace resumate::cache
