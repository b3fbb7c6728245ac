#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

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
// 64 KiB, 1 to 64 rows.
inline size_t page_rows_for(size_t largest_element_bytes) {
    size_t rows = (64 * 1024) / (largest_element_bytes ? largest_element_bytes : 1);
    return rows < 1 ? 1 : rows > 64 ? 64 : rows;
}

// A list whose first rows are read whole with the ids of the rest (one query: a
// db::ListHead), then the rest a page at a time as the answer is written: `fetch` reads the rows
// of some ids (in their order), `serialize` writes one row. The first page is the head; each
// later one holds about 64 KiB of rows, so one answer never holds the whole list. A list whose
// head is all of it is one query and one write.
template <typename Row>
struct IdListPager {
    std::vector<Row> head;
    std::vector<int64_t> ids;  // the rows after the head
    std::function<Task<std::vector<Row>>(const std::vector<int64_t>&)> fetch;
    std::function<std::string(const Row&)> serialize;
    size_t pos = 0;
    size_t rows = 1;
    bool head_written = false;
};

template <typename Row>
Task<JsonPage> next_page(std::shared_ptr<IdListPager<Row>> state) {
    IdListPager<Row>& s = *state;
    JsonPage page;
    std::vector<Row> found;
    if (!s.head_written) {
        s.head_written = true;
        found = std::move(s.head);
        s.head = {};
    } else if (size_t n = std::min(s.rows, s.ids.size() - s.pos); n > 0) {
        std::vector<int64_t> wanted(s.ids.begin() + static_cast<std::ptrdiff_t>(s.pos),
                                    s.ids.begin() + static_cast<std::ptrdiff_t>(s.pos + n));
        found = co_await s.fetch(wanted);
        s.pos += n;
    }
    size_t largest = 0;
    for (auto& row : found) {
        size_t before = page.elements.size();
        if (before) page.elements += ',';
        page.elements += s.serialize(row);
        largest = std::max(largest, page.elements.size() - before);
        row = Row{};  // let go of the row as soon as it is written out
    }
    if (!found.empty()) s.rows = page_rows_for(largest);
    page.last = s.pos >= s.ids.size();
    co_return page;
}

// The 200 answer of such a list (see json_array_response).
template <typename Row>
Task<Response> id_list_response(std::shared_ptr<IdListPager<Row>> state) {
    // Not a coroutine lambda: next_page owns its copy of the state. Built outside the co_await:
    // GCC 12 destroys a temporary with a non-trivial capture twice there.
    JsonPager pager = [state] { return next_page(state); };
    co_return co_await json_array_response(std::move(pager));
}

}  // namespace resumate::http
