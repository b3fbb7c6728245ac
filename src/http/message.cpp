#include "http/message.hpp"

#include <boost/json/serialize.hpp>

#include "http/form.hpp"
#include "util/strings.hpp"

namespace resumate::http {

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (util::iequals_ascii(k, name)) return std::string_view(v);
    }
    return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    if (query.empty()) return std::nullopt;
    auto params = decode_form(query);
    if (!params) return std::nullopt;
    std::optional<std::string> out;
    for (auto& [k, v] : *params) {
        if (k == name) out = std::move(v);
    }
    return out;
}

std::string Request::base_url() const {
    std::string host = std::string(header("Host").value_or("localhost"));
    return std::string(secure ? "https://" : "http://") + host;
}

Response Response::json(unsigned status, const boost::json::value& v) {
    return raw_json(status, boost::json::serialize(v));
}

Response Response::raw_json(unsigned status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Response Response::detail(unsigned status, std::string_view text) {
    boost::json::object o;
    o["detail"] = text;
    return json(status, o);
}

Response Response::empty(unsigned status) {
    Response r;
    r.status = status;
    r.content_type.clear();
    return r;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (util::iequals_ascii(k, name)) return std::string_view(v);
    }
    return std::nullopt;
}

}  // namespace resumate::http
