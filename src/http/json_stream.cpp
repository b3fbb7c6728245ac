#include "http/json_stream.hpp"

#include <memory>

namespace resumate::http {

namespace {

Task<void> write_pages(std::shared_ptr<JsonPage> pending, JsonPager next, ResponseStream& out) {
    JsonPage page = std::move(*pending);
    pending->elements = {};
    bool any = !page.elements.empty();
    page.elements.insert(page.elements.begin(), '[');
    if (!co_await out.write(page.elements)) co_return;
    while (!page.last) {
        page = co_await next();
        if (page.elements.empty()) continue;
        if (any) page.elements.insert(page.elements.begin(), ',');
        any = true;
        if (!co_await out.write(page.elements)) co_return;
    }
    co_await out.write("]");
}

}  // namespace

Task<Response> json_array_response(JsonPager next, size_t inline_limit) {
    JsonPage first = co_await next();
    if (first.last && first.elements.size() + 2 <= inline_limit) {
        std::string body;
        body.reserve(first.elements.size() + 2);
        body += '[';
        body += first.elements;
        body += ']';
        co_return Response::raw_json(200, std::move(body));
    }
    Response res;
    res.status = 200;
    res.stream_watches_client = false;
    // A plain lambda that hands its captures to a coroutine by value: the coroutine then owns
    // everything it uses, whatever becomes of the lambda.
    auto pending = std::make_shared<JsonPage>(std::move(first));
    res.stream = [pending, next = std::move(next)](ResponseStream& out) {
        return write_pages(pending, next, out);
    };
    co_return res;
}

}  // namespace resumate::http
