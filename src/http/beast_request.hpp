#pragma once
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "http/message.hpp"

namespace resumate::http {

// A parsed Beast request as the router sees it: method, path and raw query split from the
// target, headers in order, the body moved out of `msg`. Shared by the server and the fuzzers.
Request request_from_beast(boost::beast::http::request<boost::beast::http::string_body>& msg,
                           const std::string& client_ip);

}  // namespace resumate::http
