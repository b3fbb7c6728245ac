#include "ai/egress_policy.hpp"

#include <fnmatch.h>

#include <boost/url.hpp>
#include <charconv>

#include "util/strings.hpp"

namespace resumate::ai {
namespace {

namespace urls = boost::urls;

// The server's own secrets and connection strings: never a model's key, whatever the allowlist.
constexpr std::string_view kNeverKeyNames[] = {"SECRET_KEY", "*SECRET*",  "*PASSWORD*", "*PASSWD*",
                                               "DATABASE_*", "DB_*",      "REDIS_*",    "PG*",
                                               "DJANGO_*",   "RESUMATE_*"};

bool matches(std::string_view pattern, std::string_view name) {
    return ::fnmatch(std::string(pattern).c_str(), std::string(name).c_str(), 0) == 0;
}

struct ParsedOrigin {
    std::string host;
    uint16_t port = 0;
};

// The host and effective port of an http(s) URL without user information, or nullopt.
std::optional<ParsedOrigin> origin_of(std::string_view url) {
    auto parsed = urls::parse_absolute_uri(url);
    if (!parsed) return std::nullopt;
    urls::url_view u = *parsed;
    uint16_t default_port = 0;
    if (u.scheme_id() == urls::scheme::http) {
        default_port = 80;
    } else if (u.scheme_id() == urls::scheme::https) {
        default_port = 443;
    } else {
        return std::nullopt;
    }
    if (!u.has_authority() || u.has_userinfo() || u.encoded_host().empty()) return std::nullopt;
    ParsedOrigin o;
    o.host =
        util::to_lower_ascii(u.host_type() == urls::host_type::ipv6 ? std::string(u.host_address())
                                                                    : std::string(u.host()));
    if (o.host.empty()) return std::nullopt;
    o.port = u.has_port() ? u.port_number() : default_port;
    if (u.has_port() && o.port == 0) return std::nullopt;
    return o;
}

}  // namespace

EgressPolicy::EgressPolicy(std::vector<std::string> key_names,
                           const std::vector<std::string>& base_urls,
                           const std::vector<std::string>& allowed_hosts)
    : key_names_(std::move(key_names)) {
    for (const auto& url : base_urls) {
        if (auto o = origin_of(url)) origins_.push_back({o->host, o->port});
    }
    for (const auto& entry : allowed_hosts) {
        std::string_view e = util::trim(entry);
        if (e.empty()) continue;
        Origin o;
        std::string_view host = e, port;
        if (e.front() == '[') {
            size_t close = e.find(']');
            if (close == std::string_view::npos) continue;
            host = e.substr(1, close - 1);
            if (close + 1 < e.size() && e[close + 1] == ':') port = e.substr(close + 2);
        } else if (size_t colon = e.rfind(':'); colon != std::string_view::npos) {
            host = e.substr(0, colon);
            port = e.substr(colon + 1);
        }
        o.host = util::to_lower_ascii(host);
        if (!port.empty()) {
            uint16_t p = 0;
            auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
            if (ec != std::errc() || end != port.data() + port.size() || p == 0) continue;
            o.port = p;
        }
        if (!o.host.empty()) origins_.push_back(std::move(o));
    }
}

bool EgressPolicy::key_name_allowed(std::string_view name) const {
    if (name.empty()) return false;
    std::string upper = util::to_upper_ascii(name);
    for (auto never : kNeverKeyNames) {
        if (matches(never, upper)) return false;
    }
    for (const auto& pattern : key_names_) {
        if (matches(pattern, name)) return true;
    }
    return false;
}

bool EgressPolicy::base_url_allowed(std::string_view url) const {
    auto o = origin_of(url);
    if (!o) return false;
    for (const auto& allowed : origins_) {
        if (allowed.host == o->host && (!allowed.port || *allowed.port == o->port)) return true;
    }
    return false;
}

std::optional<std::string> EgressPolicy::key_name_problem(std::string_view name) const {
    if (name.empty() || key_name_allowed(name)) return std::nullopt;
    std::string allowed;
    for (const auto& p : key_names_) allowed += (allowed.empty() ? "" : ", ") + p;
    return "This variable may not hold an API key: the server allows " +
           (allowed.empty() ? std::string("none") : allowed) + " (RESUMATE_AI_KEY_NAMES).";
}

std::optional<std::string> EgressPolicy::model_name_problem(std::string_view model_name) const {
    size_t at = model_name.find("@http");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view url = model_name.substr(at + 1);
    if (!origin_of(url)) return "Enter a valid http:// or https:// base URL after the @.";
    if (base_url_allowed(url)) return std::nullopt;
    return "This base URL's host is not allowed: use a configured provider URL or add the host "
           "to RESUMATE_AI_ALLOWED_HOSTS.";
}

}  // namespace resumate::ai
