// Expected messages come from the installed Django 3.2: its MinimumLengthValidator,
// CommonPasswordValidator, NumericPasswordValidator and UserAttributeSimilarityValidator
// (attributes username, email) run in that order on the same inputs.
#include "users/password_validators.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using resumate::users::CommonPasswordList;
using resumate::users::quick_ratio;
using resumate::users::validate_password;
using Messages = std::vector<std::string>;

const std::string kTooShort = "This password is too short. It must contain at least 8 characters.";
const std::string kTooCommon = "This password is too common.";
const std::string kNumeric = "This password is entirely numeric.";
const std::string kLikeUsername = "The password is too similar to the username.";
const std::string kLikeEmail = "The password is too similar to the email address.";

// Loaded once: inflating ~20,000 lines for every test would only slow the suite down.
const CommonPasswordList& django_list() {
    static const CommonPasswordList list = CommonPasswordList::load();
    return list;
}

std::string temp_path(const std::string& name) {
    return testing::TempDir() + "resumate_" + name;
}

void write_gzip(const std::string& path, const std::string& content) {
    gzFile file = gzopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    ASSERT_EQ(gzwrite(file, content.data(), static_cast<unsigned>(content.size())),
              static_cast<int>(content.size()));
    ASSERT_EQ(gzclose(file), Z_OK);
}

void write_plain(const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
}

TEST(CommonPasswordList, LoadsDjangosList) {
    const auto& list = django_list();
    EXPECT_GT(list.size(), 19000u);
    EXPECT_LT(list.size(), 21000u);
    EXPECT_TRUE(list.contains("password"));
    EXPECT_TRUE(list.contains("PassWord"));        // lower()
    EXPECT_TRUE(list.contains("  password \t"));   // strip()
    EXPECT_TRUE(list.contains("\u00A0password"));  // Python strips NBSP too
    EXPECT_TRUE(list.contains("12345678"));
    EXPECT_FALSE(list.contains("Zx9!qLm#2vBt"));
    EXPECT_FALSE(list.contains("pass word"));
    EXPECT_FALSE(list.contains(""));
}

TEST(CommonPasswordList, MissingFileThrowsNamingThePath) {
    const std::string path = temp_path("does_not_exist.txt.gz");
    try {
        CommonPasswordList::load(path);
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

TEST(CommonPasswordList, ReadsGzipAndPlainTextWithStripping) {
    const std::string gz = temp_path("list.txt.gz");
    write_gzip(gz, "alpha\r\n  beta  \ngamma");
    const auto from_gzip = CommonPasswordList::load(gz);
    EXPECT_EQ(from_gzip.size(), 3u);
    EXPECT_TRUE(from_gzip.contains("ALPHA"));
    EXPECT_TRUE(from_gzip.contains("beta"));
    EXPECT_TRUE(from_gzip.contains("gamma"));
    EXPECT_FALSE(from_gzip.contains("delta"));

    const std::string plain = temp_path("list.txt");
    write_plain(plain, "one\ntwo\ntwo\n");
    const auto from_plain = CommonPasswordList::load(plain);
    EXPECT_EQ(from_plain.size(), 2u);  // duplicates collapse, no entry after the last newline
    EXPECT_TRUE(from_plain.contains("two"));
    EXPECT_FALSE(from_plain.contains(""));
    std::remove(gz.c_str());
    std::remove(plain.c_str());
}

TEST(CommonPasswordList, RejectsEmptyTruncatedAndNonUtf8Files) {
    const std::string empty = temp_path("empty.txt");
    write_plain(empty, "");
    EXPECT_THROW(CommonPasswordList::load(empty), std::runtime_error);

    std::string content;
    for (int i = 0; i < 5000; ++i) content += "password" + std::to_string(i) + "\n";
    const std::string full = temp_path("full.txt.gz");
    write_gzip(full, content);
    std::ifstream in(full, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string truncated = temp_path("truncated.txt.gz");
    write_plain(truncated, bytes.substr(0, bytes.size() / 2));
    EXPECT_THROW(CommonPasswordList::load(truncated), std::runtime_error);

    const std::string latin1 = temp_path("latin1.txt");
    write_plain(latin1, "caf\xe9\n");
    EXPECT_THROW(CommonPasswordList::load(latin1), std::runtime_error);
    for (const auto& path : {empty, full, truncated, latin1}) std::remove(path.c_str());
}

TEST(PasswordValidators, ReportsAllFailuresInDjangosOrder) {
    EXPECT_EQ(validate_password("1234567", "bob", "", django_list()),
              (Messages{kTooShort, kTooCommon, kNumeric}));
    EXPECT_EQ(
        validate_password("qwertyuiop", "qwertyuiop", "qwertyuiop@example.com", django_list()),
        (Messages{kTooCommon, kLikeUsername}));
}

TEST(PasswordValidators, AcceptsAStrongPassword) {
    EXPECT_EQ(validate_password("Zx9!qLm#2vBt", "bob", "bob@example.com", django_list()),
              Messages{});
}

TEST(PasswordValidators, CountsCodePointsNotBytes) {
    // 7 two-byte characters: 14 bytes, still too short.
    EXPECT_EQ(validate_password("ëëëëëëë", "bob", "", django_list()), Messages{kTooShort});
    EXPECT_EQ(validate_password("éèàùçôîï", "bob", "", django_list()), Messages{});
}

TEST(PasswordValidators, NumericFollowsPythonIsdigit) {
    EXPECT_EQ(validate_password("٣٤٥٦٧٨٩٠١", "bob", "", django_list()), Messages{kNumeric});
    EXPECT_EQ(validate_password("²³¹", "bob", "", django_list()), (Messages{kTooShort, kNumeric}));
    EXPECT_EQ(validate_password("12345678a", "bob", "", django_list()), Messages{kTooCommon});
}

TEST(PasswordValidators, CommonCheckLowersAndStrips) {
    EXPECT_EQ(validate_password("PASSWORD", "bob", "", django_list()), Messages{kTooCommon});
    EXPECT_EQ(validate_password(" password ", "bob", "", django_list()), Messages{kTooCommon});
    EXPECT_EQ(validate_password("Password1", "bob", "", django_list()), Messages{kTooCommon});
}

TEST(PasswordValidators, SimilarityToUsernameAndEmail) {
    EXPECT_EQ(validate_password("alice-wonder-2024", "alice-wonder-2024", "", django_list()),
              Messages{kLikeUsername});
    // Only the first similar attribute is reported, as Django raises on the first.
    EXPECT_EQ(validate_password("johnsmith", "john.smith@example.com", "john.smith@example.com",
                                django_list()),
              Messages{kLikeUsername});
    // The email's parts ("example", "com") are compared as well as the whole address.
    EXPECT_EQ(validate_password("examplecom1", "bob", "someone@example.com", django_list()),
              Messages{kLikeEmail});
    EXPECT_EQ(validate_password("bob12345", "", "bob12345@example.com", django_list()),
              Messages{kLikeEmail});
    // Case-insensitive beyond ASCII.
    EXPECT_EQ(validate_password("ÉLODIE-2024", "élodie-2024", "", django_list()),
              Messages{kLikeUsername});
    EXPECT_EQ(validate_password("smithjohnny", "johnny", "john.smith@x.org", django_list()),
              Messages{kLikeUsername});
}

TEST(PasswordValidators, SimilarityEdgeCasesMatchDjango) {
    // A username much shorter than the password is skipped by the length-ratio guard.
    EXPECT_EQ(validate_password(std::string(100, 'x'), "xy", "", django_list()), Messages{});
    EXPECT_EQ(validate_password("abcdefghij", "a", "", django_list()), Messages{kTooCommon});
    // Django quirk: "bob." splits into ["bob", ""], and an empty password against the empty
    // part has quick_ratio 1.0.
    EXPECT_EQ(validate_password("", "bob.", "", django_list()),
              (Messages{kTooShort, kLikeUsername}));
    EXPECT_EQ(validate_password("", "bob", "", django_list()), Messages{kTooShort});
}

TEST(PasswordValidators, InvalidUtf8IsJudgedNotRejected) {
    const auto messages = validate_password("abc\xff", "bob", "", django_list());
    EXPECT_EQ(messages, Messages{kTooShort});
}

TEST(PasswordValidators, QuickRatioIsMultisetIntersection) {
    EXPECT_DOUBLE_EQ(quick_ratio(U"abcd", U"bcde"), 0.75);
    EXPECT_DOUBLE_EQ(quick_ratio(U"aab", U"abb"), 2.0 * 2 / 6);
    EXPECT_DOUBLE_EQ(quick_ratio(U"", U""), 1.0);
    EXPECT_DOUBLE_EQ(quick_ratio(U"abc", U""), 0.0);
    EXPECT_DOUBLE_EQ(quick_ratio(U"abc", U"cba"), 1.0);
}

}  // namespace
