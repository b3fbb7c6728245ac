// The JSON-body targets: the first byte picks one of a few (method, path, authenticated)
// routes, the rest is the body, sent as application/json through App::handle.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"

namespace resumate::fuzz {

struct Route {
    std::string method;
    std::string path;
    bool authenticated = true;
};

// Defined by each target; called once, after the fixture exists.
std::vector<Route> routes(const Fixture& f);

}  // namespace resumate::fuzz
