#pragma once
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ai/egress_policy.hpp"

namespace resumate::ai {

// The API keys of the providers, by environment variable name. A variable may hold several
// keys, comma-separated (used in rotation). reload() — on SIGHUP — re-reads the values from a
// source (the .env file), so keys can be rotated without a restart; variables the source does
// not name keep their environment value. Only variables the egress policy allows as key names
// are ever read: a model row naming SECRET_KEY gets no key, as if the variable were unset.
class KeyStore {
public:
    using Source = std::function<std::vector<std::pair<std::string, std::string>>()>;
    explicit KeyStore(Source source = {}, EgressPolicy policy = {})
        : source_(std::move(source)), policy_(std::move(policy)) {}
    std::vector<std::string> keys(const std::string& variable) const;
    const EgressPolicy& policy() const { return policy_; }
    // Returns how many variables the source provided.
    size_t reload();

private:
    Source source_;
    EgressPolicy policy_;
    mutable std::mutex mu_;
    std::map<std::string, std::string> overrides_;
};

}  // namespace resumate::ai
