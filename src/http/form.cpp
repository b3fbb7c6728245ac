#include "http/form.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace resumate::http {

std::optional<std::vector<std::pair<std::string, std::string>>> decode_form(std::string_view s) {
    std::vector<std::pair<std::string, std::string>> out;
    if (s.empty()) return out;
    // In form encoding a literal '+' is a space (a real plus arrives as %2B). Rewriting it as
    // %20 first lets Boost.URL's plain percent-decoding do the rest. (The encoding_opts
    // constructor of params_view is declared but not exported by Debian's Boost 1.81.)
    std::string text(s);
    std::string rewritten;
    rewritten.reserve(text.size());
    for (char c : text) {
        if (c == '+') rewritten += "%20";
        else rewritten.push_back(c);
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
