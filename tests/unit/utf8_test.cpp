#include "util/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

using resumate::util::count_code_points;
using resumate::util::decode_utf8;
using resumate::util::decode_utf8_char;
using resumate::util::decode_utf8_lossy;
using resumate::util::encode_utf8;
using resumate::util::find_utf8_error;
using resumate::util::is_valid_utf8;
using resumate::util::utf8_char_start;
using resumate::util::utf8_length;
using Reason = resumate::util::Utf8Error::Reason;

TEST(Utf8, DecodesEachLengthAtItsBoundaries) {
    const struct {
        std::string_view bytes;
        char32_t cp;
    } cases[] = {
        {std::string_view("\0", 1), 0x00},
        {"\x7F", 0x7F},
        {"\xC2\x80", 0x80},
        {"\xDF\xBF", 0x7FF},
        {"\xE0\xA0\x80", 0x800},
        {"\xED\x9F\xBF", 0xD7FF},
        {"\xEE\x80\x80", 0xE000},
        {"\xEF\xBF\xBF", 0xFFFF},
        {"\xF0\x90\x80\x80", 0x10000},
        {"\xF4\x8F\xBF\xBF", 0x10FFFF},
    };
    for (const auto& c : cases) {
        const std::string_view s = c.bytes;
        const auto d = decode_utf8_char(s, 0);
        EXPECT_EQ(d.cp, c.cp);
        EXPECT_EQ(d.len, s.size());
        EXPECT_TRUE(is_valid_utf8(s));
    }
}

TEST(Utf8, RejectsOverlongSurrogatesOutOfRangeTruncatedAndStrayBytes) {
    for (std::string_view bad : {
             std::string_view("\xC0\xAF"),          // overlong '/'
             std::string_view("\xC1\xBF"),          // overlong, two bytes
             std::string_view("\xE0\x9F\xBF"),      // overlong, three bytes
             std::string_view("\xF0\x8F\xBF\xBF"),  // overlong, four bytes
             std::string_view("\xED\xA0\x80"),      // high surrogate U+D800
             std::string_view("\xED\xBF\xBF"),      // low surrogate U+DFFF
             std::string_view("\xF4\x90\x80\x80"),  // U+110000
             std::string_view("\xF5\x80\x80\x80"),  // lead byte above F4
             std::string_view("\xFF"),              //
             std::string_view("\xE2\x82"),          // truncated
             std::string_view("\xF0\x9F\x98"),      // truncated emoji
             std::string_view("\x80"),              // stray continuation byte
             std::string_view("\xC3\x28"),          // continuation byte missing
         }) {
        EXPECT_EQ(decode_utf8_char(bad, 0).len, 0u) << testing::PrintToString(bad);
        EXPECT_FALSE(is_valid_utf8(bad)) << testing::PrintToString(bad);
        EXPECT_FALSE(decode_utf8(bad).has_value());
        EXPECT_FALSE(count_code_points(bad).has_value());
    }
}

TEST(Utf8, ReportsTheFirstErrorAsPythonDoes) {
    auto err = find_utf8_error("abc\xC0\xAF");
    ASSERT_TRUE(err);
    EXPECT_EQ(err->pos, 3u);
    EXPECT_EQ(err->len, 1u);
    EXPECT_EQ(err->reason, Reason::InvalidStartByte);

    err = find_utf8_error("\xC3\xA9\xE2\x82");  // "é" then a truncated euro sign
    ASSERT_TRUE(err);
    EXPECT_EQ(err->pos, 2u);
    EXPECT_EQ(err->len, 2u);
    EXPECT_EQ(err->reason, Reason::UnexpectedEndOfData);

    err = find_utf8_error("x\xED\xA0\x80");  // a surrogate fails at its second byte
    ASSERT_TRUE(err);
    EXPECT_EQ(err->pos, 1u);
    EXPECT_EQ(err->len, 1u);
    EXPECT_EQ(err->reason, Reason::InvalidContinuationByte);

    err = find_utf8_error("\xF0\x9F\x98x");
    ASSERT_TRUE(err);
    EXPECT_EQ(err->len, 3u);
    EXPECT_EQ(err->reason, Reason::InvalidContinuationByte);

    EXPECT_FALSE(find_utf8_error("Zoë € 😀"));
    EXPECT_FALSE(find_utf8_error(""));
}

TEST(Utf8, WholeStringsRoundTrip) {
    EXPECT_EQ(decode_utf8("Zoë€😀"), std::u32string(U"Zoë€😀"));
    EXPECT_EQ(encode_utf8(U"Zoë€😀"), "Zoë€😀");
    EXPECT_EQ(decode_utf8_lossy("a\xff\xE2\x82z"), std::u32string(U"a\uFFFD\uFFFD\uFFFDz"));
    // Surrogates and values above U+10FFFF cannot be written as UTF-8.
    EXPECT_EQ(encode_utf8(std::u32string{0xD800, U'a', 0x110000}),
              "\xEF\xBF\xBD"
              "a\xEF\xBF\xBD");
    std::string raw;
    resumate::util::append_utf8(raw, 0xDC00);  // append_utf8 writes what it is given
    EXPECT_EQ(raw, "\xED\xB0\x80");
}

TEST(Utf8, CountsCodePoints) {
    EXPECT_EQ(count_code_points(""), 0u);
    EXPECT_EQ(count_code_points("Zoë"), 3u);
    EXPECT_EQ(count_code_points("工程师😀"), 4u);
    EXPECT_EQ(utf8_length("工程师😀"), 4u);
    EXPECT_EQ(utf8_length("Zoë"), 3u);
}

TEST(Utf8, CharStartNeverSplitsASequence) {
    const std::string_view s = "a€b";  // 'a', E2 82 AC, 'b'
    EXPECT_EQ(utf8_char_start(s, 0), 0u);
    EXPECT_EQ(utf8_char_start(s, 1), 1u);
    EXPECT_EQ(utf8_char_start(s, 2), 1u);
    EXPECT_EQ(utf8_char_start(s, 3), 1u);
    EXPECT_EQ(utf8_char_start(s, 4), 4u);
}

}  // namespace
