#pragma once
#include <cstddef>
#include <functional>
#include <string>

#include "http/router.hpp"

namespace resumate::http {

// One page of a JSON array: its elements serialized and joined by commas (no brackets).
struct JsonPage {
    std::string elements;
    bool last = false;  // no page follows
};
using JsonPager = std::function<Task<JsonPage>()>;

// A 200 JSON array whose body is exactly what boost::json::serialize writes for the whole
// array, read page by page from `next`. When the first page is the whole list and its body is
// under `inline_limit` bytes, it is answered at once with Content-Length; otherwise it is
// streamed (chunked; an HTTP/1.0 client gets it ended by the close), each page asked for only
// once the previous one has been written, so one response holds one page at a time.
Task<Response> json_array_response(JsonPager next, size_t inline_limit = 64 * 1024);

// Rows to read for the next page, given the largest element serialized so far: pages of about
// 64 KiB, 1 to 64 rows. Row sizes are not known before they are read, so a list starts with
// kFirstPageRows and only grows its pages while its rows stay small.
inline constexpr size_t kFirstPageRows = 4;
inline size_t page_rows_for(size_t largest_element_bytes) {
    size_t rows = (64 * 1024) / (largest_element_bytes ? largest_element_bytes : 1);
    return rows < 1 ? 1 : rows > 64 ? 64 : rows;
}

}  // namespace resumate::http
