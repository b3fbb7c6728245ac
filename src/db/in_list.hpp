// Reading a known set of rows by id in one statement: prepared statements are keyed by their
// text, so there is one statement per list length (1 … kMaxInList), built once.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace resumate::db {

inline constexpr size_t kMaxInList = 64;

// statements[n] = prefix + "($first, …, $(first + n - 1))" for n in 1 … kMaxInList.
inline std::vector<std::string> in_list_statements(const std::string& prefix, int first) {
    std::vector<std::string> out(kMaxInList + 1);
    for (size_t n = 1; n <= kMaxInList; ++n) {
        std::string sql = prefix + "(";
        for (size_t i = 0; i < n; ++i) {
            if (i) sql += ", ";
            sql += "$" + std::to_string(first + static_cast<int>(i));
        }
        out[n] = sql + ")";
    }
    return out;
}

// The rows reordered as `ids` lists them; ids with no row are skipped.
template <typename T, typename IdOf>
std::vector<T> in_order_of(const std::vector<int64_t>& ids, std::vector<T> rows, IdOf id_of) {
    std::unordered_map<int64_t, size_t> at;
    at.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) at.emplace(id_of(rows[i]), i);
    std::vector<T> out;
    out.reserve(rows.size());
    for (int64_t id : ids) {
        auto it = at.find(id);
        if (it != at.end()) out.push_back(std::move(rows[it->second]));
    }
    return out;
}

}  // namespace resumate::db
