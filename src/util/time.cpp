#include "util/time.hpp"

#include <chrono>
#include <cstdio>

namespace resumate::util {
namespace {

// Howard Hinnant's civil-from-days / days-from-civil algorithms (public domain formulas).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

bool is_leap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(int64_t y, unsigned m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

int64_t floor_div(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool read_digits(std::string_view s, size_t& pos, size_t n, int64_t& out) {
    if (pos + n > s.size()) return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    pos += n;
    out = v;
    return true;
}

// Writes `width` digits of v (zero-padded) at out; the hot path of every JSON timestamp, so no
// printf.
char* put_digits(char* out, int64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    return out + width;
}

std::string format_ts(Timestamp t, char sep, bool iso) {
    int64_t secs = floor_div(t.micros, 1'000'000);
    int64_t frac = t.micros - secs * 1'000'000;
    int64_t days = floor_div(secs, 86400);
    int64_t rem = secs - days * 86400;
    int64_t y = 0;
    unsigned m = 1, d = 1;
    civil_from_days(days, y, m, d);
    char buf[40];
    char* p = buf;
    if (y < 0 || y > 9999) {
        p += std::snprintf(p, 12, "%04lld", static_cast<long long>(y));
    } else {
        p = put_digits(p, y, 4);
    }
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p++ = sep;
    p = put_digits(p, rem / 3600, 2);
    *p++ = ':';
    p = put_digits(p, (rem / 60) % 60, 2);
    *p++ = ':';
    p = put_digits(p, rem % 60, 2);
    if (frac != 0 || !iso) {
        *p++ = '.';
        p = put_digits(p, frac, 6);
    }
    if (iso) *p++ = 'Z';
    return std::string(buf, p);
}

}  // namespace

Timestamp now() {
    using namespace std::chrono;
    return {duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()};
}

int64_t now_seconds() {
    return floor_div(now().micros, 1'000'000);
}

std::string to_iso8601(Timestamp t) {
    return format_ts(t, 'T', true);
}
std::string to_sql_timestamp(Timestamp t) {
    return format_ts(t, ' ', false);
}

std::optional<Timestamp> parse_timestamp(std::string_view s) {
    size_t p = 0;
    int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, frac = 0;
    if (!read_digits(s, p, 4, y) || p >= s.size() || s[p++] != '-') return std::nullopt;
    if (!read_digits(s, p, 2, mo) || p >= s.size() || s[p++] != '-') return std::nullopt;
    if (!read_digits(s, p, 2, d) || p >= s.size() || (s[p] != ' ' && s[p] != 'T')) {
        return std::nullopt;
    }
    ++p;
    if (!read_digits(s, p, 2, h) || p >= s.size() || s[p++] != ':') return std::nullopt;
    if (!read_digits(s, p, 2, mi) || p >= s.size() || s[p++] != ':') return std::nullopt;
    if (!read_digits(s, p, 2, se)) return std::nullopt;
    if (p < s.size() && s[p] == '.') {
        ++p;
        int64_t scale = 100000;
        size_t start = p;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
            if (scale > 0) frac += (s[p] - '0') * scale;
            scale /= 10;
            ++p;
        }
        if (p == start) return std::nullopt;
    }
    int64_t offset_secs = 0;
    if (p < s.size()) {
        if (s[p] == 'Z') {
            ++p;
        } else if (s[p] == '+' || s[p] == '-') {
            int sign = s[p] == '-' ? -1 : 1;
            ++p;
            int64_t oh = 0, om = 0;
            if (!read_digits(s, p, 2, oh)) return std::nullopt;
            if (p < s.size() && s[p] == ':') ++p;
            if (p < s.size() && !read_digits(s, p, 2, om)) return std::nullopt;
            offset_secs = sign * (oh * 3600 + om * 60);
        }
    }
    if (p != s.size()) return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, static_cast<unsigned>(mo)) || h > 23 ||
        mi > 59 || se > 60) {
        return std::nullopt;
    }
    int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset_secs;
    return Timestamp{secs * 1'000'000 + frac};
}

std::string to_iso_date(Date date) {
    int64_t y = 0;
    unsigned m = 1, d = 1;
    civil_from_days(date.days, y, m, d);
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return std::string(buf, static_cast<size_t>(n));
}

std::optional<Date> parse_date(std::string_view s) {
    size_t p = 0;
    int64_t y = 0;
    if (!read_digits(s, p, 4, y) || p >= s.size() || s[p++] != '-') return std::nullopt;
    auto read_1_2 = [&](int64_t& out) {
        size_t start = p;
        out = 0;
        while (p < s.size() && p - start < 2 && s[p] >= '0' && s[p] <= '9') {
            out = out * 10 + (s[p++] - '0');
        }
        return p > start;
    };
    int64_t m, d;
    if (!read_1_2(m) || p >= s.size() || s[p++] != '-') return std::nullopt;
    if (!read_1_2(d) || p != s.size()) return std::nullopt;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, static_cast<unsigned>(m))) {
        return std::nullopt;
    }
    return Date{static_cast<int32_t>(
        days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)))};
}

int64_t seconds_until_utc_midnight(int64_t now_s) {
    int64_t next = (floor_div(now_s, 86400) + 1) * 86400;
    return std::max<int64_t>(1, next - now_s);
}

}  // namespace resumate::util
