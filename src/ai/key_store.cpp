#include "ai/key_store.hpp"

#include "util/strings.hpp"

namespace resumate::ai {

KeyStore::KeyStore(const Variables& startup, Source source, EgressPolicy policy)
    : source_(std::move(source)), policy_(std::move(policy)) {
    for (const auto& [name, value] : startup) {
        if (policy_.key_name_allowed(name)) startup_.emplace(name, value);
    }
}

std::vector<std::string> KeyStore::keys(const std::string& variable) const {
    if (!policy_.key_name_allowed(variable)) return {};
    std::string raw;
    {
        std::lock_guard lock(mu_);
        if (auto it = reloaded_.find(variable); it != reloaded_.end()) {
            raw = it->second;
        } else if (auto st = startup_.find(variable); st != startup_.end()) {
            raw = st->second;
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
    Variables fresh(entries.begin(), entries.end());
    std::lock_guard lock(mu_);
    reloaded_ = std::move(fresh);
    return reloaded_.size();
}

}  // namespace resumate::ai
