#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <cmath>
#include <limits>

#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/fields.hpp"

using namespace resumate::http;

namespace {
Request json_request(std::string body, std::string type = "application/json") {
    Request r;
    r.method = "POST";
    r.path = "/";
    r.headers.emplace_back("Content-Type", type);
    r.body = std::move(body);
    return r;
}

Response error_of(const Request& r) {
    try {
        parse_object_data(r);
    } catch (const Error& e) {
        return error_response(e);
    }
    ADD_FAILURE() << "no error";
    return {};
}
}  // namespace

TEST(PythonJsonError, MatchesCPythonMessages) {
    EXPECT_EQ(python_json_error("{\"username\": "), "Expecting value: line 1 column 14 (char 13)");
    EXPECT_EQ(python_json_error("{'a': 1}"),
              "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
    EXPECT_EQ(python_json_error("{\"a\" 1}"), "Expecting ':' delimiter: line 1 column 6 (char 5)");
    EXPECT_EQ(python_json_error("[1 2]"), "Expecting ',' delimiter: line 1 column 4 (char 3)");
    EXPECT_EQ(python_json_error("{} x"), "Extra data: line 1 column 4 (char 3)");
    EXPECT_EQ(python_json_error("\"abc"),
              "Unterminated string starting at: line 1 column 1 (char 0)");
    EXPECT_EQ(python_json_error("{\n\"a\": }"), "Expecting value: line 2 column 6 (char 7)");
    EXPECT_EQ(python_json_error(""), "Expecting value: line 1 column 1 (char 0)");
    EXPECT_EQ(python_json_error("{\"a\": 1}"), "");
}

TEST(RequestData, MalformedJsonIs400WithDetail) {
    auto r = error_of(json_request("{\"username\": "));
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.body,
              R"J({"detail":"JSON parse error - Expecting value: line 1 column 14 (char 13)"})J");
}

TEST(RequestData, ListIsNotADictionary) {
    auto r = error_of(json_request("[1, 2]"));
    EXPECT_EQ(r.body,
              R"J({"non_field_errors":["Invalid data. Expected a dictionary, but got list."]})J");
}

TEST(RequestData, UnsupportedMediaType) {
    auto r = error_of(json_request("username=x", "text/plain"));
    EXPECT_EQ(r.status, 415u);
    EXPECT_EQ(r.body, R"J({"detail":"Unsupported media type \"text/plain\" in request."})J");
}

// Found by fuzz_request: a Content-Type byte that is not UTF-8 made the 415 body invalid JSON.
// Django decodes header bytes as ISO-8859-1, so 0xD9 shows as "Ù" (and UTF-8 "é" as "Ã©").
TEST(RequestData, UnsupportedMediaTypeEchoesHeaderBytesAsLatin1) {
    auto r = error_of(json_request("{}", "application/j\xd9on"));
    EXPECT_EQ(r.status, 415u);
    EXPECT_EQ(r.body,
              "{\"detail\":\"Unsupported media type \\\"application/j\u00d9on\\\" in request.\"}");
    auto utf8 = error_of(json_request("{}", "text/\xc3\xa9"));
    EXPECT_EQ(utf8.body,
              "{\"detail\":\"Unsupported media type \\\"text/\u00c3\u00a9\\\" in request.\"}");
}

TEST(RequestData, FormEncodedDecodesPlusAndPercent) {
    auto d =
        parse_object_data(json_request("a=x+y&b=1%2B1&c=%40", "application/x-www-form-urlencoded"));
    EXPECT_TRUE(d.from_form);
    EXPECT_EQ(d.value.at("a").as_string(), "x y");
    EXPECT_EQ(d.value.at("b").as_string(), "1+1");
    EXPECT_EQ(d.value.at("c").as_string(), "@");
}

TEST(RequestData, MultipartTextFields) {
    std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n"
        "--XyZ\r\nContent-Disposition: form-data; "
        "name=\"content\"\r\n\r\nLine1\r\nLine2\r\n--XyZ--\r\n";
    auto d = parse_object_data(json_request(body, "multipart/form-data; boundary=XyZ"));
    EXPECT_EQ(d.value.at("title").as_string(), "Hello");
    EXPECT_EQ(d.value.at("content").as_string(), "Line1\r\nLine2");
}

TEST(RequestData, DeepNestingIsAClear400) {
    std::string deep(200, '[');
    deep += std::string(200, ']');
    auto r = error_of(json_request("{\"a\": " + deep + "}"));
    EXPECT_EQ(r.status, 400u);
    EXPECT_NE(r.body.find("nesting too deep"), std::string::npos) << r.body;
}

TEST(RequestData, EmptyBodyIsEmptyObject) {
    auto d = parse_object_data(json_request(""));
    EXPECT_TRUE(d.value.as_object().empty());
}

TEST(Fields, CharFieldDrfRules) {
    auto d = parse_object_data(json_request(
        R"J({"a": "  x  ", "b": "", "c": null, "d": 5, "e": [1], "f": true, "g": "a\u0000b"})J"));
    ValidationErrors e;
    EXPECT_EQ(**char_field(d, "a", {}, e), "x");
    EXPECT_FALSE(char_field(d, "b", {}, e));
    EXPECT_FALSE(char_field(d, "c", {}, e));
    EXPECT_EQ(**char_field(d, "d", {}, e), "5");
    EXPECT_FALSE(char_field(d, "e", {}, e));
    EXPECT_FALSE(char_field(d, "f", {}, e));
    EXPECT_FALSE(char_field(d, "g", {}, e));
    EXPECT_FALSE(char_field(d, "missing", {}, e));
    EXPECT_EQ(
        boost::json::serialize(e.object()),
        R"J({"b":["This field may not be blank."],"c":["This field may not be null."],"e":["Not a valid string."],"f":["Not a valid string."],"g":["Null characters are not allowed."],"missing":["This field is required."]})J");
}

TEST(Fields, LengthsCountCharactersNotBytes) {
    auto d = parse_object_data(json_request(R"J({"a": "ééé"})J"));
    ValidationErrors e;
    EXPECT_TRUE(char_field(d, "a", {.max_length = 3}, e));
    EXPECT_FALSE(char_field(d, "a", {.max_length = 2}, e));
    EXPECT_EQ(boost::json::serialize(e.object()),
              R"J({"a":["Ensure this field has no more than 2 characters."]})J");
}

TEST(Fields, PkFieldTypes) {
    auto d = parse_object_data(
        json_request(R"J({"a": 7, "b": "7", "c": "abc", "d": true, "e": null, "f": [1]})J"));
    ValidationErrors e;
    EXPECT_EQ(**pk_field(d, "a", {}, e), 7);
    EXPECT_EQ(**pk_field(d, "b", {}, e), 7);
    EXPECT_FALSE(pk_field(d, "c", {}, e));
    EXPECT_FALSE(pk_field(d, "d", {}, e));
    EXPECT_FALSE(*pk_field(d, "e", {.allow_null = true}, e));
    EXPECT_FALSE(pk_field(d, "f", {}, e));
    EXPECT_EQ(
        boost::json::serialize(e.object()),
        R"J({"c":["Incorrect type. Expected pk value, received str."],"d":["Incorrect type. Expected pk value, received bool."],"f":["Incorrect type. Expected pk value, received list."]})J");
}

TEST(Fields, ChoiceAndDate) {
    auto d = parse_object_data(
        json_request(R"J({"s": "Interview Scheduled", "t": "Offer", "d": "15/01/2025", "n": 1})J"));
    ValidationErrors e;
    EXPECT_FALSE(choice_field(d, "s", {"Applied", "Offer"}, {}, e));
    EXPECT_EQ(**choice_field(d, "t", {"Applied", "Offer"}, {}, e), "Offer");
    EXPECT_FALSE(choice_field(d, "n", {"Applied", "Offer"}, {}, e));
    EXPECT_FALSE(date_field(d, "d", {}, e));
    EXPECT_EQ(
        boost::json::serialize(e.object()),
        R"J({"s":["\"Interview Scheduled\" is not a valid choice."],"n":["\"1\" is not a valid choice."],"d":["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]})J");
}

TEST(RequestData, FormBodiesTakeRawBytesAsDjangoDoes) {
    std::string body("title=a\0b&content=x y%zz", 24);
    auto d = parse_object_data(json_request(body, "application/x-www-form-urlencoded"));
    EXPECT_EQ(d.value.at("title").as_string(), std::string_view("a\0b", 3));
    EXPECT_EQ(d.value.at("content").as_string(), "x y%zz");
    auto r = error_of(json_request("title=\xC0\xAF", "application/x-www-form-urlencoded"));
    EXPECT_EQ(r.body, R"({"detail":"Form parse error - the body is not valid UTF-8."})");
}

TEST(RequestData, NestingTooDeepAtAnyDepth) {
    EXPECT_EQ(python_json_error(std::string(64, '[') + std::string(64, ']')), "");
    EXPECT_EQ(python_json_error(std::string(65, '[') + std::string(65, ']')),
              "nesting too deep (at most 64 levels): line 1 column 65 (char 64)");
    // Far beyond what Python's recursion allows, and unterminated: the same clear text.
    EXPECT_EQ(python_json_error(std::string(100000, '[')),
              "nesting too deep (at most 64 levels): line 1 column 65 (char 64)");
    // An error before the limit is reported as Python would.
    EXPECT_EQ(python_json_error("[[1 2" + std::string(100, '[')),
              "Expecting ',' delimiter: line 1 column 5 (char 4)");
}

TEST(RequestData, InvalidUtf8IsReportedWithPythonsText) {
    auto text = [](std::string body) { return error_of(json_request(std::move(body))).body; };
    EXPECT_EQ(
        text("{\"a\": \"\xC0\xAF\"}"),
        R"({"detail":"JSON parse error - 'utf-8' codec can't decode byte 0xc0 in position 7: invalid start byte"})");
    EXPECT_EQ(
        text("{\"a\": \"\xED\xA0\x80\"}"),
        R"({"detail":"JSON parse error - 'utf-8' codec can't decode byte 0xed in position 7: invalid continuation byte"})");
    EXPECT_EQ(
        text("{\"a\": \"\xF0\x9F\x98\"}"),
        R"({"detail":"JSON parse error - 'utf-8' codec can't decode bytes in position 7-9: invalid continuation byte"})");
    EXPECT_EQ(
        text("{\"a\": \"\xE2\x82"),
        R"({"detail":"JSON parse error - 'utf-8' codec can't decode bytes in position 7-8: unexpected end of data"})");
}

TEST(RequestData, NanAndInfinityAreFloatsAsInPython) {
    auto d = parse_object_data(json_request(
        R"({"a": NaN, "b": [Infinity, -Infinity], "c": 1e999, "d": 18446744073709551615, "e": "\u00e9\n"})"));
    EXPECT_TRUE(std::isnan(d.value.at("a").as_double()));
    EXPECT_EQ(d.value.at("b").as_array()[0].as_double(), std::numeric_limits<double>::infinity());
    EXPECT_EQ(d.value.at("b").as_array()[1].as_double(), -std::numeric_limits<double>::infinity());
    EXPECT_EQ(d.value.at("c").as_double(), std::numeric_limits<double>::infinity());
    EXPECT_EQ(d.value.at("d").as_uint64(), 18446744073709551615u);
    EXPECT_EQ(d.value.at("e").as_string(), "\xC3\xA9\n");
    ValidationErrors e;
    EXPECT_EQ(**char_field(d, "a", {}, e), "nan");
    EXPECT_FALSE(integer_field(d, "a", {}, e));
    EXPECT_EQ(boost::json::serialize(e.object()), R"({"a":["A valid integer is required."]})");
}

TEST(RequestData, LoneSurrogatesAreRefusedByCharFields) {
    auto d = parse_object_data(json_request(
        R"({"a": "x\ud800", "b": ["\udc00"], "c": "\ud83d\ude00", "d": {"k": "\udbff\udbff"}, "e": "ok", "f": "\ud800"})"));
    EXPECT_EQ(d.value.at("a").as_string(), "x\xEF\xBF\xBD");
    EXPECT_EQ(d.value.at("c").as_string(), "\xF0\x9F\x98\x80");
    ValidationErrors e;
    EXPECT_FALSE(char_field(d, "a", {}, e));
    EXPECT_FALSE(char_field(d, "b", {}, e));
    EXPECT_EQ(**char_field(d, "c", {}, e), "\xF0\x9F\x98\x80");
    EXPECT_FALSE(char_field(d, "d", {}, e));
    EXPECT_EQ(**char_field(d, "e", {}, e), "ok");
    EXPECT_FALSE(char_field(d, "f", {.max_length = 0}, e));
    EXPECT_EQ(
        boost::json::serialize(e.object()),
        R"({"a":["Surrogate characters are not allowed: U+D800."],"b":["Not a valid string."],"d":["Not a valid string."],"f":["Surrogate characters are not allowed: U+D800."]})");
}

TEST(Fields, IntegerFieldAsDrf) {
    auto d = parse_object_data(json_request(
        R"({"a": 3.0, "b": 1e16, "c": 18446744073709551615, "d": " 99999999999999999999 ", "e": "-99999999999999999999", "f": "7.000", "g": 1.5, "h": true})"));
    ValidationErrors e;
    EXPECT_EQ(**integer_field(d, "a", {}, e, 0, 10), 3);
    EXPECT_FALSE(integer_field(d, "b", {}, e, 0, 10));
    EXPECT_FALSE(integer_field(d, "c", {}, e, 0, 10));
    EXPECT_FALSE(integer_field(d, "d", {}, e, 0, 10));
    EXPECT_FALSE(integer_field(d, "e", {}, e, 0, 10));
    EXPECT_EQ(**integer_field(d, "f", {}, e, 0, 10), 7);
    EXPECT_FALSE(integer_field(d, "g", {}, e, 0, 10));
    EXPECT_FALSE(integer_field(d, "h", {}, e, 0, 10));
    EXPECT_EQ(
        boost::json::serialize(e.object()),
        R"({"b":["A valid integer is required."],"c":["Ensure this value is less than or equal to 10."],"d":["Ensure this value is less than or equal to 10."],"e":["Ensure this value is greater than or equal to 0."],"g":["A valid integer is required."],"h":["A valid integer is required."]})");
}
