#include <gtest/gtest.h>

#include "util/time.hpp"

using namespace resumate::util;

TEST(Time, IsoFormatWithMicrosecondsAndZ) {
    auto t = parse_timestamp("2025-07-24 10:30:00.123456");
    ASSERT_TRUE(t);
    EXPECT_EQ(to_iso8601(*t), "2025-07-24T10:30:00.123456Z");
    EXPECT_EQ(to_sql_timestamp(*t), "2025-07-24 10:30:00.123456");
}

TEST(Time, ZeroFractionOmittedLikePythonIsoformat) {
    auto t = parse_timestamp("2025-07-24T10:30:00Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(to_iso8601(*t), "2025-07-24T10:30:00Z");
}

TEST(Time, PostgresTextWithOffset) {
    auto t = parse_timestamp("2026-11-26 09:53:41.5+01");
    ASSERT_TRUE(t);
    EXPECT_EQ(to_iso8601(*t), "2026-11-26T08:53:41.500000Z");
    auto u = parse_timestamp("2026-11-26 09:53:41.536298+00:00");
    ASSERT_TRUE(u);
    EXPECT_EQ(to_iso8601(*u), "2026-11-26T09:53:41.536298Z");
}

TEST(Time, BeforeEpoch) {
    auto t = parse_timestamp("1969-12-31 23:59:59.999999");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->micros, -1);
    EXPECT_EQ(to_iso8601(*t), "1969-12-31T23:59:59.999999Z");
}

TEST(Time, RejectsGarbage) {
    EXPECT_FALSE(parse_timestamp(""));
    EXPECT_FALSE(parse_timestamp("2025-13-01 00:00:00"));
    EXPECT_FALSE(parse_timestamp("2025-02-29 00:00:00"));
    EXPECT_FALSE(parse_timestamp("2025-01-01 00:00:00x"));
}

TEST(Date, DjangoParseDateRules) {
    EXPECT_EQ(to_iso_date(*parse_date("2025-01-15")), "2025-01-15");
    EXPECT_EQ(to_iso_date(*parse_date("2025-1-5")), "2025-01-05");  // \d{1,2} as Django
    EXPECT_EQ(to_iso_date(*parse_date("2024-02-29")), "2024-02-29");
    EXPECT_FALSE(parse_date("2025-02-29"));
    EXPECT_FALSE(parse_date("15/01/2025"));
    EXPECT_FALSE(parse_date("2025-01-15T00:00:00"));
    EXPECT_FALSE(parse_date("25-01-15"));
    EXPECT_FALSE(parse_date("2025-001-15"));
    EXPECT_FALSE(parse_date("0000-01-01"));
}

TEST(Time, SecondsUntilUtcMidnight) {
    EXPECT_EQ(seconds_until_utc_midnight(0), 86400);
    EXPECT_EQ(seconds_until_utc_midnight(86399), 1);
    EXPECT_EQ(seconds_until_utc_midnight(86400 + 3600), 86400 - 3600);
}
