#include "users/field_validators.hpp"

#include <locale.h>
#include <utf8proc.h>
#include <wctype.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <type_traits>
#include <vector>

namespace resumate::users {
namespace {

bool is_ascii_alnum(char32_t c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

std::string normalize_username(std::string_view username) {
    // ASCII is its own NFKC form: the common case needs no copy through the library.
    if (std::all_of(username.begin(), username.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return std::string(username);
    utf8proc_uint8_t* out = nullptr;
    utf8proc_ssize_t n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(username.data()),
        static_cast<utf8proc_ssize_t>(username.size()), &out,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
    if (n < 0) return std::string(username);
    return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

namespace text {
namespace {

struct LocaleDeleter {
    void operator()(std::remove_pointer_t<locale_t>* loc) const { freelocale(loc); }
};
using LocaleHandle = std::unique_ptr<std::remove_pointer_t<locale_t>, LocaleDeleter>;

// A private locale object instead of setlocale(): setlocale is process-global and not
// thread-safe, and the rest of the program must keep running in the "C" locale.
locale_t c_utf8_locale() {
    static const LocaleHandle handle{newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{})};
    return handle.get();
}

// Generated from Python 3.11's str.isdigit() over all code points (Unicode 14.0): Python's
// NumericPasswordValidator and \w both use it, and glibc's iswdigit only knows ASCII.
constexpr std::array<std::pair<char32_t, char32_t>, 81> kDigitRanges{{
    {0x30, 0x39},       {0xB2, 0xB3},       {0xB9, 0xB9},       {0x660, 0x669},
    {0x6F0, 0x6F9},     {0x7C0, 0x7C9},     {0x966, 0x96F},     {0x9E6, 0x9EF},
    {0xA66, 0xA6F},     {0xAE6, 0xAEF},     {0xB66, 0xB6F},     {0xBE6, 0xBEF},
    {0xC66, 0xC6F},     {0xCE6, 0xCEF},     {0xD66, 0xD6F},     {0xDE6, 0xDEF},
    {0xE50, 0xE59},     {0xED0, 0xED9},     {0xF20, 0xF29},     {0x1040, 0x1049},
    {0x1090, 0x1099},   {0x1369, 0x1371},   {0x17E0, 0x17E9},   {0x1810, 0x1819},
    {0x1946, 0x194F},   {0x19D0, 0x19DA},   {0x1A80, 0x1A89},   {0x1A90, 0x1A99},
    {0x1B50, 0x1B59},   {0x1BB0, 0x1BB9},   {0x1C40, 0x1C49},   {0x1C50, 0x1C59},
    {0x2070, 0x2070},   {0x2074, 0x2079},   {0x2080, 0x2089},   {0x2460, 0x2468},
    {0x2474, 0x247C},   {0x2488, 0x2490},   {0x24EA, 0x24EA},   {0x24F5, 0x24FD},
    {0x24FF, 0x24FF},   {0x2776, 0x277E},   {0x2780, 0x2788},   {0x278A, 0x2792},
    {0xA620, 0xA629},   {0xA8D0, 0xA8D9},   {0xA900, 0xA909},   {0xA9D0, 0xA9D9},
    {0xA9F0, 0xA9F9},   {0xAA50, 0xAA59},   {0xABF0, 0xABF9},   {0xFF10, 0xFF19},
    {0x104A0, 0x104A9}, {0x10A40, 0x10A43}, {0x10D30, 0x10D39}, {0x10E60, 0x10E68},
    {0x11052, 0x1105A}, {0x11066, 0x1106F}, {0x110F0, 0x110F9}, {0x11136, 0x1113F},
    {0x111D0, 0x111D9}, {0x112F0, 0x112F9}, {0x11450, 0x11459}, {0x114D0, 0x114D9},
    {0x11650, 0x11659}, {0x116C0, 0x116C9}, {0x11730, 0x11739}, {0x118E0, 0x118E9},
    {0x11950, 0x11959}, {0x11C50, 0x11C59}, {0x11D50, 0x11D59}, {0x11DA0, 0x11DA9},
    {0x16A60, 0x16A69}, {0x16AC0, 0x16AC9}, {0x16B50, 0x16B59}, {0x1D7CE, 0x1D7FF},
    {0x1E140, 0x1E149}, {0x1E2F0, 0x1E2F9}, {0x1E950, 0x1E959}, {0x1F100, 0x1F10A},
    {0x1FBF0, 0x1FBF9},
}};

// Python's \w also takes every str.isnumeric() character; these are the ones that are neither
// digits (above) nor letters: fractions, Roman numerals, circled numbers beyond nine, ...
// Generated from Python 3.11 (Unicode 14.0) like the table above.
constexpr std::array<std::pair<char32_t, char32_t>, 79> kOtherNumericRanges{{
    {0xBC, 0xBE},       {0x9F4, 0x9F9},     {0xB72, 0xB77},     {0xBF0, 0xBF2},
    {0xC78, 0xC7E},     {0xD58, 0xD5E},     {0xD70, 0xD78},     {0xF2A, 0xF33},
    {0x1372, 0x137C},   {0x16EE, 0x16F0},   {0x17F0, 0x17F9},   {0x2150, 0x2182},
    {0x2185, 0x2189},   {0x2469, 0x2473},   {0x247D, 0x2487},   {0x2491, 0x249B},
    {0x24EB, 0x24F4},   {0x24FE, 0x24FE},   {0x277F, 0x277F},   {0x2789, 0x2789},
    {0x2793, 0x2793},   {0x2CFD, 0x2CFD},   {0x3007, 0x3007},   {0x3021, 0x3029},
    {0x3038, 0x303A},   {0x3192, 0x3195},   {0x3220, 0x3229},   {0x3248, 0x324F},
    {0x3251, 0x325F},   {0x3280, 0x3289},   {0x32B1, 0x32BF},   {0xA6E6, 0xA6EF},
    {0xA830, 0xA835},   {0x10107, 0x10133}, {0x10140, 0x10178}, {0x1018A, 0x1018B},
    {0x102E1, 0x102FB}, {0x10320, 0x10323}, {0x10341, 0x10341}, {0x1034A, 0x1034A},
    {0x103D1, 0x103D5}, {0x10858, 0x1085F}, {0x10879, 0x1087F}, {0x108A7, 0x108AF},
    {0x108FB, 0x108FF}, {0x10916, 0x1091B}, {0x109BC, 0x109BD}, {0x109C0, 0x109CF},
    {0x109D2, 0x109FF}, {0x10A44, 0x10A48}, {0x10A7D, 0x10A7E}, {0x10A9D, 0x10A9F},
    {0x10AEB, 0x10AEF}, {0x10B58, 0x10B5F}, {0x10B78, 0x10B7F}, {0x10BA9, 0x10BAF},
    {0x10CFA, 0x10CFF}, {0x10E69, 0x10E7E}, {0x10F1D, 0x10F26}, {0x10F51, 0x10F54},
    {0x10FC5, 0x10FCB}, {0x1105B, 0x11065}, {0x111E1, 0x111F4}, {0x1173A, 0x1173B},
    {0x118EA, 0x118F2}, {0x11C5A, 0x11C6C}, {0x11FC0, 0x11FD4}, {0x12400, 0x1246E},
    {0x16B5B, 0x16B61}, {0x16E80, 0x16E96}, {0x1D2E0, 0x1D2F3}, {0x1D360, 0x1D378},
    {0x1E8C7, 0x1E8CF}, {0x1EC71, 0x1ECAB}, {0x1ECAD, 0x1ECAF}, {0x1ECB1, 0x1ECB4},
    {0x1ED01, 0x1ED2D}, {0x1ED2F, 0x1ED3D}, {0x1F10B, 0x1F10C},
}};

// glibc's "alpha" is Unicode's Alphabetic property, which also covers the circled and squared
// Latin letters (category So); Python's \w does not take them.
constexpr std::array<std::pair<char32_t, char32_t>, 4> kAlphabeticSymbolRanges{{
    {0x24B6, 0x24E9},
    {0x1F130, 0x1F149},
    {0x1F150, 0x1F169},
    {0x1F170, 0x1F189},
}};

template <std::size_t N>
bool in_ranges(const std::array<std::pair<char32_t, char32_t>, N>& ranges, char32_t c) {
    // Ranges are sorted and disjoint: find the first range ending at or after c.
    const auto it =
        std::lower_bound(ranges.begin(), ranges.end(), c,
                         [](const auto& range, char32_t v) { return range.second < v; });
    return it != ranges.end() && it->first <= c;
}

}  // namespace

bool is_digit(char32_t c) {
    return in_ranges(kDigitRanges, c);
}

bool is_space(char32_t c) {
    switch (c) {
        case 0x09:
        case 0x0A:
        case 0x0B:
        case 0x0C:
        case 0x0D:
        case 0x1C:
        case 0x1D:
        case 0x1E:
        case 0x1F:
        case 0x20:
        case 0x85:
        case 0xA0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202F:
        case 0x205F:
        case 0x3000:
            return true;
        default:
            return c >= 0x2000 && c <= 0x200A;
    }
}

bool is_word_char(char32_t c) {
    if (c < 0x80) return c == '_' || is_ascii_alnum(c);
    if (is_digit(c) || in_ranges(kOtherNumericRanges, c)) return true;
    if (in_ranges(kAlphabeticSymbolRanges, c)) return false;
    const locale_t loc = c_utf8_locale();
    if (loc == locale_t{}) return false;
    // Alphabetic also includes combining vowel signs and other marks (category M), which
    // Python's \w leaves out; glibc's "combining" class names exactly those.
    static const wctype_t combining = wctype_l("combining", loc);
    const auto wc = static_cast<wint_t>(c);
    return iswalnum_l(wc, loc) != 0 && (combining == 0 || iswctype_l(wc, combining, loc) == 0);
}

char32_t to_lower(char32_t c) {
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
    const locale_t loc = c_utf8_locale();
    if (loc == locale_t{}) return c;
    return static_cast<char32_t>(towlower_l(static_cast<wint_t>(c), loc));
}

std::u32string lower(std::u32string_view s) {
    constexpr char32_t kCapitalIWithDotAbove = 0x130;
    constexpr char32_t kCombiningDotAbove = 0x307;
    std::u32string out;
    out.reserve(s.size());
    for (char32_t c : s) {
        if (c == kCapitalIWithDotAbove) {
            out.push_back(U'i');
            out.push_back(kCombiningDotAbove);
        } else {
            out.push_back(to_lower(c));
        }
    }
    return out;
}

bool unicode_classification_available() {
    return c_utf8_locale() != locale_t{};
}

}  // namespace text

namespace {

// RFC 5322 atext, the character class of Django's dot-atom regex.
bool is_atext(char c) {
    static constexpr std::string_view kSpecials = "-!#$%&'*+/=?^_`{}|~";
    return is_ascii_alnum(static_cast<unsigned char>(c)) || kSpecials.find(c) != kSpecials.npos;
}

bool is_dot_atom(std::string_view s) {
    if (s.empty()) return false;
    bool previous_was_dot = true;  // a leading dot is as bad as two in a row
    for (char c : s) {
        if (c == '.') {
            if (previous_was_dot) return false;
            previous_was_dot = true;
        } else if (is_atext(c)) {
            previous_was_dot = false;
        } else {
            return false;
        }
    }
    return !previous_was_dot;
}

// Django's quoted-string alternative. Its two branches (qtext, backslash pair) are disjoint, so a
// single left-to-right pass decides the same as the backtracking regex.
bool is_quoted_string(std::string_view s) {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
    const std::string_view inner = s.substr(1, s.size() - 2);
    for (std::size_t i = 0; i < inner.size(); ++i) {
        const auto c = static_cast<unsigned char>(inner[i]);
        if (c == '\\') {
            if (++i == inner.size()) return false;
            const auto e = static_cast<unsigned char>(inner[i]);
            if (e == 0 || e == '\n' || e == '\r' || e > 0x7F) return false;
        } else {
            const bool qtext = (c >= 0x01 && c <= 0x08) || c == 0x0B || c == 0x0C ||
                               (c >= 0x0E && c <= 0x1F) || c == '!' || (c >= '#' && c <= '[') ||
                               (c >= ']' && c <= 0x7F);
            if (!qtext) return false;
        }
    }
    return true;
}

bool is_ldh(char c) {
    return c == '-' || is_ascii_alnum(static_cast<unsigned char>(c));
}

// ((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63}(?<!-))\Z, case-insensitive.
// Labels cannot contain dots, so splitting on '.' decides the same as the regex.
bool is_domain_name(std::string_view domain) {
    const std::size_t last_dot = domain.rfind('.');
    if (last_dot == std::string_view::npos) return false;
    const std::string_view tld = domain.substr(last_dot + 1);
    if (tld.size() < 2 || tld.size() > 63 || tld.back() == '-') return false;
    if (!std::all_of(tld.begin(), tld.end(), is_ldh)) return false;

    std::string_view labels = domain.substr(0, last_dot);
    while (true) {
        const std::size_t dot = labels.find('.');
        const std::string_view label = labels.substr(0, dot);
        if (label.empty() || label.size() > 63) return false;
        if (label.front() == '-' || label.back() == '-') return false;
        if (!std::all_of(label.begin(), label.end(), is_ldh)) return false;
        if (dot == std::string_view::npos) return true;
        labels.remove_prefix(dot + 1);
    }
}

// Python's ipaddress.IPv4Address plus Django's leading-zero rule: four ASCII decimal octets,
// 0-255, no leading zeros.
bool is_ipv4(std::string_view s) {
    int octets = 0;
    while (true) {
        const std::size_t dot = s.find('.');
        const std::string_view octet = s.substr(0, dot);
        if (octet.empty() || octet.size() > 3) return false;
        if (!std::all_of(octet.begin(), octet.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        if (octet.size() > 1 && octet.front() == '0') return false;
        int value = 0;
        for (char c : octet) value = value * 10 + (c - '0');
        if (value > 255) return false;
        ++octets;
        if (dot == std::string_view::npos) break;
        s.remove_prefix(dot + 1);
    }
    return octets == 4;
}

bool is_hextet(std::string_view s) {
    const auto hex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    return !s.empty() && s.size() <= 4 && std::all_of(s.begin(), s.end(), hex);
}

// Python's ipaddress.IPv6Address (without a %scope, which Django's literal regex cannot carry)
// and django.utils.ipv6's 39-character limit. Follows CPython's rules on where empty parts
// ("::") may appear and how an embedded IPv4 tail counts as two hextets.
bool is_ipv6(std::string_view s) {
    constexpr std::size_t kMaxLength = 39;
    constexpr std::size_t kHextets = 8;
    if (s.empty() || s.size() > kMaxLength) return false;

    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t colon = s.find(':', start);
        parts.push_back(s.substr(start, colon == s.npos ? s.npos : colon - start));
        if (colon == s.npos) break;
        start = colon + 1;
    }
    if (parts.size() < 3) return false;
    // An IPv4 tail stands for two hextets; its value is irrelevant here, only its validity.
    std::size_t ipv4_tail_hextets = 0;
    if (parts.back().find('.') != std::string_view::npos) {
        if (!is_ipv4(parts.back())) return false;
        parts.pop_back();
        ipv4_tail_hextets = 2;
    }
    const std::size_t total = parts.size() + ipv4_tail_hextets;
    if (total > kHextets + 1) return false;

    std::optional<std::size_t> skip;
    for (std::size_t i = 1; i + 1 < total; ++i) {
        if (i < parts.size() && parts[i].empty()) {
            if (skip) return false;
            skip = i;
        }
    }
    // Indices at or past parts.size() are the (non-empty) hextets of the IPv4 tail.
    const auto empty_at = [&](std::size_t i) { return i < parts.size() && parts[i].empty(); };
    std::size_t hi = 0;
    std::size_t lo = 0;
    if (skip) {
        hi = *skip;
        lo = total - *skip - 1;
        if (empty_at(0) && --hi != 0) return false;
        if (empty_at(total - 1) && --lo != 0) return false;
        if (hi + lo >= kHextets) return false;
    } else {
        if (total != kHextets || empty_at(0) || empty_at(total - 1)) return false;
        hi = total;
    }
    for (std::size_t i = 0; i < hi; ++i) {
        if (i < parts.size() && !is_hextet(parts[i])) return false;
    }
    for (std::size_t i = total - lo; i < total; ++i) {
        if (i < parts.size() && !is_hextet(parts[i])) return false;
    }
    return true;
}

bool is_valid_domain_part(std::string_view domain) {
    if (is_domain_name(domain)) return true;
    // \[([A-f0-9:.]+)\]\Z: ']' is inside that class, so the group is everything between the
    // first '[' and the final ']'; the IP parsers reject any character the class would allow.
    if (domain.size() >= 3 && domain.front() == '[' && domain.back() == ']') {
        const std::string_view literal = domain.substr(1, domain.size() - 2);
        return is_ipv4(literal) || is_ipv6(literal);
    }
    return false;
}

}  // namespace

bool is_valid_username(std::string_view username_utf8) {
    const auto decoded = text::decode_utf8(username_utf8);
    if (!decoded || decoded->empty()) return false;
    return std::all_of(decoded->begin(), decoded->end(), [](char32_t c) {
        return c == '.' || c == '@' || c == '+' || c == '-' || text::is_word_char(c);
    });
}

bool is_valid_email(std::string_view email) {
    constexpr std::size_t kMaxLength = 320;  // RFC 3696 section 3, as Django counts it
    const auto length = text::count_code_points(email);
    if (!length || *length == 0 || *length > kMaxLength) return false;
    const std::size_t at = email.rfind('@');
    if (at == std::string_view::npos) return false;
    const std::string_view user = email.substr(0, at);
    const std::string_view domain = email.substr(at + 1);
    if (!is_dot_atom(user) && !is_quoted_string(user)) return false;
    return domain == "localhost" || is_valid_domain_part(domain);
}

}  // namespace resumate::users
