#include "http/edge.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <stdexcept>

#include "util/strings.hpp"

namespace resumate::http {
namespace {

std::optional<std::array<uint8_t, 16>> address_bytes(std::string_view text) {
    boost::system::error_code ec;
    auto a = boost::asio::ip::make_address(util::trim(text), ec);
    if (ec) return std::nullopt;
    if (a.is_v4())
        return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, a.to_v4()).to_bytes();
    return a.to_v6().to_bytes();
}

std::vector<std::string_view> split_commas(std::string_view s) {
    std::vector<std::string_view> out;
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t comma = s.find(',', pos);
        std::string_view item =
            util::trim(s.substr(pos, comma == std::string_view::npos ? s.npos : comma - pos));
        if (!item.empty()) out.push_back(item);
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return out;
}

}  // namespace

bool Network::contains(std::string_view address) const {
    auto b = address_bytes(address);
    if (!b) return false;
    int bits = prefix;
    for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
        if (((*b)[i] & mask) != (bytes[i] & mask)) return false;
    }
    return true;
}

TrustedProxies parse_trusted_proxies(std::string_view spec) {
    TrustedProxies out;
    spec = util::trim(spec);
    if (spec.empty()) return out;
    if (auto n = util::parse_int64(spec)) {
        if (*n < 0 || *n > 16)
            throw std::invalid_argument("the number of proxy hops must be 0 to 16");
        out.hops = static_cast<int>(*n);
        return out;
    }
    out.networks = parse_networks(spec);
    return out;
}

std::vector<Network> parse_networks(std::string_view spec) {
    std::vector<Network> out;
    for (auto item : split_commas(util::trim(spec))) {
        Network net;
        std::string_view addr = item;
        bool v4 = item.find(':') == std::string_view::npos;
        net.prefix = v4 ? 32 : 128;
        if (size_t slash = item.find('/'); slash != std::string_view::npos) {
            addr = item.substr(0, slash);
            auto p = util::parse_int64(item.substr(slash + 1));
            if (!p || *p < 0 || *p > (v4 ? 32 : 128)) {
                throw std::invalid_argument("bad prefix length in \"" + std::string(item) + "\"");
            }
            net.prefix = static_cast<int>(*p);
        }
        auto b = address_bytes(addr);
        if (!b)
            throw std::invalid_argument("\"" + std::string(item) +
                                        "\" is not an address or network");
        net.bytes = *b;
        if (v4) net.prefix += 96;  // IPv4-mapped
        out.push_back(net);
    }
    return out;
}

bool in_networks(const std::vector<Network>& networks, std::string_view address) {
    return std::any_of(networks.begin(), networks.end(),
                       [&](const Network& n) { return n.contains(address); });
}

bool is_trusted_proxy(const TrustedProxies& proxies, std::string_view peer) {
    return proxies.hops > 0 || in_networks(proxies.networks, peer);
}

HostParts split_domain_port(std::string_view raw) {
    const std::string host = util::to_lower_ascii(raw);
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    size_t end = 0;  // the end of the domain part
    if (!host.empty() && host.front() == '[') {
        size_t close = host.find(']');
        if (close == std::string::npos) return {};
        std::string_view inner = std::string_view(host).substr(1, close - 1);
        size_t i = 0;
        while (i < inner.size() && hex(inner[i])) ++i;
        if (i == inner.size() || inner[i] != ':' || i + 1 == inner.size()) return {};
        for (++i; i < inner.size(); ++i) {
            if (!hex(inner[i]) && inner[i] != '.' && inner[i] != ':') return {};
        }
        end = close + 1;
    } else {
        auto name_char = [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        };
        while (end < host.size() && name_char(host[end])) ++end;
        if (end == 0) return {};
    }
    HostParts out;
    if (end < host.size()) {
        if (host[end] != ':' || end + 1 == host.size()) return {};
        for (size_t i = end + 1; i < host.size(); ++i) {
            if (host[i] < '0' || host[i] > '9') return {};
        }
        out.port = host.substr(end + 1);
    }
    out.domain = host.substr(0, end);
    if (out.domain.back() == '.') out.domain.pop_back();
    if (out.domain.empty()) return {};  // "." or ".:80": Django finds no domain either
    return out;
}

void apply_trusted_proxies(Request& req, const TrustedProxies& proxies) {
    if (proxies.none()) return;
    if (proxies.hops == 0 && !in_networks(proxies.networks, req.client_ip)) return;
    auto forwarded_for = req.header("X-Forwarded-For");
    if (forwarded_for) {
        auto chain = split_commas(*forwarded_for);
        std::optional<std::string_view> client;
        if (proxies.hops > 0) {
            if (!chain.empty())
                client = chain[chain.size() >= static_cast<size_t>(proxies.hops)
                                   ? chain.size() - proxies.hops
                                   : 0];
        } else {
            for (size_t i = chain.size(); i-- > 0;) {
                client = chain[i];
                if (!in_networks(proxies.networks, chain[i])) break;
            }
        }
        if (client && address_bytes(*client)) req.client_ip = std::string(*client);
    }
    if (auto proto = req.header("X-Forwarded-Proto")) {
        auto parts = split_commas(*proto);
        if (!parts.empty()) req.secure = util::to_lower_ascii(parts.front()) == "https";
    }
}

bool CorsPolicy::allows(std::string_view origin) const {
    for (const auto& o : origins) {
        if (o == "*" || o == origin) return true;
    }
    return false;
}

std::optional<Response> cors_preflight(const Request& req, const CorsPolicy& policy) {
    if (req.method != "OPTIONS") return std::nullopt;
    auto origin = req.header("Origin");
    if (!origin || !req.header("Access-Control-Request-Method")) return std::nullopt;
    Response r = Response::empty(200);
    r.content_type = "text/html; charset=utf-8";
    if (policy.allows(*origin)) {
        r.with_header("Access-Control-Allow-Methods", "DELETE, GET, OPTIONS, PATCH, POST, PUT");
        r.with_header(
            "Access-Control-Allow-Headers",
            "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with");
        r.with_header("Access-Control-Max-Age", "86400");
        add_cors_headers(req, r, policy);
    }
    return r;
}

void add_cors_headers(const Request& req, Response& res, const CorsPolicy& policy) {
    if (policy.origins.empty()) return;
    res.with_header("Vary", "Origin");
    auto origin = req.header("Origin");
    if (!origin || !policy.allows(*origin)) return;
    res.with_header("Access-Control-Allow-Origin", std::string(*origin));
    res.with_header("Access-Control-Expose-Headers", "Retry-After, X-Cache-Status");
}

void add_hsts(const Request& req, Response& res) {
    if (req.secure)
        res.with_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

}  // namespace resumate::http
