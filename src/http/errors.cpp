#include "http/errors.hpp"

namespace resumate::http {

void ValidationErrors::add(std::string_view field, std::string_view message) {
    auto it = errors_.find(field);
    if (it == errors_.end()) {
        errors_[field] = boost::json::array{boost::json::string(message)};
    } else {
        it->value().as_array().emplace_back(boost::json::string(message));
    }
}

void ValidationErrors::raise() const { throw HttpError(Response::json(400, errors_)); }

void throw_detail(unsigned status, std::string_view detail) {
    throw HttpError(Response::detail(status, detail));
}

void throw_not_found() { throw_detail(404, "Not found."); }

void throw_validation(std::string_view field, std::string_view message) {
    ValidationErrors e;
    e.add(field, message);
    e.raise();
}

Response unauthorized(boost::json::object body) {
    Response r = Response::json(401, body);
    r.with_header("WWW-Authenticate", "Bearer realm=\"api\"");
    return r;
}

void throw_not_authenticated() {
    throw HttpError(unauthorized({{"detail", "Authentication credentials were not provided."}}));
}

void throw_permission_denied() {
    throw_detail(403, "You do not have permission to perform this action.");
}

}  // namespace resumate::http
