// The whole request pipeline: raw bytes → the server's head checks (obs-fold, Host count and
// syntax) and Beast's request parser with the server's limits → http::Request → App::handle →
// the serialized response. Up to four pipelined requests per
// input. @TOKEN@ / @ADMIN@ / @REFRESH@ in a header value become valid tokens.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "http/beast_request.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"

namespace bhttp = boost::beast::http;
using namespace resumate;

namespace {

// The server's limits: http::ServerOptions' defaults (8 KiB of header, 1 MiB of body).
const http::ServerOptions kServer;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)fuzz::fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    for (int n = 0; n < 4 && !rest.empty(); ++n) {
        // As the server: a head with folded lines is refused before Beast unfolds it.
        if (http::has_obs_fold(rest.substr(0, rest.find("\r\n\r\n")))) return 0;
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<uint32_t>(kServer.max_header_bytes));
        parser.body_limit(kServer.max_body_bytes);
        parser.eager(true);
        boost::beast::error_code ec;
        while (!parser.is_done() && !rest.empty()) {
            size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
            rest.remove_prefix(used);
            if (ec == bhttp::error::need_more) {
                ec = {};
                if (used == 0) break;  // the input ends inside a message
                continue;
            }
            if (ec || used == 0) break;
        }
        if (!ec && !parser.is_done() && parser.is_header_done()) parser.put_eof(ec);
        if (ec || !parser.is_done()) return 0;  // the server answers 400/413/431 and closes
        auto msg = parser.release();
        const unsigned version = msg.version();
        bool keep_alive = msg.keep_alive();
        if (auto refused = http::refuse_head(version, msg.count(bhttp::field::host),
                                             msg[bhttp::field::host], kServer.allowed_hosts)) {
            if (refused->close) break;
            continue;  // answered by the server without the application
        }
        http::Request req = http::request_from_beast(msg, "127.0.0.1");
        // Placeholders become tokens in header values only: the body's length is the sender's.
        for (auto& [name, value] : req.headers) value = fuzz::substitute_tokens(value);
        fuzz::handle(req, version);
        if (!keep_alive) break;
    }
    return 0;
}
