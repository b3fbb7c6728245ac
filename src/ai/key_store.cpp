#include "ai/key_store.hpp"

#include <cstdlib>

#include "util/strings.hpp"

namespace resumate::ai {

std::vector<std::string> KeyStore::keys(const std::string& variable) const {
    if (!policy_.key_name_allowed(variable)) return {};
    std::string raw;
    {
        std::lock_guard lock(mu_);
        auto it = overrides_.find(variable);
        if (it != overrides_.end()) {
            raw = it->second;
        } else if (const char* v = std::getenv(variable.c_str())) {
            raw = v;
        }
    }
    std::vector<std::string> out;
    for (auto& k : util::split(raw, ',')) {
        std::string_view t = util::trim(k);
        if (!t.empty()) out.emplace_back(t);
    }
    return out;
}

size_t KeyStore::reload() {
    if (!source_) return 0;
    auto entries = source_();
    std::map<std::string, std::string> fresh(entries.begin(), entries.end());
    std::lock_guard lock(mu_);
    overrides_ = std::move(fresh);
    return overrides_.size();
}

}  // namespace resumate::ai
