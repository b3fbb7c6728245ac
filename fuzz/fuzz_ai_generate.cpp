// POST /api/ai/generate/ input: '0' anonymous, '1' as the user. Only the offline generator (and
// "Auto", which picks it) is active; every network provider is disabled and points nowhere.
#include "fuzz_json_target.hpp"

std::vector<resumate::fuzz::Route> resumate::fuzz::routes(const Fixture&) {
    return {{"POST", "/api/ai/generate/", false}, {"POST", "/api/ai/generate/", true}};
}
