#include "http/pagination.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "util/strings.hpp"

namespace resumate::http {
namespace {

std::optional<int64_t> positive_int(const std::optional<std::string>& s, bool strict) {
    if (!s) return std::nullopt;
    auto n = util::parse_int64(util::trim(*s));
    if (!n || *n < 0 || (strict && *n == 0)) return std::nullopt;
    return n;
}

boost::json::value link(const Request& req, std::optional<int64_t> limit,
                        std::optional<int64_t> offset) {
    std::string target = req.path + (req.query.empty() ? "" : "?" + req.query);
    auto parsed = boost::urls::parse_relative_ref(target);
    if (!parsed) return nullptr;
    boost::urls::url u(*parsed);
    if (limit) u.params().set("limit", std::to_string(*limit));
    if (offset) {
        u.params().set("offset", std::to_string(*offset));
    } else {
        u.params().erase("offset");
    }
    return boost::json::string(req.base_url() + std::string(u.buffer()));
}

}  // namespace

std::optional<PageRequest> page_request(const Request& req, int64_t max_limit) {
    auto limit = positive_int(req.query_param("limit"), true);
    if (!limit) return std::nullopt;
    PageRequest p;
    p.limit = std::min(*limit, max_limit);
    p.offset = positive_int(req.query_param("offset"), false).value_or(0);
    return p;
}

boost::json::object page_envelope(const Request& req, const PageRequest& page, int64_t count,
                                  boost::json::array results) {
    boost::json::object o;
    o["count"] = count;
    // offset and limit come from the query string: compare without overflowing int64.
    o["next"] = page.offset < count && page.limit < count - page.offset
                    ? link(req, page.limit, page.offset + page.limit)
                    : nullptr;
    if (page.offset <= 0) {
        o["previous"] = nullptr;
    } else if (page.offset - page.limit <= 0) {
        o["previous"] = link(req, page.limit, std::nullopt);
    } else {
        o["previous"] = link(req, page.limit, page.offset - page.limit);
    }
    o["results"] = std::move(results);
    return o;
}

}  // namespace resumate::http
