// db::redact_conninfo: no password of the connection string survives in an error message.
#include "db/postgres_database.hpp"

#include <gtest/gtest.h>

namespace {

using resumate::db::redact_conninfo;

TEST(RedactConninfo, PasswordOfAUriIsReplaced) {
    const std::string url = "postgres://resumate:pa55word@db.example:5432/resumate";
    EXPECT_EQ(redact_conninfo("FATAL: bad password pa55word for resumate", url),
              "FATAL: bad password ******** for resumate");
    EXPECT_EQ(redact_conninfo("cannot use " + url, url), "cannot use ********");
}

TEST(RedactConninfo, PercentEncodedPasswordIsReplacedDecodedToo) {
    const std::string url = "postgres://u:p%40ss-w0rd@127.0.0.1/db";
    const std::string out = redact_conninfo("a p@ss-w0rd b p%40ss-w0rd c", url);
    EXPECT_EQ(out.find("ss-w0rd"), std::string::npos) << out;
}

TEST(RedactConninfo, WhatLibpqQuotesFromMalformedUris) {
    // libpq's own texts for these URIs (checked with libpq 15).
    const std::string bad_escape = "postgres://u:s3cretPW%zz@127.0.0.1:1/db";
    EXPECT_EQ(redact_conninfo("invalid percent-encoded token: \"s3cretPW%zz\"", bad_escape),
              "invalid percent-encoded token: \"********\"");
    const std::string bad_host = "postgres://u:s3cretPW@[::1/db";
    std::string out = redact_conninfo(
        "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"" +
            bad_host + "\"",
        bad_host);
    EXPECT_EQ(out.find("s3cretPW"), std::string::npos) << out;
}

TEST(RedactConninfo, KeyValuePasswordIsReplaced) {
    const std::string ci = "dbname='resumate' user='resumate' password='it\\'s s3cret' host='db'";
    const std::string out = redact_conninfo("password it's s3cret rejected; " + ci, ci);
    EXPECT_EQ(out.find("s3cret"), std::string::npos) << out;
    EXPECT_EQ(out, "password ******** rejected; ********");
}

TEST(RedactConninfo, OtherMessagesAreLeftAlone) {
    const std::string msg =
        "connection to server at \"127.0.0.1\", port 1 failed: Connection refused";
    EXPECT_EQ(redact_conninfo(msg, "postgres://postgres@127.0.0.1:1/db"), msg);
    EXPECT_EQ(redact_conninfo(msg, "postgres://u:s3cret@127.0.0.1:1/db"), msg);
}

}  // namespace
