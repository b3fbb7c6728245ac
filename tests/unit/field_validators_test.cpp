// Expected verdicts come from the installed Django 3.2 (UnicodeUsernameValidator() and
// EmailValidator() called on the same strings), except where a comment says we differ on purpose.
#include "users/field_validators.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace {

using resumate::users::is_valid_email;
using resumate::users::is_valid_username;
namespace text = resumate::users::text;

struct Case {
    std::string input;
    bool valid;
};

TEST(FieldValidatorsUsername, MatchesDjangoUnicodeUsernameValidator) {
    const std::vector<Case> cases = {
        {"alice", true},      {"Zoë_ü", true},
        {"bad name!", false}, {"user@example.com", true},
        {"a.b+c-d_e", true},  {"", false},
        {"名前", true},       {"иван", true},
        {"x\n", false},  // \Z: no trailing newline, unlike $
        {"tab\tname", false}, {"emoji😀", false},
        {"a/b", false},       {"١٢٣", true},  // Arabic-Indic digits are \w
        {"x²", true},                         // superscript two: str.isdigit(), so \w
        {"naïve", true},      {"O'Brien", false},
        {"a,b", false},       {"Ǆemal", true},  // titlecase letter
        {"ʰ", true},                            // modifier letter
    };
    for (const auto& [input, valid] : cases) {
        EXPECT_EQ(is_valid_username(input), valid) << "username: " << input;
    }
}

TEST(FieldValidatorsUsername, RejectsInvalidUtf8) {
    EXPECT_FALSE(is_valid_username("ab\xff"));
    EXPECT_FALSE(is_valid_username("\xC3"));           // truncated "é"
    EXPECT_FALSE(is_valid_username("\xC1\x81"));       // overlong "A"
    EXPECT_FALSE(is_valid_username("a\xED\xA0\x80"));  // UTF-8-encoded surrogate
    EXPECT_FALSE(is_valid_username(std::string("a\0b", 3)));
}

TEST(FieldValidatorsUsername, UnicodeClassificationIsAvailable) {
    // Without glibc's C.UTF-8 locale every non-ASCII username would be rejected.
    EXPECT_TRUE(text::unicode_classification_available());
}

TEST(FieldValidatorsEmail, MatchesDjangoEmailValidator) {
    const std::vector<Case> cases = {
        {"a@b.co", true},
        {"user@localhost", true},
        {"not-an-email", false},
        {"a@[127.0.0.1]", true},
        {"a@b.co.", false},
        {"user@example.com", true},
        {"first.last+tag@sub.example.org", true},
        {"USER@EXAMPLE.COM", true},
        {"!#$%&'*+/=?^_`{}|~-@example.com", true},
        {"a@b", false},
        {"a@b.c", false},
        {"@example.com", false},
        {"user@", false},
        {"user@@example.com", false},
        {".user@example.com", false},
        {"user.@example.com", false},
        {"us..er@example.com", false},
        {"\"john doe\"@example.com", false},  // a space is not qtext
        {"\"a@b\"@example.com", true},        // the last '@' separates the domain
        {"\"unterminated@example.com", false},
        {"\"bad\\\"@example.com", false},
        {"\"esc\\\"aped\"@example.com", true},
        {"user@[IPv6:2001:db8::1]", false},
        {"user@[2001:db8::1]", true},
        {"user@[::1]", true},
        {"user@[::]", true},
        {"user@[::ffff:192.168.0.1]", true},
        {"user@[1::2::3]", false},
        {"user@[256.1.1.1]", false},
        {"user@[01.2.3.4]", false},
        {"user@[1.2.3]", false},
        {"user@[1.2.3.4", false},
        {"user@1.2.3.4", false},  // not a literal, and "4" is too short for a TLD
        {"user@[1:2:3:4:5:6:7:8]", true},
        {"user@[1:2:3:4:5:6:7:8:9]", false},
        {"user@[1:2:3:4:5:6:7::]", true},
        {"user@[::1:2:3:4:5:6:7]", true},
        {"user@[:1:2:3:4:5:6:7]", false},
        {"user@[1:2:3:4:5:6:7:8:]", false},
        {"user@[1:2:3:4:5:6:1.2.3.4]", true},
        {"user@[1:2:3:4:5:6:7:1.2.3.4]", false},
        {"user@[0000:0000:0000:0000:0000:0000:0000:0001]", true},
        {"user@[0000:0000:0000:0000:0000:0000:0000:00001]", false},
        {"user@[]", false},
        {"x@[::1]]", false},
        {"user@[v1.x]", false},
        {"user@LOCALHOST", false},  // the allowlist is case-sensitive
        {"user@localhost.", false},
        {"user@-example.com", false},
        {"user@example-.com", false},
        {"user@example.c-", false},
        {"user@example.-c", true},  // Django's TLD pattern only forbids a trailing '-'
        {"user@1.23", true},
        {"user@exa_mple.com", false},
        {"user@" + std::string(63, 'a') + ".com", true},
        {"user@" + std::string(64, 'a') + ".com", false},
        {"user@example." + std::string(63, 'c'), true},
        {"user@example." + std::string(64, 'c'), false},
        {std::string(308, 'a') + "@example.com", true},  // exactly 320
        {std::string(309, 'a') + "@example.com", false},
        {"user@example.com\n", false},
        {"user name@example.com", false},
        {"üser@example.com", false},
        {std::string("a@b.co\0", 7), false},
        {"a@b..com", false},
        {"a@.b.com", false},
        {"", false},
        {"@", false},
        {"a@b.co@c.de", false},
        // Django accepts this after IDNA-encoding the domain; we deliberately do not do IDNA.
        {"user@bücher.de", false},
    };
    for (const auto& [input, valid] : cases) {
        EXPECT_EQ(is_valid_email(input), valid) << "email: " << input;
    }
}

TEST(FieldValidatorsEmail, RejectsInvalidUtf8) {
    EXPECT_FALSE(is_valid_email("\"\xff\"@example.com"));
    EXPECT_FALSE(is_valid_email("user@example.com\xff"));
}

TEST(FieldValidatorsText, DecodesStrictUtf8) {
    EXPECT_EQ(text::decode_utf8("Zoë€😀"), std::u32string(U"Zoë€😀"));
    EXPECT_FALSE(text::decode_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(text::decode_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(text::decode_utf8("\xE2\x82"));          // truncated
    EXPECT_FALSE(text::decode_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(text::decode_utf8("\x80"));              // stray continuation byte
    EXPECT_EQ(text::decode_utf8_lossy("a\xff"
                                      "b"),
              std::u32string(U"a\uFFFDb"));
    EXPECT_EQ(text::encode_utf8(U"Zoë€😀"), "Zoë€😀");
    EXPECT_EQ(text::count_code_points("Zoë"), 3u);
    EXPECT_FALSE(text::count_code_points("\xff"));
}

TEST(FieldValidatorsText, ClassifiesLikePython) {
    EXPECT_TRUE(text::is_digit(U'7'));
    EXPECT_TRUE(text::is_digit(U'\u0663'));  // ARABIC-INDIC DIGIT THREE
    EXPECT_TRUE(text::is_digit(U'\u00B2'));  // SUPERSCRIPT TWO
    EXPECT_TRUE(text::is_digit(U'\U0001D7CE'));
    EXPECT_FALSE(text::is_digit(U'\u00BD'));  // VULGAR FRACTION ONE HALF: numeric, not digit
    EXPECT_FALSE(text::is_digit(U'a'));
    EXPECT_FALSE(text::is_digit(U'\u0670'));

    EXPECT_TRUE(text::is_space(U' '));
    EXPECT_TRUE(text::is_space(U'\u00A0'));  // NBSP: Python strips it, iswspace does not
    EXPECT_TRUE(text::is_space(U'\u3000'));
    EXPECT_FALSE(text::is_space(U'\u200B'));  // ZERO WIDTH SPACE is not whitespace in Python

    EXPECT_TRUE(text::is_word_char(U'_'));
    EXPECT_TRUE(text::is_word_char(U'ß'));
    EXPECT_FALSE(text::is_word_char(U'-'));
    EXPECT_FALSE(text::is_word_char(U'\u00A0'));

    EXPECT_EQ(text::to_lower(U'A'), U'a');
    EXPECT_EQ(text::to_lower(U'Ë'), U'ë');
    EXPECT_EQ(text::to_lower(U'Ā'), U'ā');  // Latin Extended-A
    EXPECT_EQ(text::to_lower(U'Ж'), U'ж');
    EXPECT_EQ(text::to_lower(U'1'), U'1');
}

}  // namespace
