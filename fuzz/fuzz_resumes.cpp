// Resume JSON decoding and validation: create, replace, update. The first byte picks the route:
// '0' POST /api/resumes/, '1' PUT and '2' PATCH the user's resume, '3' PATCH a stranger's.
#include "fuzz_json_target.hpp"

std::vector<resumate::fuzz::Route> resumate::fuzz::routes(const Fixture& f) {
    const std::string mine = "/api/resumes/" + std::to_string(f.resume_id) + "/";
    const std::string theirs = "/api/resumes/" + std::to_string(f.other_resume_id) + "/";
    return {{"POST", "/api/resumes/"}, {"PUT", mine}, {"PATCH", mine}, {"PATCH", theirs}};
}
