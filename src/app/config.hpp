// app/: configuration (environment + .env) and the wiring of components into one App.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>
#include "app/throttle.hpp"
#include "http/edge.hpp"
#include "users/login_guard.hpp"

#include "ai/egress_policy.hpp"
#include "cache/redis_cache.hpp"
#include "net/http_client.hpp"
#include "quotas/storage_quota.hpp"

namespace resumate::app {

// A configuration mistake: names the variable, says what is wrong. main prints it as one line.
class ConfigError : public std::runtime_error {
  public:
    ConfigError(std::string variable, const std::string& problem)
        : std::runtime_error(variable + ": " + problem), variable_(std::move(variable)) {}
    const std::string& variable() const { return variable_; }

  private:
    std::string variable_;
};

// Variables by name: the process environment and .env as read at start-up.
using Variables = std::map<std::string, std::string, std::less<>>;

// SECRET_KEY's minimum length wherever one is required (PostgreSQL), and the generated key's.
inline constexpr size_t kMinSecretKeyLength = 32;

struct Config {
    // Server
    std::string host = "127.0.0.1";
    uint16_t port = 8000;
    std::string port_file;  // RESUMATE_PORT_FILE: written with the bound port (tests use PORT=0)
    unsigned threads = 0;   // 0 → core count
    size_t max_body_bytes = 1024 * 1024;
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds idle_timeout{75};
    std::chrono::seconds body_timeout{60};  // a whole request body; each write of a response
    size_t max_connections = 10000;         // RESUMATE_MAX_CONNECTIONS
    size_t max_connections_per_ip = 64;     // RESUMATE_MAX_CONNECTIONS_PER_IP (0: no limit)
    std::chrono::seconds shutdown_grace{20};
    std::vector<std::string> allowed_hosts;  // empty → any
    bool debug = false;
    std::string log_level = "info";
    bool json_logs = false;  // RESUMATE_LOG_FORMAT=json: one JSON object per line
    bool access_log = true;
    // Who may read GET /metrics (RESUMATE_METRICS_ALLOW): addresses and CIDR blocks; anyone else
    // gets a 404. Empty: nobody.
    std::vector<http::Network> metrics_allow = http::parse_networks("127.0.0.0/8,::1");

    // Data
    std::string data_dir = "./data";
    bool auto_migrate = true;       // serve applies pending migrations and seeds before listening
    std::string database_url;       // empty → embedded SQLite under data_dir
    std::string postgres_conninfo;  // set when PostgreSQL is configured (DATABASE_URL or DB_*)
    std::vector<std::string> replica_conninfos;  // DATABASE_REPLICA_URLS
    size_t db_pool_size = 0;                     // 0 → 2 × threads + 2
    std::chrono::milliseconds db_statement_timeout{5000};
    bool embedded_database() const { return postgres_conninfo.empty(); }
    std::string sqlite_path() const;
    std::optional<cache::RedisOptions> redis;  // REDIS_URL or REDIS_HOST; unset → in-process cache
    size_t cache_max_entries = 10000;
    quotas::StorageLimits storage_limits;  // RESUMATE_QUOTA_*
    // RESUMATE_ANONYMOUS_RETENTION_DAYS: resumes generated anonymously (owned by anonymous_user)
    // are deleted this many days after their creation; 0 keeps them.
    int64_t anonymous_retention_days = 30;

    // Security
    std::string secret_key;  // empty here means: generate and keep one in data_dir (embedded only)
    bool secret_key_generated = false;
    std::chrono::seconds access_token_lifetime{300};
    std::chrono::seconds refresh_token_lifetime{86400};
    // RESUMATE_ROTATE_REFRESH_TOKENS (simplejwt's default: off)
    bool rotate_refresh_tokens = false;
    ThrottleRates throttle = parse_throttle(kDefaultThrottle);  // RESUMATE_THROTTLE
    http::TrustedProxies trusted_proxies;                       // RESUMATE_TRUSTED_PROXIES
    users::LoginGuardOptions login_guard;  // RESUMATE_LOGIN_*; off with RESUMATE_THROTTLE=off
    // RESUMATE_HASH_QUEUE: password hashes waiting for a CPU pool thread at most; 0 = 4 per thread
    std::size_t hash_queue = 0;
    std::vector<std::string> cors_allowed_origins;
    // RESUMATE_WEB_DIR: the web app's built files. Empty: web/dist beside the binary's build
    // folder, else /usr/share/resumate/web, else none (the API only). "off": none.
    std::string web_dir;
    std::string common_passwords_path =
        "/usr/lib/python3/dist-packages/django/contrib/auth/common-passwords.txt.gz";

    // AI
    std::string gemini_base_url = "https://generativelanguage.googleapis.com";
    std::string openrouter_base_url = "https://openrouter.ai/api/v1";
    std::string openai_compat_base_url;
    // RESUMATE_AI_KEY_NAMES: the variables a model may name as its key (patterns)
    std::vector<std::string> ai_key_names{std::string(ai::EgressPolicy::kDefaultKeyNames)};
    // RESUMATE_AI_ALLOWED_HOSTS: hosts ("host" or "host:port") a model's own base URL may name,
    // besides those of the three base URLs above
    std::vector<std::string> ai_allowed_hosts;
    ai::EgressPolicy ai_egress() const;
    std::string site_url;
    std::string site_name;
    // HTTPS_PROXY, HTTP_PROXY, NO_PROXY (or their lower-case forms) for calls to the providers
    net::ProxySettings proxy;
    std::chrono::milliseconds ai_connect_timeout{5000};
    std::chrono::milliseconds ai_timeout{60000};  // a whole generation, retries included
    int ai_max_attempts = 3;
    // RESUMATE_OFFLINE_STREAM_PACE_MS: a pause between the lines of an offline-model stream
    std::chrono::milliseconds offline_stream_pace{0};
    size_t ai_max_input_chars = 20000;  // user_input sent to a provider, in characters

    // Every variable the configuration was read from (the process environment, plus `.env` for
    // the names the environment lacks), for the few values read by name later: the
    // DJANGO_SUPERUSER_* variables of createsuperuser and the AI providers' keys.
    Variables variables;
    std::optional<std::string> variable(std::string_view name) const;

    // Reads the process environment and `.env` from the working directory (values already in the
    // environment win) into `variables`, and every setting from them. Throws ConfigError. The
    // process environment itself is left as it is.
    static Config from_environment();
    // The same from given variables. Throws ConfigError.
    static Config from_variables(Variables variables);
    // Reads or creates `<data_dir>/secret_key` (mode 0600) when SECRET_KEY is unset on the
    // embedded default. Throws ConfigError when it cannot.
    void ensure_secret_key();
};

// The KEY=VALUE lines of a .env file, in order (nothing when it does not exist).
std::vector<std::pair<std::string, std::string>> read_dotenv(const std::string& path);

// The process environment, plus the variables of the .env file at `dotenv_path` that it lacks.
Variables read_variables(const std::string& dotenv_path);

}  // namespace resumate::app
