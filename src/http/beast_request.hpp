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

// The bytes Beast's serializer sends for `head` before the body: the status line (Beast's
// reason phrase when none is set), each field as "Name: value" in order, the blank line. The
// server writes them and the body in one gather write: Beast's serializer costs about a fifth of
// a small request's CPU (a buffer-sequence view per field, walked on every partial write).
std::string serialize_head(const boost::beast::http::response_header<>& head);

}  // namespace resumate::http
