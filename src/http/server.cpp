#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <list>
#include <mutex>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "http/beast_request.hpp"
#include "http/errors.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace resumate::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// What a connection's executors share: the connection's strand and its log tag. Counted by
// hand (TaggedExecutor is the only owner) so that the executor is one pointer and two flags and
// fits in any_io_executor's inline buffer: a wrapper holding a strand and a shared_ptr did not,
// and was copied to the heap each time Asio re-wrapped it (every async operation, twice).
struct ConnectionLoop {
    explicit ConnectionLoop(asio::strand<asio::io_context::executor_type> s)
        : strand(std::move(s)) {}
    std::atomic<long> refs{0};
    asio::strand<asio::io_context::executor_type> strand;
    util::log::Tag tag;
};

// The executor a connection's session runs on: the connection's strand, with the thread marked
// with the connection's log tag (util::log::RequestScope) while any of the session's code runs,
// including after each co_await, so that a line logged anywhere below names the request. The
// tag outlives every handler queued on it (each queued handler holds a reference).
class TaggedExecutor {
  public:
    explicit TaggedExecutor(ConnectionLoop* loop) noexcept : TaggedExecutor(loop, false, false) {}
    TaggedExecutor(const TaggedExecutor& o) noexcept
        : TaggedExecutor(o.loop_, o.never_, o.tracked_) {}
    TaggedExecutor(TaggedExecutor&& o) noexcept
        : loop_(std::exchange(o.loop_, nullptr)), never_(o.never_), tracked_(o.tracked_) {}
    TaggedExecutor& operator=(TaggedExecutor o) noexcept {
        std::swap(loop_, o.loop_);
        std::swap(never_, o.never_);
        std::swap(tracked_, o.tracked_);
        return *this;
    }
    ~TaggedExecutor() {
        if (!loop_) return;
        if (tracked_) loop_->strand.get_inner_executor().on_work_finished();
        if (loop_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete loop_;
    }

    util::log::Tag& tag() const noexcept { return loop_->tag; }

    template <class F>
    void execute(F&& f) const {
        auto run = [self = TaggedExecutor(loop_, false, false), f = std::forward<F>(f)]() mutable {
            util::log::RequestScope scope(&self.loop_->tag);
            std::move(f)();
        };
        if (never_) {
            asio::require(loop_->strand, asio::execution::blocking.never).execute(std::move(run));
        } else {
            loop_->strand.execute(std::move(run));
        }
    }

    asio::execution_context& query(
        asio::execution::context_as_t<asio::execution_context&>) const noexcept {
        return loop_->strand.context();
    }
    asio::execution::blocking_t query(asio::execution::blocking_t) const noexcept {
        return never_ ? asio::execution::blocking_t(asio::execution::blocking.never)
                      : asio::execution::blocking_t(asio::execution::blocking.possibly);
    }
    asio::execution::outstanding_work_t query(asio::execution::outstanding_work_t) const noexcept {
        return tracked_
                   ? asio::execution::outstanding_work_t(asio::execution::outstanding_work.tracked)
                   : asio::execution::outstanding_work_t(
                         asio::execution::outstanding_work.untracked);
    }
    TaggedExecutor require(asio::execution::blocking_t::never_t) const noexcept {
        return {loop_, true, tracked_};
    }
    TaggedExecutor require(asio::execution::blocking_t::possibly_t) const noexcept {
        return {loop_, false, tracked_};
    }
    TaggedExecutor require(asio::execution::outstanding_work_t::tracked_t) const noexcept {
        return {loop_, never_, true};
    }
    TaggedExecutor require(asio::execution::outstanding_work_t::untracked_t) const noexcept {
        return {loop_, never_, false};
    }

    friend bool operator==(const TaggedExecutor& a, const TaggedExecutor& b) noexcept {
        return a.loop_ == b.loop_ && a.never_ == b.never_ && a.tracked_ == b.tracked_;
    }
    friend bool operator!=(const TaggedExecutor& a, const TaggedExecutor& b) noexcept {
        return !(a == b);
    }

  private:
    TaggedExecutor(ConnectionLoop* loop, bool never, bool tracked) noexcept
        : loop_(loop), never_(never), tracked_(tracked) {
        loop_->refs.fetch_add(1, std::memory_order_relaxed);
        if (tracked_) loop_->strand.get_inner_executor().on_work_started();
    }

    ConnectionLoop* loop_;
    bool never_;
    bool tracked_;
};
static_assert(sizeof(TaggedExecutor) <= 2 * sizeof(void*));

struct Connection : std::enable_shared_from_this<Connection> {
    explicit Connection(tcp::socket s)
        : stream(std::move(s)),
          executor(new ConnectionLoop(
              *stream.get_executor().target<asio::strand<asio::io_context::executor_type>>())) {}
    beast::tcp_stream stream;
    // The session's executor: the socket's strand, marking the thread with the connection's log
    // tag (which request the connection serves) while the session's code runs.
    TaggedExecutor executor;
    std::atomic<bool> idle{true};
    // Guarded by the server's mutex.
    std::string peer;           // the socket's remote address
    bool counted = false;       // counts against its address's share
    bool evicted = false;       // closed to make room for a new connection
    bool in_idle_list = false;  // waiting for a request's first byte
    std::list<Connection*>::iterator idle_pos;
};

// A streamed response body: each write is one HTTP chunk, or, for an HTTP/1.0 client (which
// knows no chunks), the bytes as they are, the close ending the body. Everything runs on the
// connection's strand.
class ChunkSink final : public ResponseStream {
  public:
    ChunkSink(std::shared_ptr<Connection> conn, std::chrono::seconds write_timeout, bool chunked)
        : conn_(std::move(conn)), write_timeout_(write_timeout), chunked_(chunked) {}

    asio::awaitable<bool> write(std::string_view bytes) override {
        if (gone_) co_return false;
        if (bytes.empty()) co_return true;  // an empty chunk would end the body
        conn_->stream.expires_after(write_timeout_);
        boost::system::error_code ec;
        if (chunked_) {
            std::tie(ec, std::ignore) =
                co_await asio::async_write(conn_->stream, bhttp::make_chunk(asio::buffer(bytes)),
                                           asio::as_tuple(asio::use_awaitable));
        } else {
            std::tie(ec, std::ignore) = co_await asio::async_write(
                conn_->stream, asio::buffer(bytes), asio::as_tuple(asio::use_awaitable));
        }
        // True when these bytes went out, even if the client has hung up since: the caller
        // counts what was delivered (a generation whose text was sent is spent).
        if (ec) gone_ = true;
        co_return !ec;
    }
    asio::cancellation_slot client_gone() override { return gone_signal_.slot(); }

    // The client closed its side (or the connection broke) while the body was being produced.
    void lost_client() {
        if (finished_ || gone_) return;
        gone_ = true;
        gone_signal_.emit(asio::cancellation_type::terminal);
    }
    // Reads (and drops) whatever the client sends until its side closes: how we learn that it
    // has gone while the body is waiting for something to send.
    static asio::awaitable<void> watch(std::shared_ptr<ChunkSink> sink) {
        std::array<char, 1024> scratch;
        while (true) {
            auto [ec, n] = co_await sink->conn_->stream.socket().async_read_some(
                asio::buffer(scratch), asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (ec) break;
        }
        sink->lost_client();
    }
    // Ends the body; true when all of it reached the socket.
    asio::awaitable<bool> finish() {
        finished_ = true;
        if (gone_) co_return false;
        if (!chunked_) co_return true;
        conn_->stream.expires_after(write_timeout_);
        auto [ec, n] = co_await asio::async_write(conn_->stream, bhttp::make_chunk_last(),
                                                  asio::as_tuple(asio::use_awaitable));
        (void)n;
        co_return !ec;
    }
    void mark_gone() { gone_ = true; }

  private:
    std::shared_ptr<Connection> conn_;
    std::chrono::seconds write_timeout_;
    bool chunked_;
    bool gone_ = false;
    bool finished_ = false;
    asio::cancellation_signal gone_signal_;
};

}  // namespace

bool has_obs_fold(std::string_view head) {
    for (size_t i = head.find("\r\n"); i != std::string_view::npos; i = head.find("\r\n", i + 2)) {
        if (i + 2 < head.size() && (head[i + 2] == ' ' || head[i + 2] == '\t')) return true;
    }
    return false;
}

struct Server::Impl {
    ServerOptions opt;
    Pipeline& pipeline;
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    asio::signal_set reload_signal{ioc, SIGHUP};

    void wait_for_reload() {
        reload_signal.async_wait([this](boost::system::error_code ec, int) {
            if (ec) return;
            util::log::info("received SIGHUP: reloading");
            if (opt.on_reload) {
                asio::co_spawn(ioc, opt.on_reload(), [](std::exception_ptr e) {
                    if (!e) return;
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                        util::log::error("reload failed: {}", ex.what());
                    }
                });
            }
            wait_for_reload();
        });
    }
    std::atomic<bool> stopping{false};
    std::atomic<bool> warned_full{false};
    std::atomic<bool> warned_evicting{false};
    std::mutex mu;
    std::unordered_set<std::shared_ptr<Connection>> connections;
    // Guarded by mu: connections waiting for a request's first byte, longest idle first, and
    // how many connections each counted address has open (and whether that was logged).
    std::list<Connection*> idle_list;
    struct AddressShare {
        size_t open = 0;
        bool warned = false;
    };
    std::unordered_map<std::string, AddressShare> per_address;

    Impl(ServerOptions o, Pipeline& p)
        : opt(std::move(o)), pipeline(p), ioc(static_cast<int>(opt.threads)) {}

    void bind() {
        boost::system::error_code ec;
        auto address = asio::ip::make_address(opt.host, ec);
        if (ec) {
            // A name such as "localhost": resolve it.
            tcp::resolver resolver(ioc);
            auto results = resolver.resolve(opt.host, std::to_string(opt.port));
            address = results.begin()->endpoint().address();
        }
        tcp::endpoint ep(address, opt.port);
        acceptor.open(ep.protocol());
        acceptor.set_option(asio::socket_base::reuse_address(true));
        acceptor.bind(ep);
        acceptor.listen(asio::socket_base::max_listen_connections);
        uint16_t bound = acceptor.local_endpoint().port();
        util::log::info("listening on http://{}:{} with {} IO threads",
                        opt.host.find(':') != std::string::npos ? "[" + opt.host + "]" : opt.host,
                        bound, opt.threads);
        if (!opt.port_file.empty()) {
            std::string tmp = opt.port_file + ".tmp";
            {
                std::ofstream out(tmp);
                out << bound << "\n";
            }
            std::rename(tmp.c_str(), opt.port_file.c_str());
        }
    }

    asio::awaitable<void> accept_loop() {
        while (!stopping) {
            auto [ec, sock] = co_await acceptor.async_accept(asio::make_strand(ioc),
                                                             asio::as_tuple(asio::use_awaitable));
            if (ec) {
                if (stopping || ec == asio::error::operation_aborted) break;
                // EMFILE and friends: back off briefly instead of spinning.
                util::log::warn("accept failed: {}", ec.message());
                asio::steady_timer t(ioc, std::chrono::milliseconds(50));
                co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            sock.set_option(tcp::no_delay(true), ec);
            auto conn = std::make_shared<Connection>(std::move(sock));
            {
                auto ep = conn->stream.socket().remote_endpoint(ec);
                if (ec) continue;  // already gone
                conn->peer = ep.address().to_string();
            }
            if (!admit(conn)) {
                conn->stream.socket().close(ec);
                continue;
            }
            asio::co_spawn(conn->executor, session(conn), [this, conn](std::exception_ptr e) {
                if (e) {
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                        util::log::error("connection failed: {}", ex.what());
                    }
                }
                bool last = false;
                {
                    std::lock_guard lock(mu);
                    connections.erase(conn);
                    forget_idle(*conn);
                    if (conn->counted) {
                        auto it = per_address.find(conn->peer);
                        if (it != per_address.end() && --it->second.open == 0)
                            per_address.erase(it);
                    }
                    last = connections.empty();
                }
                if (last && stopping) ioc.stop();
            });
        }
    }

    // Whether a new connection may stay: its address's share first (over it: refused, nobody
    // else is touched), then the global maximum, where the connection idle longest is closed to
    // make room, and the new one is refused only when none is idle.
    bool admit(const std::shared_ptr<Connection>& conn) {
        std::shared_ptr<Connection> victim;
        {
            std::lock_guard lock(mu);
            const size_t cap = opt.max_connections_per_address;
            if (cap > 0 && !is_trusted_proxy(opt.trusted_proxies, conn->peer)) {
                AddressShare& share = per_address[conn->peer];
                if (share.open >= cap) {
                    if (!share.warned) {
                        share.warned = true;
                        util::log::warn(
                            "{} has {} connections open (RESUMATE_MAX_CONNECTIONS_PER_IP): "
                            "closing its new ones until some end",
                            conn->peer, share.open);
                    }
                    return false;
                }
                ++share.open;
                conn->counted = true;
            }
            if (connections.size() >= opt.max_connections) {
                if (idle_list.empty()) {
                    if (conn->counted) {
                        auto it = per_address.find(conn->peer);
                        if (--it->second.open == 0) per_address.erase(it);
                    }
                    if (!warned_full.exchange(true)) {
                        util::log::warn(
                            "{} connections open (the maximum), none idle: closing new ones "
                            "until some end",
                            opt.max_connections);
                    }
                    return false;
                }
                Connection* oldest = idle_list.front();
                forget_idle(*oldest);
                oldest->evicted = true;
                victim = oldest->shared_from_this();
                connections.erase(victim);  // no longer counts against the maximum
                if (!warned_evicting.exchange(true)) {
                    util::log::warn(
                        "{} connections open (the maximum): closing the longest idle ones to "
                        "make room for new ones",
                        opt.max_connections);
                }
            } else {
                warned_full = false;
                warned_evicting = false;
            }
            connections.insert(conn);
            // Until its first byte arrives a new connection is idle too (nginx's "reusable"):
            // otherwise a flood of connections that send nothing would still lock everyone out.
            remember_idle(*conn);
        }
        if (victim) {
            // The read it waits in ends; should its first byte have arrived meanwhile, it sees
            // `evicted` and closes without answering (a client must retry a request sent on
            // an idle keep-alive connection that closes, RFC 9112 §9.3.1).
            asio::post(victim->stream.get_executor(), [victim] { victim->stream.cancel(); });
        }
        return true;
    }

    // With mu held.
    void remember_idle(Connection& c) {
        c.idle = true;
        if (c.in_idle_list || c.evicted) return;
        c.idle_pos = idle_list.insert(idle_list.end(), &c);
        c.in_idle_list = true;
    }
    void forget_idle(Connection& c) {
        if (!c.in_idle_list) return;
        idle_list.erase(c.idle_pos);
        c.in_idle_list = false;
    }
    // The connection waits for a request's first byte; the next two return false when it was
    // closed to make room for another meanwhile: then it must end.
    bool mark_idle(Connection& c) {
        std::lock_guard lock(mu);
        remember_idle(c);
        return !c.evicted;
    }
    // The first byte of a request has arrived.
    bool mark_busy(Connection& c) {
        std::lock_guard lock(mu);
        if (c.evicted) return false;
        c.idle = false;
        forget_idle(c);
        return true;
    }

    asio::awaitable<bool> write(Connection& c, Response& res, unsigned version, bool keep_alive,
                                bool head) {
        bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
        out.set(bhttp::field::server, "ResuMate");
        if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
        for (auto& [k, v] : res.headers) out.insert(k, v);
        out.keep_alive(keep_alive);
        if (head) {
            out.content_length(res.body.size());
        } else {
            out.body() = std::move(res.body);
            out.prepare_payload();
        }
        // The bytes Beast's serializer would send, in one gather write (see serialize_head).
        const std::string head_bytes = serialize_head(out.base());
        const std::array<asio::const_buffer, 2> bytes{asio::buffer(head_bytes),
                                                      asio::buffer(out.body())};
        c.stream.expires_after(opt.body_timeout);
        auto [ec, n] =
            co_await asio::async_write(c.stream, bytes, asio::as_tuple(asio::use_awaitable));
        (void)n;
        co_return !ec;
    }

    // A streamed body: headers with chunked transfer encoding, then the chunks as the response's
    // stream function produces them; each is produced only once the previous one is written.
    // An event stream has a watcher notice a client that goes away, and closes the connection
    // after it; a plain body (stream_watches_client false) keeps an HTTP/1.1 connection alive.
    // HEAD: the headers only. True when the connection may serve another request.
    asio::awaitable<bool> write_stream(std::shared_ptr<Connection> conn, Response& res,
                                       unsigned version, bool keep_alive, bool head_only) {
        bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), version};
        head.set(bhttp::field::server, "ResuMate");
        if (!res.content_type.empty()) head.set(bhttp::field::content_type, res.content_type);
        for (auto& [k, v] : res.headers) head.insert(k, v);
        const bool chunked = version >= 11;
        keep_alive = keep_alive && chunked && !res.stream_watches_client;
        head.keep_alive(keep_alive);
        if (chunked) head.chunked(true);
        bhttp::response_serializer<bhttp::empty_body> sr{head};
        auto sink = std::make_shared<ChunkSink>(conn, opt.body_timeout, chunked);
        conn->stream.expires_after(opt.body_timeout);
        auto [ec, n] = co_await bhttp::async_write_header(conn->stream, sr,
                                                          asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (head_only) co_return !ec && keep_alive;
        if (ec) {
            sink->mark_gone();  // the body still runs, so that it can clean up; it writes nothing
        } else if (res.stream_watches_client) {
            asio::co_spawn(conn->stream.get_executor(), ChunkSink::watch(sink), asio::detached);
        }
        try {
            co_await res.stream(*sink);
        } catch (const std::exception& e) {
            util::log::error("streamed response failed: {}", e.what());
            sink->mark_gone();  // the body is cut short: the client must not take it as whole
        }
        bool whole = co_await sink->finish();
        co_return whole&& keep_alive;
    }

    // The pipeline's way out for one connection: a whole body or a stream.
    struct ConnectionTransport final : Transport {
        ConnectionTransport(Impl& server, std::shared_ptr<Connection> conn)
            : server(server), conn(std::move(conn)) {}
        Impl& server;
        std::shared_ptr<Connection> conn;
        unsigned version = 11;
        Task<bool> send(Response& res, bool keep_alive, bool head_only) override {
            if (server.stopping) keep_alive = false;
            if (res.stream)
                co_return co_await server.write_stream(conn, res, version, keep_alive, head_only);
            const bool ok = co_await server.write(*conn, res, version, keep_alive, head_only);
            co_return ok&& keep_alive;
        }
    };

    asio::awaitable<void> session(std::shared_ptr<Connection> conn) {
        Connection& c = *conn;
        beast::flat_buffer buffer;
        const std::string client_ip = c.peer;
        ConnectionTransport transport(*this, conn);
        bool first = true;
        while (true) {
            // Idle: wait for the first byte of the next request. Shutdown closes idle
            // connections, and so does a new connection when the maximum is reached.
            if (buffer.size() == 0) {
                // (While shutting down too: see begin_shutdown's drain.)
                if (!mark_idle(c)) break;
                c.stream.expires_after(first ? opt.header_timeout : opt.idle_timeout);
                auto [ec, n] = co_await c.stream.async_read_some(
                    buffer.prepare(4096), asio::as_tuple(asio::use_awaitable));
                if (ec) break;
                buffer.commit(n);
            }
            if (!mark_busy(c)) break;
            first = false;
            transport.version = 11;  // until a request line says otherwise

            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<uint32_t>(opt.max_header_bytes));
            parser.body_limit(opt.max_body_bytes);
            c.stream.expires_after(opt.header_timeout);
            // The whole head first (Beast waits for it too), to refuse folded lines. Each read
            // only searches its new bytes (and the three before), so a head trickled in byte by
            // byte costs linear time, as in Beast.
            boost::system::error_code hec;
            bool folded = false;
            size_t scanned = 0;
            while (true) {
                std::string_view data(static_cast<const char*>(buffer.data().data()),
                                      buffer.size());
                const size_t from = scanned > 3 ? scanned - 3 : 0;
                size_t end = data.find("\r\n\r\n", from);
                std::string_view head =
                    data.substr(0, end == std::string_view::npos ? end : end + 2);
                if (has_obs_fold(head.substr(from))) {
                    folded = true;
                    break;
                }
                if (end != std::string_view::npos || data.size() > opt.max_header_bytes) break;
                if (scanned == 0) {
                    // What Beast refuses in the first bytes (a bad request line, a TLS
                    // handshake) it answers without waiting for the rest of the head; so do we.
                    bhttp::request_parser<bhttp::empty_body> probe;
                    probe.header_limit(static_cast<uint32_t>(opt.max_header_bytes));
                    boost::system::error_code pec;
                    probe.put(buffer.data(), pec);
                    if (pec && pec != bhttp::error::need_more) break;
                }
                scanned = data.size();
                auto [ec, n] = co_await c.stream.async_read_some(
                    buffer.prepare(4096), asio::as_tuple(asio::use_awaitable));
                if (ec) {
                    // A head cut off by EOF is what Beast calls a partial message. (Reading
                    // again after EOF, to let Beast find out, would wait for the timeout.)
                    hec = ec == asio::error::eof ? bhttp::error::partial_message : ec;
                    break;
                }
                buffer.commit(n);
            }
            if (folded) {
                co_await pipeline.refuse(ReadFailure::Malformed, client_ip, transport);
                break;
            }
            if (!hec) {
                std::tie(hec, std::ignore) = co_await bhttp::async_read_header(
                    c.stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            }
            auto started = std::chrono::steady_clock::now();
            if (hec) {
                if (hec == bhttp::error::header_limit) {
                    co_await pipeline.refuse(ReadFailure::HeadersTooLarge, client_ip, transport);
                } else if (hec == bhttp::error::body_limit) {
                    // Beast checks Content-Length against the body limit with the headers.
                    co_await pipeline.refuse(ReadFailure::BodyTooLarge, client_ip, transport);
                } else if (hec != beast::error::timeout && hec != bhttp::error::end_of_stream &&
                           hec != asio::error::eof && hec != asio::error::operation_aborted &&
                           hec != asio::error::connection_reset) {
                    co_await pipeline.refuse(ReadFailure::Malformed, client_ip, transport);
                }
                break;
            }
            auto& hdr = parser.get();
            if (auto len = parser.content_length(); len && *len > opt.max_body_bytes) {
                co_await pipeline.refuse(ReadFailure::BodyTooLarge, client_ip, transport);
                break;
            }
            if (bhttp::token_list(hdr[bhttp::field::expect]).exists("100-continue")) {
                bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, hdr.version()};
                co_await bhttp::async_write(c.stream, cont, asio::as_tuple(asio::use_awaitable));
            }
            if (!parser.is_done()) {
                c.stream.expires_after(opt.body_timeout);
                auto [bec, bn] = co_await bhttp::async_read(c.stream, buffer, parser,
                                                            asio::as_tuple(asio::use_awaitable));
                (void)bn;
                if (bec) {
                    if (bec == bhttp::error::body_limit)
                        co_await pipeline.refuse(ReadFailure::BodyTooLarge, client_ip, transport);
                    else if (bec != beast::error::timeout && bec != asio::error::eof &&
                             bec != bhttp::error::end_of_stream &&
                             bec != asio::error::connection_reset &&
                             bec != bhttp::error::partial_message) {
                        co_await pipeline.refuse(ReadFailure::Malformed, client_ip, transport);
                    }
                    break;
                }
            }
            auto msg = parser.release();
            transport.version = msg.version();
            const bool keep_alive = msg.keep_alive();
            Request req = request_from_beast(msg, client_ip);
            if (!co_await pipeline.serve(req, keep_alive, started, transport)) break;
        }
        boost::system::error_code ec;
        c.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        c.stream.socket().close(ec);
    }

    void begin_shutdown() {
        if (stopping.exchange(true)) return;
        util::log::info("shutting down: finishing in-flight requests (grace {}s)",
                        opt.shutdown_grace.count());
        asio::post(ioc, [this] {
            boost::system::error_code ec;
            acceptor.close(ec);
        });
        bool none = false;
        {
            std::lock_guard lock(mu);
            none = connections.empty();
        }
        if (none) {
            ioc.stop();
            return;
        }
        // The drain: idle keep-alive connections stay open a moment, and a request arriving on
        // one is answered (with Connection: close) rather than lost; then the idle ones close.
        // Busy ones close after their answer.
        auto drain = std::make_shared<asio::steady_timer>(
            ioc, std::min<std::chrono::milliseconds>(opt.shutdown_drain, opt.shutdown_grace));
        drain->async_wait([this, drain](boost::system::error_code) {
            std::vector<std::shared_ptr<Connection>> idle;
            {
                std::lock_guard lock(mu);
                for (auto& c : connections) {
                    if (c->idle) idle.push_back(c);
                }
            }
            for (auto& c : idle) {
                asio::post(c->stream.get_executor(), [c] {
                    if (c->idle) c->stream.cancel();
                });
            }
        });
        auto timer = std::make_shared<asio::steady_timer>(ioc, opt.shutdown_grace);
        timer->async_wait([this, timer](boost::system::error_code) {
            util::log::warn("shutdown grace period over; closing remaining connections");
            ioc.stop();
        });
    }
};

Server::Server(ServerOptions options, Pipeline& pipeline)
    : impl_(std::make_unique<Impl>(std::move(options), pipeline)) {}
Server::~Server() = default;

void Server::run() {
    Impl& s = *impl_;
    s.bind();
    s.signals.async_wait([&s](boost::system::error_code ec, int sig) {
        if (!ec) {
            util::log::info("received signal {}", sig);
            s.begin_shutdown();
            boost::system::error_code ignored;
            s.reload_signal.cancel(ignored);
        }
    });
    s.wait_for_reload();
    asio::co_spawn(s.ioc, s.accept_loop(), asio::detached);
    for (auto& task : s.opt.background) {
        asio::co_spawn(s.ioc, task(), [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                util::log::error("background task failed: {}", ex.what());
            }
        });
    }
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < s.opt.threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
    s.ioc.run();
    for (auto& t : threads) t.join();
    util::log::info("server stopped");
}

void Server::stop() {
    impl_->begin_shutdown();
}

asio::any_io_executor Server::executor() {
    return impl_->ioc.get_executor();
}

}  // namespace resumate::http
