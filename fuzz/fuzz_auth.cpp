// Registration, token and account JSON; the first byte picks the route: '0' register, '1' token
// (login), '2' token refresh (@REFRESH@ in the body becomes a valid refresh token), '3' token
// verify, '4' a new API key, '5' password change, '6' account deletion, '7' token blacklist.
// The account routes run as the fixture's user (password "Fuzz!Passw0rd-42"); a change that
// succeeded is undone before the next input.
#include "fuzz_json_target.hpp"

std::vector<resumate::fuzz::Route> resumate::fuzz::routes(const Fixture&) {
    return {
        {"POST", "/api/auth/register/", false},      {"POST", "/api/auth/token/", false},
        {"POST", "/api/auth/token/refresh/", false}, {"POST", "/api/auth/token/verify/", false},
        {"POST", "/api/auth/api-keys/", true},       {"POST", "/api/auth/password/change/", true},
        {"DELETE", "/api/auth/account/", true},      {"POST", "/api/auth/token/blacklist/", false}};
}
