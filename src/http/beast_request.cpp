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

std::string serialize_head(const boost::beast::http::response_header<>& head) {
    namespace bhttp = boost::beast::http;
    std::string_view reason = head.reason();  // Beast: the set phrase, else the standard one
    if (reason.empty()) reason = bhttp::obsolete_reason(head.result());
    const unsigned version = head.version();
    const unsigned code = head.result_int();
    std::string out;
    out.reserve(256);
    const char line[] = {'H',
                         'T',
                         'T',
                         'P',
                         '/',
                         static_cast<char>('0' + version / 10 % 10),
                         '.',
                         static_cast<char>('0' + version % 10),
                         ' ',
                         static_cast<char>('0' + code / 100 % 10),
                         static_cast<char>('0' + code / 10 % 10),
                         static_cast<char>('0' + code % 10),
                         ' '};
    out.append(line, sizeof line);
    out += reason;
    out += "\r\n";
    for (const auto& f : head) {
        out += f.name_string();
        out += ": ";
        out += f.value();
        out += "\r\n";
    }
    out += "\r\n";
    return out;
}

}  // namespace resumate::http
