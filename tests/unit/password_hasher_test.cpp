#include "users/password_hasher.hpp"

#include <argon2.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using resumate::users::Argon2Params;
using resumate::users::check_password;
using resumate::users::is_usable_password;
using resumate::users::make_password;
using resumate::users::make_unusable_password;
using resumate::users::run_dummy_check;

// Made by the installed Django 3.2.25 (Debian python3-django) with python3-argon2 21.1.0:
//   settings.configure(); from django.contrib.auth.hashers import *
//   make_password('lètmein', 'seasalt', 'pbkdf2_sha256')                  -> kPbkdf2Default
//   PBKDF2PasswordHasher().encode('lètmein', 'seasalt', 1200000)          -> kPbkdf2High
//   PBKDF2PasswordHasher().encode('correct horse', 'AbCdEfGhIjKlMnOpQrStUv', 260000)
//   PBKDF2SHA1PasswordHasher().encode('lètmein', 'seasalt', 260000)       -> kPbkdf2Sha1
//   a = Argon2PasswordHasher(); a.memory_cost = 19456; a.parallelism = 1
//   a.encode('lètmein', 'Zx7Qp2Lm9Rt4Vw8Ys3Kd6N')                         -> kArgon2Owasp
//   Argon2PasswordHasher().encode('lètmein', 'Zx7Qp2Lm9Rt4Vw8Ys3Kd6N')    -> kArgon2DjangoDefault
// argon2-cffi 21.1 writes 16-byte hashes; newer releases write 32 bytes, as kArgon2Owasp32:
//   'argon2' + argon2.low_level.hash_secret('pässwörd'.encode(), b'Zx7Qp2Lm9Rt4Vw8Ys3Kd6N',
//       time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, type=Type.ID).decode()
// Legacy shapes older Django releases stored (argon2i; Argon2 1.0 with "v=16" or no version
// field), made with cheap costs by argon2-cffi 21.1: 'argon2' + hash_secret(b'secret',
// b'somesaltsomesalt', time_cost=1, memory_cost=8, parallelism=1, hash_len=16, type=Type.I,
// version=19 or 16); the no-"v=" string is the v=16 one with "v=16$" removed. Django 3.2's
// check_password accepts all three.
constexpr const char* kPbkdf2Default =
    "pbkdf2_sha256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=";
constexpr const char* kPbkdf2High =
    "pbkdf2_sha256$1200000$seasalt$6sTlFi4QohxXLuZigqDIUNX8xG9NxrTmV8+flFQdBqE=";
constexpr const char* kPbkdf2LongSalt =
    "pbkdf2_sha256$260000$AbCdEfGhIjKlMnOpQrStUv$/ZoBRh0B8r+a+RmYHqHTEKb93nkY0O4/1j1Vvv+Dl2Q=";
constexpr const char* kPbkdf2Sha1 = "pbkdf2_sha1$260000$seasalt$XXHk2gQ7tjWIyrS320RXXsGqkUg=";
constexpr const char* kArgon2Owasp =
    "argon2$argon2id$v=19$m=19456,t=2,p=1$Wng3UXAyTG05UnQ0Vnc4WXMzS2Q2Tg$IJIUANPkpeZ54uPiUg3BUA";
constexpr const char* kArgon2DjangoDefault =
    "argon2$argon2id$v=19$m=102400,t=2,p=8$Wng3UXAyTG05UnQ0Vnc4WXMzS2Q2Tg$JtB7E5qJYd+EkulgVL+nvA";
constexpr const char* kArgon2Owasp32 =
    "argon2$argon2id$v=19$m=19456,t=2,p=1$Wng3UXAyTG05UnQ0Vnc4WXMzS2Q2Tg$"
    "c0JJVJMR4V2fHAYXGMFBCixueX/29xODGvJKSfwTJ/k";
constexpr const char* kArgon2iV19 =
    "argon2$argon2i$v=19$m=8,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$6HRLOY6DqhnllRqS0FJ+vg";
constexpr const char* kArgon2iV16 =
    "argon2$argon2i$v=16$m=8,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$IHaag7BTwGCE0YDBv/wprw";
constexpr const char* kArgon2iNoVersion =
    "argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$IHaag7BTwGCE0YDBv/wprw";

// Cheap parameters keep the round-trip tests fast; the defaults are exercised separately.
constexpr Argon2Params kFast{.memory_kib = 64, .time_cost = 1, .parallelism = 1};

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::string::size_type start = 0;
    for (;;) {
        const auto at = s.find(sep, start);
        parts.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) return parts;
        start = at + 1;
    }
}

// Only for inspecting test output: padding is added back, as Django's decode() does.
std::string base64_decode(std::string in) {
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for (char c : in) {
        const auto v = alphabet.find(c);
        if (v == std::string::npos) break;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

bool all_alphanumeric(const std::string& s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

TEST(PasswordHasher, VerifiesDjangoPbkdf2Sha256) {
    const auto ok = check_password("lètmein", kPbkdf2Default);
    EXPECT_TRUE(ok.ok);
    EXPECT_TRUE(ok.needs_rehash);  // Argon2 is the default now
    EXPECT_FALSE(check_password("letmein", kPbkdf2Default).ok);
    EXPECT_FALSE(check_password("lètmein ", kPbkdf2Default).ok);
    EXPECT_TRUE(check_password("correct horse", kPbkdf2LongSalt).ok);
    EXPECT_FALSE(check_password("correct horse", kPbkdf2Default).ok);
}

TEST(PasswordHasher, VerifiesDjangoPbkdf2AtAHighIterationCount) {
    const auto ok = check_password("lètmein", kPbkdf2High);
    EXPECT_TRUE(ok.ok);
    EXPECT_TRUE(ok.needs_rehash);
    EXPECT_FALSE(check_password("lètmeim", kPbkdf2High).ok);
}

TEST(PasswordHasher, VerifiesDjangoPbkdf2Sha1) {
    EXPECT_TRUE(check_password("lètmein", kPbkdf2Sha1).ok);
    EXPECT_TRUE(check_password("lètmein", kPbkdf2Sha1).needs_rehash);
    EXPECT_FALSE(check_password("letmein", kPbkdf2Sha1).ok);
}

TEST(PasswordHasher, Pbkdf2FieldsMustBeExactlyWhatDjangoWrites) {
    const std::vector<std::string> variants = {
        // Django compares the re-encoded string, so a non-canonical count never matches.
        "pbkdf2_sha256$0260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha256$+260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo",  // no '='
        "pbkdf2_sha256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=$",
        "pbkdf2_sha256$260000$seasalt$ylZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha256$260000$seasalT$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha256$260001$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha256$260000$$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha1$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "PBKDF2_SHA256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
    };
    for (const auto& encoded : variants) {
        const auto result = check_password("lètmein", encoded);
        EXPECT_FALSE(result.ok) << encoded;
        EXPECT_FALSE(result.needs_rehash) << encoded;
    }
}

TEST(PasswordHasher, VerifiesDjangoArgon2) {
    const auto owasp = check_password("lètmein", kArgon2Owasp);
    EXPECT_TRUE(owasp.ok);
    EXPECT_FALSE(owasp.needs_rehash);  // same params; a 16-byte hash is not a weakness
    EXPECT_FALSE(check_password("lètmeim", kArgon2Owasp).ok);
    EXPECT_FALSE(check_password("", kArgon2Owasp).ok);

    // Django's own defaults (m=102400, p=8) are stronger: verified, never downgraded.
    const auto django_default = check_password("lètmein", kArgon2DjangoDefault);
    EXPECT_TRUE(django_default.ok);
    EXPECT_FALSE(django_default.needs_rehash);
    EXPECT_FALSE(check_password("letmein", kArgon2DjangoDefault).ok);

    const auto hash32 = check_password("pässwörd", kArgon2Owasp32);
    EXPECT_TRUE(hash32.ok);
    EXPECT_FALSE(hash32.needs_rehash);
    EXPECT_FALSE(check_password("passwörd", kArgon2Owasp32).ok);
}

TEST(PasswordHasher, VerifiesLegacyArgon2iAndAsksForRehash) {
    for (const char* encoded : {kArgon2iV19, kArgon2iV16, kArgon2iNoVersion}) {
        const auto result = check_password("secret", encoded);
        EXPECT_TRUE(result.ok) << encoded;
        EXPECT_TRUE(result.needs_rehash) << encoded;
        EXPECT_FALSE(check_password("Secret", encoded).ok) << encoded;
    }
}

TEST(PasswordHasher, NewHashesHaveDjangosArgon2Format) {
    const std::string encoded = make_password("lètmein");
    const auto fields = split(encoded, '$');
    ASSERT_EQ(fields.size(), 6u) << encoded;
    EXPECT_EQ(fields[0], "argon2");
    EXPECT_EQ(fields[1], "argon2id");
    EXPECT_EQ(fields[2], "v=19");
    EXPECT_EQ(fields[3], "m=19456,t=2,p=1");
    // Unpadded base64 of a 22-character [A-Za-z0-9] salt string and a 32-byte hash.
    EXPECT_EQ(fields[4].size(), 30u);
    EXPECT_EQ(fields[5].size(), 43u);
    EXPECT_EQ(fields[4].find('='), std::string::npos) << "no padding expected: " << encoded;
    EXPECT_EQ(fields[5].find('='), std::string::npos) << "no padding expected: " << encoded;
    const std::string salt = base64_decode(fields[4]);
    EXPECT_EQ(salt.size(), 22u);
    EXPECT_TRUE(all_alphanumeric(salt)) << salt;

    const auto result = check_password("lètmein", encoded);
    EXPECT_TRUE(result.ok);
    EXPECT_FALSE(result.needs_rehash);
    EXPECT_FALSE(check_password("letmein", encoded).ok);
}

TEST(PasswordHasher, RoundTripsWithCustomParams) {
    const std::string a = make_password("hunter2", kFast);
    const std::string b = make_password("hunter2", kFast);
    EXPECT_NE(a, b);  // fresh salt every time
    EXPECT_NE(a.find("$m=64,t=1,p=1$"), std::string::npos) << a;
    EXPECT_TRUE(check_password("hunter2", a, kFast).ok);
    EXPECT_TRUE(check_password("hunter2", b, kFast).ok);
    EXPECT_FALSE(check_password("hunter3", a, kFast).ok);

    const std::string empty = make_password("", kFast);
    EXPECT_TRUE(check_password("", empty, kFast).ok);
    EXPECT_FALSE(check_password(" ", empty, kFast).ok);

    const std::string with_nul = make_password(std::string("a\0b", 3), kFast);
    EXPECT_TRUE(check_password(std::string("a\0b", 3), with_nul, kFast).ok);
    EXPECT_FALSE(check_password("a", with_nul, kFast).ok);

    const Argon2Params lanes{.memory_kib = 256, .time_cost = 1, .parallelism = 4};
    EXPECT_TRUE(check_password("x", make_password("x", lanes), lanes).ok);
}

TEST(PasswordHasher, RehashRules) {
    const Argon2Params current{.memory_kib = 128, .time_cost = 2, .parallelism = 1};
    const auto same = check_password("pw", make_password("pw", current), current);
    EXPECT_TRUE(same.ok);
    EXPECT_FALSE(same.needs_rehash);

    const auto less_memory =
        check_password("pw", make_password("pw", {.memory_kib = 64, .time_cost = 2}), current);
    EXPECT_TRUE(less_memory.ok);
    EXPECT_TRUE(less_memory.needs_rehash);

    const auto fewer_passes =
        check_password("pw", make_password("pw", {.memory_kib = 128, .time_cost = 1}), current);
    EXPECT_TRUE(fewer_passes.ok);
    EXPECT_TRUE(fewer_passes.needs_rehash);

    const auto stronger =
        check_password("pw", make_password("pw", {.memory_kib = 256, .time_cost = 3}), current);
    EXPECT_TRUE(stronger.ok);
    EXPECT_FALSE(stronger.needs_rehash);

    const auto more_lanes = check_password(
        "pw", make_password("pw", {.memory_kib = 128, .time_cost = 2, .parallelism = 2}), current);
    EXPECT_TRUE(more_lanes.ok);
    EXPECT_FALSE(more_lanes.needs_rehash);

    // A wrong password never asks for a rehash, whatever the hash.
    const auto wrong = check_password("nope", make_password("pw", {.memory_kib = 64}), current);
    EXPECT_FALSE(wrong.ok);
    EXPECT_FALSE(wrong.needs_rehash);
}

TEST(PasswordHasher, RejectsHostileAndGarbledEncodings) {
    const std::string salt = "$Wng3UXAyTG05UnQ0Vnc4WXMzS2Q2Tg$IJIUANPkpeZ54uPiUg3BUA";
    const std::vector<std::string> hostile = {
        "",
        "!",
        "argon2",
        "argon2$",
        "argon2$$$$$",
        "argon2$argon2id$v=19$m=4294967295,t=2,p=1" + salt,
        "argon2$argon2id$v=19$m=99999999999,t=2,p=1" + salt,
        "argon2$argon2id$v=19$m=2097152,t=2,p=1" + salt,  // 2 GiB: over the 1 GiB cap
        "argon2$argon2id$v=19$m=19456,t=4294967295,p=1" + salt,
        "argon2$argon2id$v=19$m=19456,t=11,p=1" + salt,
        "argon2$argon2id$v=19$m=19456,t=0,p=1" + salt,
        "argon2$argon2id$v=19$m=19456,t=2,p=0" + salt,
        "argon2$argon2id$v=19$m=19456,t=2,p=255" + salt,
        "argon2$argon2id$v=19$m=0,t=2,p=1" + salt,
        "argon2$argon2id$v=19$m=16,t=2,p=4" + salt,  // below 8 KiB per lane
        "argon2$argon2id$v=19$m=-1,t=2,p=1" + salt,
        "argon2$argon2id$v=19$m=19456,t=2" + salt,
        "argon2$argon2id$v=19$t=2,m=19456,p=1" + salt,
        "argon2$argon2id$v=19$m=19456,t=2,p=1,x=1" + salt,
        "argon2$argon2id$v=20$m=19456,t=2,p=1" + salt,
        "argon2$argon2id$v=$m=19456,t=2,p=1" + salt,
        "argon2$argon2x$v=19$m=19456,t=2,p=1" + salt,
        "argon2$argon2id$v=19$m=19456,t=2,p=1$Wng3UXAyTG05UnQ0Vnc4WXMzS2Q2Tg==$"
        "IJIUANPkpeZ54uPiUg3BUA",
        "argon2$argon2id$v=19$m=19456,t=2,p=1$Wng3UXAyTG05UnQ0Vnc4WXMzS2Q2T$IJIUANPkpeZ54uPiUg3BUA",
        "argon2$argon2id$v=19$m=19456,t=2,p=1$Wng3UXAy*G05UnQ0Vnc4WXMzS2Q2Tg$"
        "IJIUANPkpeZ54uPiUg3BUA",
        "argon2$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$IJIUANPkpeZ54uPiUg3BUA",  // 4-byte salt
        "argon2$argon2id$v=19$m=19456,t=2,p=1$Wng3UXAyTG05UnQ0Vnc4WXMzS2Q2Tg$",
        "argon2$argon2id$v=19$m=19456,t=2,p=1$Wng3UXAyTG05UnQ0Vnc4WXMzS2Q2Tg$IJIU",
        "argon2$argon2id$v=19$m=19456,t=2,p=1$Wng3UXAyTG05UnQ0Vnc4WXMzS2Q2Tg$"
        "IJIUANPkpeZ54uPiUg3BUA$",
        "argon2$argon2id$v=19$m=19456,t=2,p=1$" + std::string(5000, 'A') +
            "$IJIUANPkpeZ54uPiUg3BUA",
        std::string("argon2$argon2id$v=19$m=19456,t=2,p=1\0", 38) + salt,
        "pbkdf2_sha256$4294967295$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha256$99999999999999999999$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha256$0$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha256$-1$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=",
        "pbkdf2_sha256$260000",
        "pbkdf2_sha256$260000$seasalt",
        "md5$seasalt$0123456789abcdef0123456789abcdef",
        "bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuu5Q0nA0mJ0E0m5N0rQ6J7uEJ9p9n1sC",
        "sha1$seasalt$0123456789abcdef0123456789abcdef01234567",
        "lètmein",
        "\xff\xfe\xfd",
    };
    for (const auto& encoded : hostile) {
        // kFast: each rejection runs the dummy check, which would otherwise cost ~20 ms.
        const auto result = check_password("lètmein", encoded, kFast);
        EXPECT_FALSE(result.ok) << encoded;
        EXPECT_FALSE(result.needs_rehash) << encoded;
    }
}

// A correct hash is still refused when its costs exceed the caps: the caps are what stop a
// planted "t=4000000000" from pinning a CPU. libargon2 itself accepts these parameters.
std::string argon2id_encoded(const char* password, uint32_t m, uint32_t t, uint32_t p) {
    const std::string salt = "0123456789abcdef";
    std::string encoded(256, '\0');
    const int rc =
        argon2id_hash_encoded(t, m, p, password, std::char_traits<char>::length(password),
                              salt.data(), salt.size(), 32, encoded.data(), encoded.size());
    EXPECT_EQ(rc, ARGON2_OK) << argon2_error_message(rc);
    return "argon2" + std::string(encoded.c_str());
}

TEST(PasswordHasher, RefusesCorrectHashesBeyondTheCostCaps) {
    EXPECT_TRUE(check_password("pw", argon2id_encoded("pw", 8, 10, 1), kFast).ok);
    EXPECT_FALSE(check_password("pw", argon2id_encoded("pw", 8, 11, 1), kFast).ok);
    EXPECT_TRUE(check_password("pw", argon2id_encoded("pw", 128, 1, 16), kFast).ok);
    EXPECT_FALSE(check_password("pw", argon2id_encoded("pw", 136, 1, 17), kFast).ok);
}

TEST(PasswordHasher, RejectsUnusableParamsWhenHashing) {
    const std::vector<Argon2Params> bad = {
        {.memory_kib = 0, .time_cost = 2, .parallelism = 1},
        {.memory_kib = 19456, .time_cost = 0, .parallelism = 1},
        {.memory_kib = 19456, .time_cost = 2, .parallelism = 0},
        {.memory_kib = 16, .time_cost = 2, .parallelism = 4},
        {.memory_kib = 19456, .time_cost = 11, .parallelism = 1},
        {.memory_kib = 19456, .time_cost = 2, .parallelism = 17},
        {.memory_kib = 2u * 1024 * 1024, .time_cost = 1, .parallelism = 1},
    };
    for (const auto& params : bad) {
        EXPECT_THROW(make_password("pw", params), std::invalid_argument)
            << params.memory_kib << "," << params.time_cost << "," << params.parallelism;
    }
}

TEST(PasswordHasher, UnusablePasswords) {
    const std::string a = make_unusable_password();
    const std::string b = make_unusable_password();
    ASSERT_EQ(a.size(), 41u);
    EXPECT_EQ(a[0], '!');
    EXPECT_TRUE(all_alphanumeric(a.substr(1))) << a;
    EXPECT_NE(a, b);
    EXPECT_FALSE(is_usable_password(a));
    EXPECT_FALSE(is_usable_password("!"));
    EXPECT_TRUE(is_usable_password(kArgon2Owasp));
    EXPECT_TRUE(is_usable_password(""));  // as Django's is_password_usable("")

    EXPECT_FALSE(check_password("", a).ok);
    EXPECT_FALSE(check_password(a, a).ok);
    EXPECT_FALSE(check_password(a.substr(1), a).ok);
    // "!" + a real hash is what a disabled account with a kept hash would look like.
    EXPECT_FALSE(check_password("lètmein", std::string("!") + kArgon2Owasp).ok);
}

TEST(PasswordHasher, DummyCheckRunsForAnyParams) {
    EXPECT_NO_THROW(run_dummy_check("whatever"));
    EXPECT_NO_THROW(run_dummy_check("whatever", kFast));
    EXPECT_NO_THROW(run_dummy_check("whatever", kFast));  // cached dummy hash
    // Nonsense params cannot be imitated, but must not throw into a login handler.
    EXPECT_NO_THROW(run_dummy_check("whatever", {.memory_kib = 0, .time_cost = 0}));
    EXPECT_FALSE(check_password("whatever", "", {.memory_kib = 0, .time_cost = 0}).ok);
}

}  // namespace
