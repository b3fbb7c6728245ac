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

// Python's parse_qsl, which Django's QueryDict uses, keeps a '%' that starts no escape as it is
// and the other parameters with it: one stray '%' must not hide the whole query.
TEST(Request, AStrayPercentKeepsTheOtherParameters) {
    Request r;
    r.query = "resume=5&x=%ZZ&search=100%&y=%4";
    EXPECT_EQ(r.query_param("resume"), "5");
    EXPECT_EQ(r.query_param("x"), "%ZZ");
    EXPECT_EQ(r.query_param("search"), "100%");
    EXPECT_EQ(r.query_param("y"), "%4");
    r.query = "q=a+b%2Bc&q=%E2%82%AC";
    EXPECT_EQ(r.query_param("q"), "\u20ac");
}
