// util/: small helpers that know no feature: time, strings, randomness.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace resumate::util {

// Microseconds since the Unix epoch, UTC. The resolution Django stores.
struct Timestamp {
    int64_t micros = 0;
    friend bool operator==(Timestamp, Timestamp) = default;
    friend auto operator<=>(Timestamp, Timestamp) = default;
};

// Days since 1970-01-01.
struct Date {
    int32_t days = 0;
    friend bool operator==(Date, Date) = default;
};

Timestamp now();
int64_t now_seconds();

// "2025-07-24T10:30:00.123456Z"; like Python's isoformat() the fraction is omitted when zero
// (DRF's DateTimeField output).
std::string to_iso8601(Timestamp t);
// "2025-07-24 10:30:00.123456" — Django's SQLite storage format.
std::string to_sql_timestamp(Timestamp t);
// Parses "YYYY-MM-DD HH:MM:SS[.ffffff][+00[:00]|Z]" or the same with 'T'. nullopt on garbage.
std::optional<Timestamp> parse_timestamp(std::string_view s);

std::string to_iso_date(Date d);
// Django's parse_date: ^\d{4}-\d{1,2}-\d{1,2}$ and a real calendar date.
std::optional<Date> parse_date(std::string_view s);

// Seconds from t until the next UTC midnight (at least 1).
int64_t seconds_until_utc_midnight(int64_t now_seconds);

}  // namespace resumate::util
