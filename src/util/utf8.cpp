#include "util/utf8.hpp"

namespace resumate::util {
namespace {

struct Sequence {
    std::size_t len;  // > 0: a valid sequence of this length
    std::size_t bad;  // len == 0: bytes Python reports for the error
    Utf8Error::Reason reason;
};

// Examines the sequence whose lead byte s[i] is not ASCII. The ranges allowed for the second
// byte exclude overlong forms (after E0, F0), surrogates (after ED) and values above U+10FFFF
// (after F4); C0, C1 and F5..FF never start a sequence.
Sequence examine(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0xC2 || c > 0xF4) return {0, 1, Utf8Error::Reason::InvalidStartByte};
    const std::size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    const unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    for (std::size_t k = 1; k < len; ++k) {
        if (i + k >= s.size()) return {0, k, Utf8Error::Reason::UnexpectedEndOfData};
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
            return {0, k, Utf8Error::Reason::InvalidContinuationByte};
    }
    return {len, 0, Utf8Error::Reason::InvalidStartByte};
}

}  // namespace

DecodedChar decode_utf8_char(std::string_view s, std::size_t pos) {
    const auto c0 = static_cast<unsigned char>(s[pos]);
    if (c0 < 0x80) return {c0, 1};
    const Sequence seq = examine(s, pos);
    if (seq.len == 0) return {0, 0};
    char32_t cp = c0 & (seq.len == 2 ? 0x1Fu : seq.len == 3 ? 0x0Fu : 0x07u);
    for (std::size_t k = 1; k < seq.len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[pos + k]) & 0x3Fu);
    return {cp, seq.len};
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::optional<std::u32string> decode_utf8(std::string_view utf8) {
    std::u32string out;
    out.reserve(utf8.size());
    for (std::size_t pos = 0; pos < utf8.size();) {
        const DecodedChar d = decode_utf8_char(utf8, pos);
        if (d.len == 0) return std::nullopt;
        out.push_back(d.cp);
        pos += d.len;
    }
    return out;
}

std::u32string decode_utf8_lossy(std::string_view utf8) {
    std::u32string out;
    out.reserve(utf8.size());
    for (std::size_t pos = 0; pos < utf8.size();) {
        const DecodedChar d = decode_utf8_char(utf8, pos);
        out.push_back(d.len == 0 ? kReplacementChar : d.cp);
        pos += d.len == 0 ? 1 : d.len;
    }
    return out;
}

std::string encode_utf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = kReplacementChar;
        append_utf8(out, c);
    }
    return out;
}

std::optional<Utf8Error> find_utf8_error(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const Sequence seq = examine(s, i);
        if (seq.len == 0) return Utf8Error{i, seq.bad, seq.reason};
        i += seq.len;
    }
    return std::nullopt;
}

bool is_valid_utf8(std::string_view s) {
    return !find_utf8_error(s).has_value();
}

std::optional<std::size_t> count_code_points(std::string_view utf8) {
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < utf8.size(); ++count) {
        const DecodedChar d = decode_utf8_char(utf8, pos);
        if (d.len == 0) return std::nullopt;
        pos += d.len;
    }
    return count;
}

std::size_t utf8_length(std::string_view valid_utf8) {
    std::size_t n = 0;
    for (unsigned char c : valid_utf8) n += (c & 0xC0) != 0x80;
    return n;
}

std::size_t utf8_char_start(std::string_view s, std::size_t pos) {
    while (pos > 0 && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
    return pos;
}

}  // namespace resumate::util
