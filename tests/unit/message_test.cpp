#include <gtest/gtest.h>

#include "http/message.hpp"

using namespace resumate::http;

TEST(Request, BaseUrlFromHostHeader) {
    Request r;
    EXPECT_EQ(r.base_url(), "http://localhost");
    r.headers.emplace_back("Host", "api.example.com:8000");
    EXPECT_EQ(r.base_url(), "http://api.example.com:8000");
    r.secure = true;
    EXPECT_EQ(r.base_url(), "https://api.example.com:8000");
}

// Found by fuzz_request: a Host byte that is not UTF-8 went as it was into the API root's JSON,
// which then did not parse. Header bytes read as ISO-8859-1, as Django's WSGI environ has them.
TEST(Request, BaseUrlOfAHostThatIsNotUtf8IsValidUtf8) {
    Request r;
    r.headers.emplace_back("Host", "localhos\xa7:8000");
    EXPECT_EQ(r.base_url(), "http://localhos\u00a7:8000");
}
