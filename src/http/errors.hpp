#pragma once
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <exception>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace resumate::http {

// A response carried as an exception: features throw it from deep inside a handler and the
// router turns it into the response (one status per error kind, DRF-shaped bodies).
class HttpError : public std::exception {
public:
    explicit HttpError(Response r) : response_(std::move(r)) {}
    const char* what() const noexcept override { return "http error"; }
    Response& response() { return response_; }

private:
    Response response_;
};

// 400 with {"field": ["message", ...], ...}.
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

[[noreturn]] void throw_detail(unsigned status, std::string_view detail);
[[noreturn]] void throw_not_found();  // 404 {"detail": "Not found."}
[[noreturn]] void throw_validation(std::string_view field, std::string_view message);

// The 401 bodies of DRF/simplejwt; each carries WWW-Authenticate.
Response unauthorized(boost::json::object body);
[[noreturn]] void throw_not_authenticated();
[[noreturn]] void throw_permission_denied();

}  // namespace resumate::http
