#pragma once
// What the server does at its edge, before and after the routes: the client's address through
// trusted reverse proxies (X-Forwarded-For / X-Forwarded-Proto), CORS, and HSTS.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace resumate::http {

struct Network {
    std::array<uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix = 128;
    bool contains(std::string_view address) const;
};

// RESUMATE_TRUSTED_PROXIES: a number of proxy hops in front of us ("1" for one nginx), or a
// comma list of addresses / CIDR networks of trusted proxies. Empty: trust no proxy, the
// socket's address is the client's.
struct TrustedProxies {
    int hops = 0;
    std::vector<Network> networks;
    bool none() const { return hops == 0 && networks.empty(); }
};
// Throws std::invalid_argument with a readable message.
TrustedProxies parse_trusted_proxies(std::string_view spec);
// A comma list of addresses and CIDR networks ("10.0.0.0/8, ::1"); throws
// std::invalid_argument naming the item that is neither. Empty: none.
std::vector<Network> parse_networks(std::string_view spec);
// True when `address` (a textual IPv4 or IPv6 address) is in one of `networks`.
bool in_networks(const std::vector<Network>& networks, std::string_view address);

// True when a peer (the socket's address) is one of the trusted proxies: any peer when a hop
// count is configured (then every client comes through the proxies), else one in their networks.
bool is_trusted_proxy(const TrustedProxies& proxies, std::string_view peer);

// Django's split_domain_port: a Host header is valid when it matches
// ^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$ once lowercased. `domain` is the host
// lowercased, without its port and a trailing dot; both are empty when the header is invalid.
struct HostParts {
    std::string domain;
    std::string port;
};
HostParts split_domain_port(std::string_view host);

// When the request came from a trusted proxy: client_ip from X-Forwarded-For (hops: the hops-th
// address from the right; networks: the rightmost address that is not a trusted proxy) and
// `secure` from X-Forwarded-Proto. Otherwise both headers are ignored, so a client cannot
// choose its own address.
void apply_trusted_proxies(Request& req, const TrustedProxies& proxies);

// CORS_ALLOWED_ORIGINS, as django-cors-headers: exact "scheme://host[:port]" origins, or "*".
struct CorsPolicy {
    std::vector<std::string> origins;
    bool allows(std::string_view origin) const;
};
// A preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered here: 200
// with the allowed methods and headers for an allowed origin, a bare 200 otherwise (the browser
// then refuses), as django-cors-headers does.
std::optional<Response> cors_preflight(const Request& req, const CorsPolicy& policy);
// Access-Control-Allow-Origin (and friends) on the answer to an allowed origin.
void add_cors_headers(const Request& req, Response& res, const CorsPolicy& policy);
// Strict-Transport-Security on answers to requests that came over HTTPS (through a trusted proxy).
void add_hsts(const Request& req, Response& res);

}  // namespace resumate::http
