#pragma once
// What an AI model row may make the server do with its secrets and its network: which
// environment variables a model may name as its key, and which hosts a model's own base URL
// ("<model>@http…") may point at. The operator decides both (RESUMATE_AI_KEY_NAMES,
// RESUMATE_AI_ALLOWED_HOSTS and the configured *_BASE_URL variables); a staff user editing models
// through the admin API or the CLI cannot widen them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::ai {

class EgressPolicy {
  public:
    // The default allowlist of key variable names (shell patterns, `*` any run of characters).
    static constexpr std::string_view kDefaultKeyNames = "*_API_KEY";

    EgressPolicy() : EgressPolicy({std::string(kDefaultKeyNames)}, {}, {}) {}
    // `key_names`: patterns; `base_urls`: the configured provider base URLs (their hosts are
    // allowed); `allowed_hosts`: "host" (any port) or "host:port" ("[v6]:port" for IPv6).
    EgressPolicy(std::vector<std::string> key_names, const std::vector<std::string>& base_urls,
                 const std::vector<std::string>& allowed_hosts);

    // Whether a model may read its key from this variable. Names of the server's own secrets
    // (SECRET_KEY, DATABASE_URL, *PASSWORD*, …) are refused whatever the allowlist says.
    bool key_name_allowed(std::string_view name) const;
    // Whether a model may send its requests (and its key) to this base URL: http or https, no
    // user information, and a host (and port) the operator allowed.
    bool base_url_allowed(std::string_view url) const;

    // The problem with a model's api_key_name / model_name, in the words the admin API and the CLI
    // show for that field; nullopt when it is fine.
    std::optional<std::string> key_name_problem(std::string_view name) const;
    std::optional<std::string> model_name_problem(std::string_view model_name) const;

  private:
    struct Origin {
        std::string host;              // lower case; IPv6 without brackets
        std::optional<uint16_t> port;  // nullopt: any
    };
    std::vector<std::string> key_names_;
    std::vector<Origin> origins_;
};

}  // namespace resumate::ai
