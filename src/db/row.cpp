#include "db/database.hpp"
#include "util/strings.hpp"

namespace resumate::db {

std::string_view Row::view(size_t i) const {
    const Cell& c = cells_.at(i);
    if (c.length < 0) throw DbError("unexpected NULL in column " + std::to_string(i));
    return std::string_view(data_).substr(c.offset, static_cast<size_t>(c.length));
}

int64_t Row::integer(size_t i) const {
    auto v = util::parse_int64(view(i));
    if (!v) throw DbError("not an integer in column " + std::to_string(i));
    return *v;
}

std::optional<int64_t> Row::optional_integer(size_t i) const {
    if (is_null(i)) return std::nullopt;
    return integer(i);
}

bool Row::boolean(size_t i) const {
    std::string_view t = view(i);
    return t == "1" || t == "t" || t == "true";
}

util::Timestamp Row::timestamp(size_t i) const {
    auto t = util::parse_timestamp(view(i));
    if (!t) throw DbError("not a timestamp in column " + std::to_string(i));
    return *t;
}

std::optional<util::Timestamp> Row::optional_timestamp(size_t i) const {
    if (is_null(i)) return std::nullopt;
    return timestamp(i);
}

std::optional<util::Date> Row::optional_date(size_t i) const {
    if (is_null(i)) return std::nullopt;
    auto d = util::parse_date(view(i));
    if (!d) throw DbError("not a date in column " + std::to_string(i));
    return d;
}

}  // namespace resumate::db
