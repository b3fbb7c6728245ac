#pragma once
// Every way a request can fail, as the API answers it. Code anywhere below a handler throws an
// http::Error of one kind; error_response() is the one function that turns a kind into its
// status, DRF-shaped body and headers. Nothing else builds an error response.
#include <boost/json/object.hpp>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace resumate::http {

enum class ErrorKind {
    BadRequest,            // 400 {"detail": …} (a request or body that cannot be parsed)
    Validation,            // 400 {"field": ["message", …], …}
    Unauthorized,          // 401 {"detail": …[, "code": …, "messages": …]} + WWW-Authenticate
    Forbidden,             // 403 {"detail": …}
    QuotaExceeded,         // 403 {"detail": …, "code": "quota_exceeded"}
    NotFound,              // 404 {"detail": "Not found."}
    MethodNotAllowed,      // 405 {"detail": "Method \"…\" not allowed."}
    NotAcceptable,         // 406 {"detail": …}
    PayloadTooLarge,       // 413 {"detail": "Request body too large."}
    UnsupportedMediaType,  // 415 {"detail": …}
    Throttled,             // 429 {"detail": …} + Retry-After
    HeadersTooLarge,       // 431 {"detail": "Request header fields too large."}
    ServerError,           // 500 {"detail": "A server error occurred."}
    Unavailable,           // 503 {"detail": "Service temporarily unavailable."} + Retry-After: 1
    UpstreamUnavailable,   // 503 {"error": …} (the AI service could not answer)
};

class Error : public std::exception {
  public:
    Error(ErrorKind kind, std::string detail) : kind_(kind), detail_(std::move(detail)) {}
    const char* what() const noexcept override { return detail_.c_str(); }
    ErrorKind kind() const { return kind_; }
    // The message the body carries (empty for a validation error).
    const std::string& detail() const { return detail_; }
    // Members of the body after "detail" (a 401's "code" and "messages"), or a validation
    // error's whole body.
    const boost::json::object& fields() const { return fields_; }
    std::optional<int64_t> retry_after() const { return retry_after_; }

    static Error bad_request(std::string detail) {
        return {ErrorKind::BadRequest, std::move(detail)};
    }
    static Error not_found() { return {ErrorKind::NotFound, "Not found."}; }
    static Error validation(boost::json::object field_messages);
    // simplejwt's 401 bodies: {"detail": …, "code": …[, "messages": […]]}.
    static Error unauthorized(std::string detail, std::string_view code = {},
                              boost::json::array messages = {});
    static Error not_authenticated() {
        return unauthorized("Authentication credentials were not provided.");
    }
    static Error permission_denied(
        std::string detail = "You do not have permission to perform this action.") {
        return {ErrorKind::Forbidden, std::move(detail)};
    }
    static Error quota_exceeded(std::string detail) {
        return {ErrorKind::QuotaExceeded, std::move(detail)};
    }
    static Error method_not_allowed(std::string_view method);
    static Error not_acceptable() {
        return {ErrorKind::NotAcceptable, "Could not satisfy the request Accept header."};
    }
    static Error unsupported_media_type(std::string detail) {
        return {ErrorKind::UnsupportedMediaType, std::move(detail)};
    }
    // DRF's throttle answer, "Expected available in N second(s).", or `detail` when given
    // (a daily limit); Retry-After: N (at least 1).
    static Error throttled(int64_t seconds, std::string detail = {});
    static Error payload_too_large() {
        return {ErrorKind::PayloadTooLarge, "Request body too large."};
    }
    static Error headers_too_large() {
        return {ErrorKind::HeadersTooLarge, "Request header fields too large."};
    }
    static Error server_error() { return {ErrorKind::ServerError, "A server error occurred."}; }
    static Error unavailable() {
        return {ErrorKind::Unavailable, "Service temporarily unavailable."};
    }
    static Error upstream_unavailable(std::string message) {
        return {ErrorKind::UpstreamUnavailable, std::move(message)};
    }

  private:
    ErrorKind kind_;
    std::string detail_;
    boost::json::object fields_;
    std::optional<int64_t> retry_after_;
};

// The one mapping from an error to its answer.
Response error_response(const Error& e);

// DRF's serializer errors, collected field by field and thrown together as one
// ErrorKind::Validation error: 400 {"field": ["message", ...], ...}.
class ValidationErrors {
  public:
    void add(std::string_view field, std::string_view message);
    bool empty() const { return errors_.empty(); }
    bool has(std::string_view field) const { return errors_.contains(field); }
    const boost::json::object& object() const { return errors_; }
    [[noreturn]] void raise() const;
    void raise_if_any() const {
        if (!empty()) raise();
    }

  private:
    boost::json::object errors_;
};

[[noreturn]] void throw_not_found();
[[noreturn]] void throw_validation(std::string_view field, std::string_view message);

}  // namespace resumate::http
