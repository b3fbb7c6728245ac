// Job application JSON decoding and validation: '0' POST /api/job-applications/, '1' PUT and
// '2' PATCH the user's application.
#include "fuzz_json_target.hpp"

std::vector<resumate::fuzz::Route> resumate::fuzz::routes(const Fixture& f) {
    const std::string mine = "/api/job-applications/" + std::to_string(f.job_id) + "/";
    return {{"POST", "/api/job-applications/"}, {"PUT", mine}, {"PATCH", mine}};
}
