// The benchmark's baseline: the smallest useful Boost.Beast server, built with the same flags and
// run the same way as resumate (same thread count, keep-alive, a small JSON body). Whatever
// resumate does beyond this — routing, auth, cache, JSON — shows as the gap between the two.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

static asio::awaitable<void> session(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    while (true) {
        http::request<http::string_body> req;
        auto [ec, n] =
            co_await http::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (ec) break;
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/json");
        res.keep_alive(req.keep_alive());
        res.body() = R"({"hello":"world"})";
        res.prepare_payload();
        auto [wec, wn] =
            co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        (void)wn;
        if (wec || !res.keep_alive()) break;
    }
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

static asio::awaitable<void> listen(tcp::acceptor& acceptor) {
    while (true) {
        auto sock = co_await acceptor.async_accept(asio::make_strand(acceptor.get_executor()),
                                                   asio::use_awaitable);
        sock.set_option(tcp::no_delay(true));
        asio::co_spawn(sock.get_executor(), session(beast::tcp_stream(std::move(sock))),
                       asio::detached);
    }
}

int main(int argc, char** argv) {
    unsigned short port = argc > 1 ? static_cast<unsigned short>(std::atoi(argv[1])) : 8080;
    unsigned threads =
        argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : std::thread::hardware_concurrency();
    asio::io_context ioc(static_cast<int>(threads));
    tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), port});
    asio::co_spawn(ioc, listen(acceptor), asio::detached);
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](auto, auto) { ioc.stop(); });
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
}
