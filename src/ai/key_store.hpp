#pragma once
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ai/egress_policy.hpp"

namespace resumate::ai {

// The API keys of the providers, by environment variable name. A variable may hold several
// keys, comma-separated (used in rotation). The values come from the variables read at start-up
// (the process environment and .env); reload() — on SIGHUP — re-reads a source (the .env file),
// whose values then win, so keys can be rotated without a restart; variables the source does not
// name keep their start-up value. Only variables the egress policy allows as key names are ever
// kept or read: a model row naming SECRET_KEY gets no key, as if the variable were unset.
class KeyStore {
  public:
    using Variables = std::map<std::string, std::string, std::less<>>;
    using Source = std::function<std::vector<std::pair<std::string, std::string>>()>;
    explicit KeyStore(const Variables& startup = {}, Source source = {}, EgressPolicy policy = {});
    std::vector<std::string> keys(const std::string& variable) const;
    const EgressPolicy& policy() const { return policy_; }
    // Returns how many variables the source provided.
    size_t reload();

  private:
    Source source_;
    EgressPolicy policy_;
    Variables startup_;  // immutable after construction
    mutable std::mutex mu_;
    Variables reloaded_;
};

}  // namespace resumate::ai
