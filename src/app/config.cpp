#include "app/config.hpp"

#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cache/redis_cache.hpp"
#include "db/postgres_database.hpp"
#include "util/strings.hpp"

extern char** environ;

namespace resumate::app {

// .env lines: KEY=VALUE, optional `export `, quotes stripped, '#' comments.
std::vector<std::pair<std::string, std::string>> read_dotenv(const std::string& path) {
    std::vector<std::pair<std::string, std::string>> out;
    std::ifstream in(path);
    if (!in) return out;
    std::string line;
    while (std::getline(in, line)) {
        std::string_view l = util::trim(line);
        if (l.empty() || l.front() == '#') continue;
        if (l.starts_with("export ")) l = util::trim(l.substr(7));
        size_t eq = l.find('=');
        if (eq == std::string_view::npos) continue;
        std::string key(util::trim(l.substr(0, eq)));
        std::string_view value = util::trim(l.substr(eq + 1));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        } else if (size_t hash = value.find(" #"); hash != std::string_view::npos) {
            value = util::trim(value.substr(0, hash));
        }
        if (!key.empty()) out.emplace_back(std::move(key), std::string(value));
    }
    return out;
}

namespace {

uint64_t parse_unsigned(const char* name, const std::string& v, uint64_t min, uint64_t max) {
    auto n = util::parse_int64(util::trim(v));
    if (!n || *n < 0 || static_cast<uint64_t>(*n) < min || static_cast<uint64_t>(*n) > max) {
        throw ConfigError(name, "must be an integer from " + std::to_string(min) + " to " +
                                    std::to_string(max) + ", got \"" + v + "\"");
    }
    return static_cast<uint64_t>(*n);
}

bool parse_bool(const char* name, const std::string& v) {
    std::string l = util::to_lower_ascii(util::trim(v));
    if (l == "1" || l == "true" || l == "yes" || l == "on") return true;
    if (l == "0" || l == "false" || l == "no" || l == "off" || l.empty()) return false;
    throw ConfigError(name, "must be true or false, got \"" + v + "\"");
}

std::vector<std::string> parse_list(const std::string& v) {
    std::vector<std::string> out;
    for (auto& part : util::split(v, ',')) {
        std::string_view t = util::trim(part);
        if (!t.empty()) out.emplace_back(t);
    }
    return out;
}

}  // namespace

Variables read_variables(const std::string& dotenv_path) {
    Variables vars;
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        const size_t eq = entry.find('=');
        if (eq == std::string_view::npos || eq == 0) continue;
        // The first of a duplicated name, as getenv() finds it.
        vars.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    // The environment wins over .env.
    for (auto& [key, value] : read_dotenv(dotenv_path))
        vars.emplace(std::move(key), std::move(value));
    return vars;
}

std::optional<std::string> Config::variable(std::string_view name) const {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
}

std::string Config::sqlite_path() const {
    if (database_url.starts_with("sqlite:///"))
        return database_url.substr(std::string("sqlite:///").size() - 1);
    if (database_url.starts_with("sqlite://"))
        return database_url.substr(std::string("sqlite://").size());
    return (std::filesystem::path(data_dir) / "resumate.sqlite3").string();
}

Config Config::from_environment() {
    return from_variables(read_variables(".env"));
}

Config Config::from_variables(Variables vars) {
    Config c;
    c.variables = std::move(vars);
    auto env = [&c](const char* name) { return c.variable(name); };
    // curl's and Go's reading: the upper-case name, else the lower-case one; empty is unset.
    auto proxy_env = [&c](const char* upper, const char* lower) {
        for (const char* name : {upper, lower}) {
            if (auto v = c.variable(name); v && !v->empty()) return *v;
        }
        return std::string();
    };
    c.proxy.http_proxy = proxy_env("HTTP_PROXY", "http_proxy");
    c.proxy.https_proxy = proxy_env("HTTPS_PROXY", "https_proxy");
    c.proxy.no_proxy = proxy_env("NO_PROXY", "no_proxy");
    if (auto v = env("HOST")) {
        if (util::trim(*v).empty()) throw ConfigError("HOST", "must not be empty");
        c.host = std::string(util::trim(*v));
    }
    if (auto v = env("PORT")) c.port = static_cast<uint16_t>(parse_unsigned("PORT", *v, 0, 65535));
    if (auto v = env("RESUMATE_PORT_FILE")) c.port_file = *v;
    if (auto v = env("RESUMATE_THREADS")) {
        c.threads = static_cast<unsigned>(parse_unsigned("RESUMATE_THREADS", *v, 1, 256));
    }
    if (c.threads == 0) c.threads = std::max(1u, std::thread::hardware_concurrency());
    if (auto v = env("RESUMATE_MAX_BODY_BYTES")) {
        c.max_body_bytes = parse_unsigned("RESUMATE_MAX_BODY_BYTES", *v, 1024, 1ull << 30);
    }
    if (auto v = env("RESUMATE_HEADER_TIMEOUT_SECONDS")) {
        c.header_timeout =
            std::chrono::seconds(parse_unsigned("RESUMATE_HEADER_TIMEOUT_SECONDS", *v, 1, 3600));
    }
    if (auto v = env("RESUMATE_BODY_TIMEOUT_SECONDS")) {
        c.body_timeout =
            std::chrono::seconds(parse_unsigned("RESUMATE_BODY_TIMEOUT_SECONDS", *v, 1, 3600));
    }
    if (auto v = env("RESUMATE_IDLE_TIMEOUT_SECONDS")) {
        c.idle_timeout =
            std::chrono::seconds(parse_unsigned("RESUMATE_IDLE_TIMEOUT_SECONDS", *v, 1, 86400));
    }
    if (auto v = env("RESUMATE_QUOTA_RESUMES")) {
        c.storage_limits.resumes =
            static_cast<int64_t>(parse_unsigned("RESUMATE_QUOTA_RESUMES", *v, 0, 1'000'000'000));
    }
    if (auto v = env("RESUMATE_QUOTA_JOB_APPLICATIONS")) {
        c.storage_limits.job_applications = static_cast<int64_t>(
            parse_unsigned("RESUMATE_QUOTA_JOB_APPLICATIONS", *v, 0, 1'000'000'000));
    }
    if (auto v = env("RESUMATE_QUOTA_BYTES")) {
        c.storage_limits.bytes = static_cast<int64_t>(
            parse_unsigned("RESUMATE_QUOTA_BYTES", *v, 0, 1'000'000'000'000'000));
    }
    if (auto v = env("RESUMATE_ANONYMOUS_RETENTION_DAYS")) {
        c.anonymous_retention_days =
            static_cast<int64_t>(parse_unsigned("RESUMATE_ANONYMOUS_RETENTION_DAYS", *v, 0, 36500));
    }
    if (auto v = env("RESUMATE_MAX_CONNECTIONS")) {
        c.max_connections = parse_unsigned("RESUMATE_MAX_CONNECTIONS", *v, 1, 1'000'000);
    }
    if (auto v = env("RESUMATE_MAX_CONNECTIONS_PER_IP")) {
        c.max_connections_per_ip =
            parse_unsigned("RESUMATE_MAX_CONNECTIONS_PER_IP", *v, 0, 1'000'000);
    }
    if (auto v = env("RESUMATE_SHUTDOWN_GRACE_SECONDS")) {
        c.shutdown_grace =
            std::chrono::seconds(parse_unsigned("RESUMATE_SHUTDOWN_GRACE_SECONDS", *v, 0, 3600));
    }
    if (auto v = env("ALLOWED_HOSTS")) c.allowed_hosts = parse_list(*v);
    if (auto v = env("DEBUG")) c.debug = parse_bool("DEBUG", *v);
    if (auto v = env("RESUMATE_LOG_LEVEL")) {
        std::string l = util::to_lower_ascii(util::trim(*v));
        if (l != "trace" && l != "debug" && l != "info" && l != "warning" && l != "warn" &&
            l != "error" && l != "critical" && l != "off") {
            throw ConfigError("RESUMATE_LOG_LEVEL",
                              "must be one of trace, debug, info, warning, error, critical, off");
        }
        c.log_level = l == "warning" ? "warn" : l;
    }
    if (auto v = env("RESUMATE_LOG_FORMAT")) {
        const std::string f = util::to_lower_ascii(util::trim(*v));
        if (f != "text" && f != "json")
            throw ConfigError("RESUMATE_LOG_FORMAT", "must be text or json");
        c.json_logs = f == "json";
    }
    if (auto v = env("RESUMATE_ACCESS_LOG")) c.access_log = parse_bool("RESUMATE_ACCESS_LOG", *v);
    if (auto v = env("RESUMATE_METRICS_ALLOW")) {
        try {
            c.metrics_allow = http::parse_networks(*v);
        } catch (const std::invalid_argument& e) {
            throw ConfigError("RESUMATE_METRICS_ALLOW", e.what());
        }
    }

    if (auto v = env("RESUMATE_DATA_DIR")) {
        if (v->empty()) throw ConfigError("RESUMATE_DATA_DIR", "must not be empty");
        c.data_dir = *v;
    }
    if (auto v = env("RESUMATE_AUTO_MIGRATE"))
        c.auto_migrate = parse_bool("RESUMATE_AUTO_MIGRATE", *v);
    if (auto v = env("DATABASE_URL"); v && !v->empty()) {
        if (v->starts_with("sqlite://")) {
            c.database_url = *v;
        } else if (v->starts_with("postgres://") || v->starts_with("postgresql://")) {
            c.database_url = *v;
            c.postgres_conninfo = *v;  // libpq takes the URI as it is
        } else {
            throw ConfigError("DATABASE_URL", "must start with sqlite:// or postgres://");
        }
    } else if (auto name = env("DB_NAME"); name && !name->empty()) {
        c.postgres_conninfo = db::conninfo_from_parts(
            *name, env("DB_USER").value_or(""), env("DB_PASSWORD").value_or(""),
            env("DB_HOST").value_or("localhost"), env("DB_PORT").value_or("5432"));
        if (auto port = env("DB_PORT"); port && !port->empty())
            parse_unsigned("DB_PORT", *port, 1, 65535);
    }
    if (auto v = env("DATABASE_REPLICA_URLS"); v && !util::trim(*v).empty()) {
        if (c.postgres_conninfo.empty()) {
            throw ConfigError("DATABASE_REPLICA_URLS",
                              "needs a PostgreSQL primary (DATABASE_URL or DB_*)");
        }
        for (auto& url : parse_list(*v)) {
            if (!url.starts_with("postgres://") && !url.starts_with("postgresql://")) {
                throw ConfigError("DATABASE_REPLICA_URLS", "each entry must be a postgres:// URL");
            }
            c.replica_conninfos.push_back(url);
        }
    }
    if (auto v = env("RESUMATE_DB_POOL_SIZE"))
        c.db_pool_size = parse_unsigned("RESUMATE_DB_POOL_SIZE", *v, 1, 1000);
    if (c.db_pool_size == 0) c.db_pool_size = 2 * c.threads + 2;
    if (auto v = env("RESUMATE_DB_STATEMENT_TIMEOUT_MS")) {
        c.db_statement_timeout = std::chrono::milliseconds(
            parse_unsigned("RESUMATE_DB_STATEMENT_TIMEOUT_MS", *v, 10, 3'600'000));
    }
    if (auto v = env("REDIS_URL"); v && !v->empty()) {
        try {
            c.redis = cache::parse_redis_url(*v);
        } catch (const std::invalid_argument& e) {
            throw ConfigError(
                "REDIS_URL",
                std::string("must look like redis://[:password@]host[:port][/db]: ") + e.what());
        }
    } else if (auto h = env("REDIS_HOST"); h && !h->empty()) {
        // The original's settings: redis://REDIS_HOST:REDIS_PORT/1.
        c.redis.emplace();
        c.redis->host = *h;
        if (auto p = env("REDIS_PORT"); p && !p->empty()) {
            c.redis->port = static_cast<uint16_t>(parse_unsigned("REDIS_PORT", *p, 1, 65535));
        }
        c.redis->database = 1;
    }
    if (auto v = env("REDIS_CLUSTER_NODES"); v && !util::trim(*v).empty()) {
        // A Redis Cluster (its seed nodes): instead of REDIS_URL's single node.
        auto from_url = c.redis;
        c.redis.emplace();
        try {
            c.redis->cluster_nodes = cache::parse_cluster_nodes(*v);
        } catch (const std::invalid_argument& e) {
            throw ConfigError("REDIS_CLUSTER_NODES",
                              std::string("must look like host:port[,host:port…]: ") + e.what());
        }
        if (from_url) c.redis->password = from_url->password;
        c.redis->host = c.redis->cluster_nodes.front().host;
        c.redis->port = c.redis->cluster_nodes.front().port;
        c.redis->database = 0;
    }
    if (auto v = env("REDIS_PASSWORD"); v && !v->empty() && c.redis) c.redis->password = *v;
    if (auto v = env("RESUMATE_REDIS_PREFIX"); v && c.redis) c.redis->prefix = *v;
    if (auto v = env("RESUMATE_REDIS_TIMEOUT_MS"); v && c.redis) {
        c.redis->timeout =
            std::chrono::milliseconds(parse_unsigned("RESUMATE_REDIS_TIMEOUT_MS", *v, 1, 60'000));
    }
    if (auto v = env("RESUMATE_NEAR_CACHE_TTL_MS"); v && c.redis) {
        c.redis->near_ttl = std::chrono::milliseconds(
            parse_unsigned("RESUMATE_NEAR_CACHE_TTL_MS", *v, 0, 3'600'000));
    }
    if (auto v = env("RESUMATE_CACHE_MAX_ENTRIES")) {
        c.cache_max_entries = parse_unsigned("RESUMATE_CACHE_MAX_ENTRIES", *v, 16, 10'000'000);
    }

    if (auto v = env("SECRET_KEY"); v && !v->empty()) c.secret_key = *v;
    // With PostgreSQL (production: several instances must share one key, and nothing may be
    // generated behind the operator's back) a real key is required; there is no override. The
    // message gives the length, never the key.
    if (!c.embedded_database()) {
        if (c.secret_key.empty()) {
            throw ConfigError(
                "SECRET_KEY",
                "is required with PostgreSQL (DATABASE_URL or DB_NAME): set at least " +
                    std::to_string(kMinSecretKeyLength) + " random characters");
        }
        if (c.secret_key.size() < kMinSecretKeyLength) {
            throw ConfigError("SECRET_KEY", "must have at least " +
                                                std::to_string(kMinSecretKeyLength) +
                                                " characters with PostgreSQL, it has " +
                                                std::to_string(c.secret_key.size()));
        }
    }
    if (auto v = env("RESUMATE_ACCESS_TOKEN_LIFETIME_SECONDS")) {
        c.access_token_lifetime = std::chrono::seconds(
            parse_unsigned("RESUMATE_ACCESS_TOKEN_LIFETIME_SECONDS", *v, 1, 365ull * 86400));
    }
    if (auto v = env("RESUMATE_REFRESH_TOKEN_LIFETIME_SECONDS")) {
        c.refresh_token_lifetime = std::chrono::seconds(
            parse_unsigned("RESUMATE_REFRESH_TOKEN_LIFETIME_SECONDS", *v, 1, 3650ull * 86400));
    }
    if (auto v = env("RESUMATE_THROTTLE")) {
        try {
            c.throttle = parse_throttle(*v);
        } catch (const std::invalid_argument& e) {
            throw ConfigError("RESUMATE_THROTTLE", e.what());
        }
    }
    if (auto v = env("RESUMATE_LOGIN_MAX_FAILURES")) {
        c.login_guard.max_per_username =
            static_cast<int64_t>(parse_unsigned("RESUMATE_LOGIN_MAX_FAILURES", *v, 1, 1'000'000));
    }
    if (auto v = env("RESUMATE_LOGIN_MAX_FAILURES_PER_IP")) {
        c.login_guard.max_per_address = static_cast<int64_t>(
            parse_unsigned("RESUMATE_LOGIN_MAX_FAILURES_PER_IP", *v, 1, 1'000'000));
    }
    if (auto v = env("RESUMATE_LOGIN_LOCKOUT_SECONDS")) {
        c.login_guard.window =
            std::chrono::seconds(parse_unsigned("RESUMATE_LOGIN_LOCKOUT_SECONDS", *v, 1, 86400));
    }
    if (auto v = env("RESUMATE_LOGIN_SLOWDOWN_AFTER")) {
        c.login_guard.slowdown_after =
            static_cast<int64_t>(parse_unsigned("RESUMATE_LOGIN_SLOWDOWN_AFTER", *v, 1, 1'000'000));
    }
    if (auto v = env("RESUMATE_LOGIN_MAX_DELAY_SECONDS")) {
        c.login_guard.max_delay =
            std::chrono::seconds(parse_unsigned("RESUMATE_LOGIN_MAX_DELAY_SECONDS", *v, 1, 60));
    }
    if (auto v = env("RESUMATE_HASH_QUEUE")) {
        c.hash_queue =
            static_cast<std::size_t>(parse_unsigned("RESUMATE_HASH_QUEUE", *v, 1, 100'000));
    }
    if (auto v = env("RESUMATE_TRUSTED_PROXIES")) {
        try {
            c.trusted_proxies = http::parse_trusted_proxies(*v);
        } catch (const std::invalid_argument& e) {
            throw ConfigError("RESUMATE_TRUSTED_PROXIES", e.what());
        }
    }
    if (auto v = env("RESUMATE_ROTATE_REFRESH_TOKENS")) {
        c.rotate_refresh_tokens = parse_bool("RESUMATE_ROTATE_REFRESH_TOKENS", *v);
    }
    if (auto v = env("CORS_ALLOWED_ORIGINS")) c.cors_allowed_origins = parse_list(*v);
    if (auto v = env("RESUMATE_COMMON_PASSWORDS")) c.common_passwords_path = *v;
    if (auto v = env("RESUMATE_WEB_DIR")) c.web_dir = *v;

    auto url = [&env](const char* name, std::string& target) {
        if (auto v = env(name); v && !v->empty()) {
            if (!v->starts_with("http://") && !v->starts_with("https://")) {
                throw ConfigError(name, "must be an http:// or https:// URL");
            }
            target = *v;
            while (target.size() > 8 && target.back() == '/') target.pop_back();
        }
    };
    url("GEMINI_BASE_URL", c.gemini_base_url);
    url("OPENROUTER_BASE_URL", c.openrouter_base_url);
    url("OPENAI_COMPAT_BASE_URL", c.openai_compat_base_url);
    if (auto v = env("RESUMATE_AI_CONNECT_TIMEOUT_MS")) {
        c.ai_connect_timeout = std::chrono::milliseconds(
            parse_unsigned("RESUMATE_AI_CONNECT_TIMEOUT_MS", *v, 10, 600'000));
    }
    if (auto v = env("RESUMATE_AI_TIMEOUT_MS")) {
        c.ai_timeout =
            std::chrono::milliseconds(parse_unsigned("RESUMATE_AI_TIMEOUT_MS", *v, 100, 3'600'000));
    }
    if (auto v = env("RESUMATE_AI_MAX_ATTEMPTS")) {
        c.ai_max_attempts = static_cast<int>(parse_unsigned("RESUMATE_AI_MAX_ATTEMPTS", *v, 1, 10));
    }
    if (auto v = env("RESUMATE_OFFLINE_STREAM_PACE_MS")) {
        c.offline_stream_pace = std::chrono::milliseconds(
            parse_unsigned("RESUMATE_OFFLINE_STREAM_PACE_MS", *v, 0, 1000));
    }
    if (auto v = env("RESUMATE_AI_MAX_INPUT_CHARS")) {
        c.ai_max_input_chars =
            static_cast<size_t>(parse_unsigned("RESUMATE_AI_MAX_INPUT_CHARS", *v, 50, 1'000'000));
    }
    if (auto v = env("RESUMATE_AI_KEY_NAMES")) {
        c.ai_key_names = parse_list(*v);
        for (const auto& name : c.ai_key_names) {
            for (char ch : name) {
                if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '*'))
                    throw ConfigError("RESUMATE_AI_KEY_NAMES",
                                      "names are letters, digits, _ and * (a wildcard)");
            }
        }
    }
    if (auto v = env("RESUMATE_AI_ALLOWED_HOSTS")) c.ai_allowed_hosts = parse_list(*v);
    if (auto v = env("YOUR_SITE_URL")) c.site_url = *v;
    if (auto v = env("YOUR_SITE_NAME")) c.site_name = *v;
    return c;
}

ai::EgressPolicy Config::ai_egress() const {
    return ai::EgressPolicy(ai_key_names,
                            {gemini_base_url, openrouter_base_url, openai_compat_base_url},
                            ai_allowed_hosts);
}

void Config::ensure_secret_key() {
    if (!secret_key.empty()) return;
    namespace fs = std::filesystem;
    fs::path path = fs::path(data_dir) / "secret_key";
    std::error_code ec;
    fs::create_directories(data_dir, ec);
    if (ec)
        throw ConfigError("RESUMATE_DATA_DIR", "cannot create " + data_dir + ": " + ec.message());
    if (std::ifstream in(path); in) {
        std::getline(in, secret_key);
        secret_key = std::string(util::trim(secret_key));
        if (secret_key.size() >= kMinSecretKeyLength) {
            secret_key_generated = true;
            return;
        }
    }
    secret_key = util::random_string(64);
    // Create with 0600 from the start so the key is never readable by others, even briefly.
    std::string tmp = path.string() + ".tmp";
    mode_t old = ::umask(077);
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << secret_key << "\n";
        if (!out) {
            ::umask(old);
            throw ConfigError("RESUMATE_DATA_DIR", "cannot write " + path.string());
        }
    }
    ::umask(old);
    ::chmod(tmp.c_str(), 0600);
    fs::rename(tmp, path, ec);
    if (ec)
        throw ConfigError("RESUMATE_DATA_DIR",
                          "cannot write " + path.string() + ": " + ec.message());
    secret_key_generated = true;
}

}  // namespace resumate::app
