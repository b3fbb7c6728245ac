#pragma once
// Shared by the network providers: turning an HTTP failure into a ProviderError.
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ai/provider.hpp"
#include "net/http_client.hpp"
#include "net/sse.hpp"

namespace resumate::ai::wire {

// Retry-After as seconds or an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> retry_after(const net::HttpResponse& r);
// "30s", "1.5s" (protobuf Duration JSON) → milliseconds.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s);
// The provider's own error text from any of the shapes seen in the wild: {"error": {"message"}},
// {"error": "text"}, {"message": ...}, {"detail": ...}; empty when none.
std::string error_message(const boost::json::value& body);
// Maps an HTTP status to a failure kind (408/5xx transient, 429 rate-limited, 401/403 key).
ProviderError::Kind kind_for_status(unsigned status);
// A transport failure (connect, timeout, TLS) of the client as a ProviderError.
ProviderError from_http_error(std::string_view provider, const net::HttpError& e);
// Sends `http` and hands each Server-Sent Event of a 200 answer to on_event as it arrives
// (returning false abandons the transfer); the events of an answer that ends without a blank
// line are delivered too. Returns the response head; for any other status its body is read
// whole into it, for the provider's error parsing. Transport failures become ProviderErrors.
using EventFn = std::function<Task<bool>(const net::SseEvent& event)>;
Task<net::HttpResponse> stream_events(const net::HttpClient& client, const net::HttpRequest& http,
                                      std::string_view provider, EventFn on_event);
// Base URL + path without doubling the slash.
std::string join_url(std::string_view base, std::string_view path);

}  // namespace resumate::ai::wire
