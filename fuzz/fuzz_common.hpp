// Shared set-up of the libFuzzer targets: one App on a fresh SQLite database (migrated, seeded,
// with a user, a staff user and a stranger owning a resume and a job application each), the
// request pipeline as the server runs it, and the invariants every response must satisfy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace resumate::fuzz {

// Placeholders a fuzz input may hold, replaced with tokens valid for the whole run:
// @TOKEN@ / @REFRESH@ the user's access / refresh token, @ADMIN@ a staff user's access token.
inline constexpr std::string_view kTokenPlaceholder = "@TOKEN@";
inline constexpr std::string_view kRefreshPlaceholder = "@REFRESH@";
inline constexpr std::string_view kAdminPlaceholder = "@ADMIN@";

struct Fixture {
    int64_t user_id = 0;
    std::string access;
    std::string refresh;
    std::string admin_access;
    int64_t resume_id = 0;        // the user's
    int64_t job_id = 0;           // the user's
    int64_t other_resume_id = 0;  // a stranger's: must stay invisible to the user
};

// Builds the App once (first call); later calls return the same fixture.
const Fixture& fixture();

// Replaces the placeholders in `text`.
std::string substitute_tokens(std::string_view text);

// The server's pipeline for one request (App::handle). A 500 — an exception no handler expected —
// is reported, then the process aborts. The response is checked (check_response) and serialized
// as the server would (Beast).
// Writes by the request are undone afterwards, so inputs do not depend on earlier inputs.
http::Response handle(http::Request& req, unsigned version = 11);

// The invariants: a status in 100..599, a JSON body that parses, no CR/LF/NUL in headers, no
// internal error text in a 5xx body. Aborts with the request and response when one fails.
void check_response(const http::Request& req, const http::Response& res);

// A request for the JSON-body targets: `method path` with `body` (placeholders substituted)
// as application/json, authenticated as the user when `authenticated`.
http::Request json_request(std::string method, std::string path, std::string_view body,
                           bool authenticated = true);

}  // namespace resumate::fuzz
