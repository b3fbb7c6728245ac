// UTF-8: the one codec of the code base. Decoding is strict everywhere (no overlong forms, no
// surrogates, nothing above U+10FFFF, no truncated sequence, no stray continuation byte); what a
// caller does with an invalid byte (reject the text, replace it, drop it) is the caller's choice.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace resumate::util {

inline constexpr char32_t kReplacementChar = 0xFFFD;

struct DecodedChar {
    char32_t cp;
    std::size_t len;  // bytes used; 0 = no valid sequence starts at this position
};

// The code point starting at s[pos] (pos < s.size()).
DecodedChar decode_utf8_char(std::string_view s, std::size_t pos);

// Appends cp as UTF-8. Encodes any value below U+110000 as is, surrogates included (callers that
// may hold them and must not emit them use encode_utf8).
void append_utf8(std::string& out, char32_t cp);

// Whole strings. decode_utf8 is nullopt for invalid text; decode_utf8_lossy maps each invalid byte
// to U+FFFD; encode_utf8 writes surrogates and values above U+10FFFF as U+FFFD.
std::optional<std::u32string> decode_utf8(std::string_view utf8);
std::u32string decode_utf8_lossy(std::string_view utf8);
std::string encode_utf8(std::u32string_view text);

// The first invalid sequence, described the way Python's UnicodeDecodeError does: `pos` is its
// first byte, `len` the bytes Python reports (the lead byte and the continuation bytes accepted
// before the failure).
struct Utf8Error {
    enum class Reason { InvalidStartByte, InvalidContinuationByte, UnexpectedEndOfData };
    std::size_t pos;
    std::size_t len;
    Reason reason;
};
std::optional<Utf8Error> find_utf8_error(std::string_view s);
bool is_valid_utf8(std::string_view s);

// Number of code points (Python len()); nullopt for invalid UTF-8.
std::optional<std::size_t> count_code_points(std::string_view utf8);
// Number of code points of text already known to be valid UTF-8 (counts lead bytes only).
std::size_t utf8_length(std::string_view valid_utf8);

// Start of the character that holds byte `pos`: steps back over continuation bytes, so cutting a
// string there never splits a sequence.
std::size_t utf8_char_start(std::string_view s, std::size_t pos);

}  // namespace resumate::util
