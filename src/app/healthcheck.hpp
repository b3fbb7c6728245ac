#pragma once
// `resumate healthcheck`: asks the server this configuration describes (HOST, PORT) for
// GET /healthz, for container health checks in an image without curl.
#include <chrono>
#include <string>

#include "app/config.hpp"

namespace resumate::app {

// True when the server answers 200 within `timeout`. `why` says what failed otherwise.
bool server_healthy(const Config& config, std::chrono::milliseconds timeout, std::string& why);

}  // namespace resumate::app
