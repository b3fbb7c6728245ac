#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>

#include "http/message.hpp"

namespace resumate::http {

// DRF's LimitOffsetPagination with no default limit: only ?limit= switches it on.
struct PageRequest {
    int64_t limit = 0;
    int64_t offset = 0;
};
std::optional<PageRequest> page_request(const Request& req, int64_t max_limit = 1000);
// {"count", "next", "previous", "results"} with absolute next/previous URLs.
boost::json::object page_envelope(const Request& req, const PageRequest& page, int64_t count,
                                  boost::json::array results);

}  // namespace resumate::http
