// Registration and token JSON: '0' register, '1' token (login), '2' token refresh (@REFRESH@ in
// the body becomes a valid refresh token), '3' token verify.
#include "fuzz_json_target.hpp"

std::vector<resumate::fuzz::Route> resumate::fuzz::routes(const Fixture&) {
    return {{"POST", "/api/auth/register/", false},
            {"POST", "/api/auth/token/", false},
            {"POST", "/api/auth/token/refresh/", false},
            {"POST", "/api/auth/token/verify/", false}};
}
