#include "http/errors.hpp"

#include <algorithm>
#include <boost/json/array.hpp>

namespace resumate::http {

Error Error::validation(boost::json::object field_messages) {
    Error e(ErrorKind::Validation, {});
    e.fields_ = std::move(field_messages);
    return e;
}

Error Error::unauthorized(std::string detail, std::string_view code, boost::json::array messages) {
    Error e(ErrorKind::Unauthorized, std::move(detail));
    if (!code.empty()) e.fields_["code"] = code;
    if (!messages.empty()) e.fields_["messages"] = std::move(messages);
    return e;
}

Error Error::method_not_allowed(std::string_view method) {
    return {ErrorKind::MethodNotAllowed, "Method \"" + std::string(method) + "\" not allowed."};
}

Error Error::throttled(int64_t seconds, std::string detail) {
    const int64_t n = std::max<int64_t>(1, seconds);
    if (detail.empty()) {
        detail = "Request was throttled. Expected available in " + std::to_string(n) +
                 (n == 1 ? " second." : " seconds.");
    }
    Error e(ErrorKind::Throttled, std::move(detail));
    e.retry_after_ = n;
    return e;
}

namespace {

unsigned status_of(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::BadRequest:
        case ErrorKind::Validation:
            return 400;
        case ErrorKind::Unauthorized:
            return 401;
        case ErrorKind::Forbidden:
        case ErrorKind::QuotaExceeded:
            return 403;
        case ErrorKind::NotFound:
            return 404;
        case ErrorKind::MethodNotAllowed:
            return 405;
        case ErrorKind::NotAcceptable:
            return 406;
        case ErrorKind::PayloadTooLarge:
            return 413;
        case ErrorKind::UnsupportedMediaType:
            return 415;
        case ErrorKind::Throttled:
            return 429;
        case ErrorKind::HeadersTooLarge:
            return 431;
        case ErrorKind::ServerError:
            return 500;
        case ErrorKind::Unavailable:
        case ErrorKind::UpstreamUnavailable:
            return 503;
    }
    return 500;
}

}  // namespace

Response error_response(const Error& e) {
    const unsigned status = status_of(e.kind());
    Response r;
    switch (e.kind()) {
        case ErrorKind::Validation:
            r = Response::json(status, e.fields());
            break;
        case ErrorKind::UpstreamUnavailable:
            r = Response::json(status, boost::json::object{{"error", e.detail()}});
            break;
        case ErrorKind::QuotaExceeded:
            r = Response::json(
                status, boost::json::object{{"detail", e.detail()}, {"code", "quota_exceeded"}});
            break;
        default: {
            boost::json::object body{{"detail", e.detail()}};
            for (const auto& field : e.fields()) body[field.key()] = field.value();
            r = Response::json(status, body);
        }
    }
    if (e.kind() == ErrorKind::Unauthorized)
        r.with_header("WWW-Authenticate", "Bearer realm=\"api\"");
    if (e.retry_after()) r.with_header("Retry-After", std::to_string(*e.retry_after()));
    if (e.kind() == ErrorKind::Unavailable) r.with_header("Retry-After", "1");
    return r;
}

void ValidationErrors::add(std::string_view field, std::string_view message) {
    auto it = errors_.find(field);
    if (it == errors_.end()) {
        errors_[field] = boost::json::array{boost::json::string(message)};
    } else {
        it->value().as_array().emplace_back(boost::json::string(message));
    }
}

void ValidationErrors::raise() const {
    throw Error::validation(errors_);
}

void throw_not_found() {
    throw Error::not_found();
}

void throw_validation(std::string_view field, std::string_view message) {
    ValidationErrors e;
    e.add(field, message);
    e.raise();
}

}  // namespace resumate::http
