// The entry points of the JSON-body targets (see fuzz_json_target.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_json_target.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)resumate::fuzz::fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace resumate::fuzz;
    static const std::vector<Route> all = routes(fixture());
    if (size == 0) return 0;
    const Route& r = all[data[0] % all.size()];
    std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto req = json_request(r.method, r.path, body, r.authenticated);
    handle(req);
    return 0;
}
