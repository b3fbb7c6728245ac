// http/multipart: multipart/form-data bodies, strictly.
#include "http/multipart.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "http/errors.hpp"

// Named, not anonymous: the unit tests are one translation unit.
namespace multipart_unit_test {

using resumate::http::Error;
using resumate::http::error_response;
using resumate::http::find_multipart_part;
using resumate::http::MultipartPart;
using resumate::http::parse_multipart_form;

constexpr std::string_view kType = "multipart/form-data; boundary=XyZ";

// The 400 body a malformed form gets, or "" when it parsed.
std::string refusal(std::string_view type, std::string_view body) {
    try {
        parse_multipart_form(type, body);
    } catch (const Error& e) {
        auto r = error_response(e);
        EXPECT_EQ(r.status, 400u);
        return r.body;
    }
    return {};
}

TEST(Multipart, ReadsFieldsAndFiles) {
    const std::string body =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"title\"\r\n"
        "\r\n"
        "My title\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"jobs.csv\"\r\n"
        "Content-Type: text/csv\r\n"
        "\r\n"
        "a,b\r\n1,2\r\n"
        "\r\n--XyZ--\r\n";
    auto parts = parse_multipart_form(kType, body);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].name, "title");
    EXPECT_FALSE(parts[0].filename);
    EXPECT_EQ(parts[0].data, "My title");
    EXPECT_EQ(parts[1].name, "file");
    ASSERT_TRUE(parts[1].filename);
    EXPECT_EQ(*parts[1].filename, "jobs.csv");
    EXPECT_EQ(parts[1].content_type, "text/csv");
    EXPECT_EQ(parts[1].data, "a,b\r\n1,2\r\n");
    const MultipartPart* file = find_multipart_part(parts, "file");
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(file->data, parts[1].data);
    EXPECT_EQ(find_multipart_part(parts, "nope"), nullptr);
}

TEST(Multipart, KeepsBinaryContentAndEmptyParts) {
    const std::string content("\0\xFF\r\n--Xy\r\n-", 11);
    const std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"b\"\r\n\r\n" + content +
        "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n" + "\r\n--XyZ--";
    auto parts = parse_multipart_form(kType, body);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].data, content);
    EXPECT_EQ(parts[1].data, "");
}

TEST(Multipart, IgnoresPreambleEpilogueAndPadding) {
    const std::string body =
        "This is a preamble.\r\n--XyZ  \r\n"
        "content-disposition: FORM-DATA; name=file; filename*=UTF-8''caf%C3%A9.csv\r\n"
        "\r\n"
        "x\r\n--XyZ--\r\nepilogue";
    auto parts = parse_multipart_form("Multipart/Form-Data; charset=utf-8; boundary=\"XyZ\"", body);
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_EQ(parts[0].name, "file");
    ASSERT_TRUE(parts[0].filename);
    EXPECT_EQ(*parts[0].filename, "caf\xC3\xA9.csv");
    EXPECT_EQ(parts[0].data, "x");
}

TEST(Multipart, QuotedParametersWithEscapesAndSemicolons) {
    const std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"a;b\"; filename=\"q\\\"uote.csv\"\r\n\r\n"
        "1\r\n--XyZ--\r\n";
    auto parts = parse_multipart_form(kType, body);
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_EQ(parts[0].name, "a;b");
    EXPECT_EQ(*parts[0].filename, "q\"uote.csv");
}

TEST(Multipart, RefusesAMissingOrInvalidBoundary) {
    EXPECT_EQ(refusal("multipart/form-data", "--x\r\n"),
              R"({"detail":"Multipart form parse error - Invalid boundary in multipart: None"})");
    EXPECT_NE(refusal("multipart/form-data; boundary=", "x"), "");
    EXPECT_NE(refusal("multipart/form-data; boundary=" + std::string(71, 'a'), "x"), "");
    EXPECT_NE(refusal("multipart/form-data; boundary=\"a{b\"", "x"), "");
    EXPECT_NE(refusal("multipart/form-data; boundary=\"ends \"", "x"), "");
    EXPECT_NE(refusal("multipart/form-data; boundary=a b", "x"), "");
}

TEST(Multipart, RefusesMalformedBodies) {
    const std::string disposition = "Content-Disposition: form-data; name=\"f\"\r\n";
    const std::vector<std::string> bodies = {
        "",                                               // no delimiter
        "no boundary here",                               // no delimiter
        "--XyZ\r\n" + disposition + "\r\ndata",           // no closing delimiter
        "--XyZ\r\n" + disposition + "\r\ndata\r\n--XyZ",  // not closed with --
        "--XyZ\r\n" + disposition + "data\r\n--XyZ--",    // headers not ended
        "--XyZ\r\n\r\ndata\r\n--XyZ--",                   // no Content-Disposition
        "--XyZ\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nx\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--",  // no name
        "--XyZ\r\nContent-Disposition: form-data; name=\"f\r\n\r\nx\r\n--XyZ--",
        "--XyZ\r\n" + disposition + " folded\r\n\r\nx\r\n--XyZ--",
        "--XyZ\r\nBad Header\r\n" + disposition + "\r\nx\r\n--XyZ--",
        "--XyZ\r\n" + disposition + "Content-Transfer-Encoding: base64\r\n\r\neA==\r\n--XyZ--",
        "--XyZ junk\r\n" + disposition + "\r\nx\r\n--XyZ--",
        "--XyZ\r\n" + disposition + disposition + "\r\nx\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename*=latin1''x\r\n\r\nx\r\n"
        "--XyZ--",
    };
    for (const auto& body : bodies) {
        std::string answer = refusal(kType, body);
        EXPECT_NE(answer, "") << body;
        EXPECT_NE(answer.find("Multipart form parse error - "), std::string::npos) << answer;
    }
}

TEST(Multipart, LimitsPartsAndHeaderSize) {
    std::string many;
    for (size_t i = 0; i <= resumate::http::kMaxMultipartParts; ++i)
        many += "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
    many += "--XyZ--";
    EXPECT_NE(refusal(kType, many), "");
    const std::string big = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Pad: " +
                            std::string(resumate::http::kMaxMultipartHeaderBytes, 'p') +
                            "\r\n\r\nx\r\n--XyZ--";
    EXPECT_NE(refusal(kType, big), "");
}

TEST(Multipart, NoPartsAtAll) {
    EXPECT_TRUE(parse_multipart_form(kType, "--XyZ--\r\n").empty());
}

}  // namespace multipart_unit_test
