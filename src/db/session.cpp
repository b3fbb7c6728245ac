#include "db/database.hpp"

namespace resumate::db {

Task<Result> Session::execute(std::string_view sql, std::vector<Value> params) {
    wrote_ = true;
    return db_.execute(sql, std::move(params));
}

Task<Result> Session::execute_read(std::string_view sql, std::vector<Value> params) {
    if (wrote_) return db_.execute(sql, std::move(params));
    return db_.execute_on_replica(sql, std::move(params), min_position_);
}

}  // namespace resumate::db
