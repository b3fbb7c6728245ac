#include "http/form.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <cctype>

namespace resumate::http {

std::optional<std::vector<std::pair<std::string, std::string>>> decode_form(std::string_view s) {
    std::vector<std::pair<std::string, std::string>> out;
    if (s.empty()) return out;
    // In form encoding a literal '+' is a space (a real plus arrives as %2B). Rewriting it as
    // %20 first lets Boost.URL's plain percent-decoding do the rest. (The encoding_opts
    // constructor of params_view is declared but not exported by Debian's Boost 1.81.)
    // Python's parse_qsl is lenient: raw bytes that a URL query may not hold (NUL, spaces,
    // non-ASCII, a '%' not followed by two hex digits, ...) are taken as they are. Percent-
    // encoding them first keeps Boost.URL's strict grammar from refusing the whole body, so a
    // NUL or a bad UTF-8 sequence is reported for its field (or as "not valid UTF-8").
    static constexpr std::string_view kKeep = "-._~!$&'()*,;=:@/?";
    static constexpr char kHex[] = "0123456789ABCDEF";
    auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    std::string rewritten;
    rewritten.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        auto u = static_cast<unsigned char>(c);
        if (c == '+') {
            rewritten += "%20";
        } else if (c == '%' && i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
            rewritten.push_back(c);
        } else if (std::isalnum(u) || (u < 0x80 && kKeep.find(c) != std::string_view::npos)) {
            rewritten.push_back(c);
        } else {
            rewritten.push_back('%');
            rewritten.push_back(kHex[u >> 4]);
            rewritten.push_back(kHex[u & 15]);
        }
    }
    auto parsed = boost::urls::parse_query(rewritten);
    if (!parsed) return std::nullopt;
    (void)parsed;
    boost::urls::params_view params(rewritten);
    for (auto p : params) {
        if (p.key.empty() && !p.has_value) continue;
        out.emplace_back(std::move(p.key), std::move(p.value));
    }
    return out;
}

}  // namespace resumate::http
