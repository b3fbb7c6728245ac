#include "http/beast_request.hpp"

namespace resumate::http {

Request request_from_beast(boost::beast::http::request<boost::beast::http::string_body>& msg,
                           const std::string& client_ip) {
    Request r;
    r.version = msg.version();
    r.method = std::string(msg.method_string());
    std::string_view target = msg.target();
    size_t q = target.find('?');
    r.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
    r.headers.reserve(8);
    for (const auto& f : msg)
        r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.body = std::move(msg.body());
    r.client_ip = client_ip;
    return r;
}

}  // namespace resumate::http
