#include "http/message.hpp"

#include <boost/json/serialize.hpp>

#include "http/errors.hpp"
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
    // As Django reads it (ISO-8859-1): any byte may come in a Host header, and the URL goes
    // into JSON bodies, which must stay valid UTF-8.
    std::string host = util::latin1_to_utf8(header("Host").value_or("localhost"));
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

Response cache_status_response(bool hit, std::string_view data_json) {
    std::string body = hit ? R"J({"cache_status":"HIT (Response from Redis cache)","data":)J"
                           : R"J({"cache_status":"MISS (Response from database)","data":)J";
    body += data_json;
    body += '}';
    Response r = Response::raw_json(200, std::move(body));
    r.with_header("X-Cache-Status", hit ? "HIT" : "MISS");
    return r;
}

int64_t id_path_param(const Request& req, size_t index) {
    auto id =
        index < req.path_params.size() ? util::parse_int64(req.path_params[index]) : std::nullopt;
    if (!id || *id <= 0) throw_not_found();
    return *id;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (util::iequals_ascii(k, name)) return std::string_view(v);
    }
    return std::nullopt;
}

}  // namespace resumate::http
