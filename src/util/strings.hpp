#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/utf8.hpp"  // the UTF-8 helpers (is_valid_utf8, utf8_length, ...) come with these

namespace resumate::util {

// Python's str.strip(): trims Unicode whitespace as DRF's CharField(trim_whitespace=True) does
// (ASCII whitespace, NBSP and the other Unicode spaces; UTF-8 aware).
std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::string to_lower_ascii(std::string_view s);
std::string to_upper_ascii(std::string_view s);
bool iequals_ascii(std::string_view a, std::string_view b);
std::optional<int64_t> parse_int64(std::string_view s);
// A header value as Django sees it: WSGI decodes header bytes as ISO-8859-1, so each byte is
// one code point (U+0000..U+00FF), here encoded in UTF-8.
std::string latin1_to_utf8(std::string_view s);
// 32 lowercase hex chars from 16 random bytes (uuid4().hex-like).
std::string random_hex(size_t bytes);
// Random string from [A-Za-z0-9] (Django's get_random_string).
std::string random_string(size_t length);
// Python repr()-like rendering of a double, as str(float) does ("1.0", "1e+16").
std::string python_float_str(double v);

}  // namespace resumate::util
