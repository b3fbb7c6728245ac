#include <cctype>

#include "db/database.hpp"

namespace resumate::db {

namespace {
// Only plain SELECTs may go to a replica; locking reads need the primary.
bool is_plain_select(std::string_view sql) {
    size_t i = 0;
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    if (sql.size() - i < 6) return false;
    for (size_t k = 0; k < 6; ++k) {
        if (std::toupper(static_cast<unsigned char>(sql[i + k])) != "SELECT"[k]) return false;
    }
    return sql.find("FOR UPDATE") == std::string_view::npos && sql.find("FOR SHARE") == std::string_view::npos;
}
}  // namespace

Task<Result> Session::execute(std::string_view sql, std::vector<Value> params) {
    if (!wrote_ && is_plain_select(sql)) return db_.execute_read(sql, std::move(params));
    wrote_ = true;
    return db_.execute(sql, std::move(params));
}

}  // namespace resumate::db
