// http::serialize_head: the server writes a whole response as these bytes plus the body instead of
// running Beast's serializer, so they must be exactly what Beast's serializer sends.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <sstream>

#include "http/beast_request.hpp"

namespace {

namespace bhttp = boost::beast::http;
using resumate::http::serialize_head;

// What Beast's serializer writes for `res` (operator<< runs it).
std::string beast_bytes(const bhttp::response<bhttp::string_body>& res) {
    std::ostringstream os;
    os << res;
    return os.str();
}

bhttp::response<bhttp::string_body> make(unsigned status, unsigned version, bool keep_alive,
                                         std::string body) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), version};
    res.set(bhttp::field::server, "ResuMate");
    res.set(bhttp::field::content_type, "application/json");
    res.insert("X-Request-ID", "0123456789abcdef");
    res.insert("Vary", "Accept");
    res.insert("Vary", "Authorization");  // repeated names stay, in order
    res.insert("X-Custom-Name", "value with  spaces");
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

TEST(SerializeHeadTest, EqualsBeastsSerializerForEveryShape) {
    for (unsigned status :
         {200u, 201u, 204u, 301u, 304u, 400u, 401u, 404u, 413u, 429u, 500u, 503u, 599u}) {
        for (unsigned version : {10u, 11u}) {
            for (bool keep_alive : {true, false}) {
                const bool bodiless = status == 204 || status == 304;
                auto res = make(status, version, keep_alive,
                                bodiless ? "" : R"({"detail":"Request was throttled."})");
                EXPECT_EQ(serialize_head(res.base()) + res.body(), beast_bytes(res))
                    << status << " HTTP/" << version << " keep-alive " << keep_alive;
            }
        }
    }
}

TEST(SerializeHeadTest, KeepsAnExplicitReasonAndAnEmptyBody) {
    auto res = make(200, 11, true, "");
    res.reason("Fine");
    EXPECT_EQ(serialize_head(res.base()), beast_bytes(res));
    EXPECT_EQ(serialize_head(res.base()).substr(0, 17), "HTTP/1.1 200 Fine");
}

TEST(SerializeHeadTest, HeadAnswerCarriesTheLengthWithoutTheBody) {
    bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
    res.set(bhttp::field::server, "ResuMate");
    res.keep_alive(true);
    res.content_length(1234);
    EXPECT_EQ(serialize_head(res.base()),
              "HTTP/1.1 200 OK\r\nServer: ResuMate\r\nContent-Length: 1234\r\n\r\n");
    EXPECT_EQ(serialize_head(res.base()), beast_bytes(res));
}

}  // namespace
