// users::tokens: simplejwt 5.2.2 semantics (claims, messages, refresh -> access).
#include "users/tokens.hpp"
#include "util/jwt.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>
#include <string>
#include <vector>

// Named, so that a unity build does not merge these helpers with another test file's.
namespace tokens_test {
namespace {

namespace json = boost::json;
using namespace resumate::users;
using resumate::util::jwt::sign_hs256;

constexpr std::int64_t kNow = 1700000000;

TokenSettings test_settings() {
    TokenSettings settings;
    settings.signing_key = "test-secret-key";
    return settings;
}

// Made with PyJWT 2.6.0 the way simplejwt 5.2 signs (see jwt_test.cpp for the command):
// {"token_type":"access","exp":4102444800,"iat":1700000000,
//  "jti":"0123456789abcdef0123456789abcdef","user_id":7} with key "test-secret-key".
constexpr std::string_view kDjangoAccessToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjo0MTAyNDQ0ODAwLCJpYXQiOjE3MDAwMDAwMDAsImp0aSI6IjAxMjM0"
    "NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmIiwidXNlcl9pZCI6N30."
    "AL1ro2_1pg9-Gn1DBe10a8j0LHkBALmnVoAxdeWm0xY";

std::vector<std::string> keys_of(const json::object& claims) {
    std::vector<std::string> keys;
    for (const auto& item : claims) keys.emplace_back(item.key());
    return keys;
}

ValidToken valid(std::string_view token, TokenType type, std::int64_t now = kNow) {
    auto result = validate_token(token, type, test_settings(), now);
    if (auto* error = std::get_if<TokenError>(&result)) {
        ADD_FAILURE() << "refused: " << error->message << " for " << token;
        return {type, {}};
    }
    return std::get<ValidToken>(result);
}

std::string message_of(std::string_view token, TokenType type, std::int64_t now = kNow) {
    auto result = validate_token(token, type, test_settings(), now);
    if (auto* error = std::get_if<TokenError>(&result)) return error->message;
    return "<accepted>";
}

json::object full_claims(std::string_view type = "access") {
    json::object claims;
    claims["token_type"] = type;
    claims["exp"] = kNow + 300;
    claims["iat"] = kNow;
    claims["jti"] = "764cda422756477ca09cf6665c18a4a1";
    claims["user_id"] = 115;
    return claims;
}

std::string signed_without(std::string_view claim) {
    json::object claims = full_claims();
    claims.erase(claim);
    return sign_hs256(claims, test_settings().signing_key);
}

// ---- minting ------------------------------------------------------------------------------

// A token minted here was checked once by hand against the Django side's library:
//   /usr/bin/python3 -c 'import jwt,sys; print(jwt.decode(sys.argv[1], "test-secret-key",
//     algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False}))' <token>
// printed {'token_type': 'access', 'exp': 1700000300, 'iat': 1700000000,
// 'jti': '<32 hex>', 'user_id': 115}, i.e. PyJWT 2.6 accepts our signature and JSON.
TEST(TokensTest, MintedAccessTokenHasSimplejwtClaimsInOrder) {
    const MintedToken minted = mint_token(TokenType::Access, 115, test_settings(), kNow);
    const ValidToken token = valid(minted.token, TokenType::Access, kNow);
    EXPECT_EQ(keys_of(token.claims),
              (std::vector<std::string>{"token_type", "exp", "iat", "jti", "user_id"}));
    EXPECT_EQ(token.claims.at("token_type"), "access");
    EXPECT_EQ(token.claims.at("exp"), kNow + 300);
    EXPECT_EQ(token.claims.at("iat"), kNow);
    EXPECT_EQ(token.claims.at("jti").as_string(), minted.jti);
    EXPECT_EQ(token.claims.at("user_id"), 115);
    EXPECT_EQ(minted.exp, kNow + 300);
    // iat and user_id are JSON integers, not floats or strings.
    EXPECT_TRUE(token.claims.at("iat").is_int64());
    EXPECT_TRUE(token.claims.at("user_id").is_int64());
    EXPECT_EQ(user_id_of(token.claims), 115);
}

TEST(TokensTest, MintedRefreshTokenUsesRefreshLifetime) {
    TokenSettings settings = test_settings();
    settings.refresh_lifetime = std::chrono::hours(2);
    const MintedToken minted = mint_token(TokenType::Refresh, 9, settings, kNow);
    EXPECT_EQ(minted.exp, kNow + 7200);
    auto result = validate_token(minted.token, TokenType::Refresh, settings, kNow);
    ASSERT_TRUE(std::holds_alternative<ValidToken>(result));
    EXPECT_EQ(std::get<ValidToken>(result).claims.at("token_type"), "refresh");
    EXPECT_EQ(std::get<ValidToken>(result).type, TokenType::Refresh);
}

// uuid4().hex: 32 lowercase hex digits, version nibble 4, variant 8/9/a/b. (No std::regex: GCC
// 12 warns inside <regex> under the sanitizer build, and -Werror is on.)
bool is_uuid4_hex(std::string_view jti) {
    if (jti.size() != 32) return false;
    for (char c : jti) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return jti[12] == '4' && std::string_view("89ab").find(jti[16]) != std::string_view::npos;
}

TEST(TokensTest, JtiLooksLikeUuid4Hex) {
    EXPECT_TRUE(is_uuid4_hex("764cda422756477ca09cf6665c18a4a1"));  // a jti Django minted
    EXPECT_FALSE(is_uuid4_hex("764CDA422756477CA09CF6665C18A4A1"));
    EXPECT_FALSE(is_uuid4_hex("764cda422756077ca09cf6665c18a4a1"));
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const MintedToken minted = mint_token(TokenType::Access, 1, test_settings(), kNow);
        EXPECT_TRUE(is_uuid4_hex(minted.jti)) << minted.jti;
        seen.insert(minted.jti);
    }
    EXPECT_EQ(seen.size(), 200u);
}

TEST(TokensTest, TokenTypeNames) {
    EXPECT_EQ(token_type_name(TokenType::Access), "access");
    EXPECT_EQ(token_type_name(TokenType::Refresh), "refresh");
}

// ---- validating ---------------------------------------------------------------------------

TEST(TokensTest, AcceptsTokenMintedByDjango) {
    const ValidToken token = valid(kDjangoAccessToken, TokenType::Access);
    EXPECT_EQ(token.type, TokenType::Access);
    EXPECT_EQ(token.claims.at("jti"), "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(user_id_of(token.claims), 7);
}

TEST(TokensTest, RefreshUsedAsAccessHasWrongType) {
    const MintedToken refresh = mint_token(TokenType::Refresh, 115, test_settings(), kNow);
    EXPECT_EQ(message_of(refresh.token, TokenType::Access), "Token has wrong type");
}

TEST(TokensTest, AccessUsedAsRefreshHasWrongType) {
    const MintedToken access = mint_token(TokenType::Access, 115, test_settings(), kNow);
    EXPECT_EQ(message_of(access.token, TokenType::Refresh), "Token has wrong type");
    EXPECT_EQ(message_of(kDjangoAccessToken, TokenType::Refresh), "Token has wrong type");
}

TEST(TokensTest, UnknownOrNonStringTypeIsWrongType) {
    json::object claims = full_claims("sliding");
    EXPECT_EQ(message_of(sign_hs256(claims, "test-secret-key"), TokenType::Access),
              "Token has wrong type");
    claims["token_type"] = nullptr;
    EXPECT_EQ(message_of(sign_hs256(claims, "test-secret-key"), TokenType::Access),
              "Token has wrong type");
}

TEST(TokensTest, MissingClaimsGetSimplejwtMessages) {
    EXPECT_EQ(message_of(signed_without("exp"), TokenType::Access), "Token has no 'exp' claim");
    EXPECT_EQ(message_of(signed_without("jti"), TokenType::Access), "Token has no id");
    EXPECT_EQ(message_of(signed_without("token_type"), TokenType::Access), "Token has no type");
}

TEST(TokensTest, MissingClaimsAreReportedInSimplejwtOrder) {
    json::object claims;
    claims["user_id"] = 1;
    const std::string key = test_settings().signing_key;
    EXPECT_EQ(message_of(sign_hs256(claims, key), TokenType::Access), "Token has no 'exp' claim");
    claims["exp"] = kNow + 10;
    EXPECT_EQ(message_of(sign_hs256(claims, key), TokenType::Access), "Token has no id");
    claims["jti"] = "x";
    EXPECT_EQ(message_of(sign_hs256(claims, key), TokenType::Access), "Token has no type");
    claims["token_type"] = "refresh";
    EXPECT_EQ(message_of(sign_hs256(claims, key), TokenType::Access), "Token has wrong type");
    claims["token_type"] = "access";
    EXPECT_EQ(message_of(sign_hs256(claims, key), TokenType::Access), "<accepted>");
}

TEST(TokensTest, MissingUserIdIsStillAValidToken) {
    // simplejwt leaves that to JWTAuthentication.get_user ("no recognizable user
    // identification"), after the token itself was accepted.
    const ValidToken token = valid(signed_without("user_id"), TokenType::Access);
    EXPECT_EQ(user_id_of(token.claims), std::nullopt);
}

TEST(TokensTest, DecodeFailuresAreInvalidOrExpired) {
    const MintedToken access = mint_token(TokenType::Access, 115, test_settings(), kNow);
    EXPECT_EQ(message_of(access.token, TokenType::Access, kNow + 300),
              "Token is invalid or expired");
    EXPECT_EQ(message_of(access.token, TokenType::Access, kNow + 299), "<accepted>");
    EXPECT_EQ(message_of("garbage", TokenType::Access), "Token is invalid or expired");
    EXPECT_EQ(message_of("", TokenType::Refresh), "Token is invalid or expired");
    EXPECT_EQ(message_of(sign_hs256(full_claims(), "other-key"), TokenType::Access),
              "Token is invalid or expired");
    // Expiry is judged before the type: an expired refresh token used as access is "invalid".
    const MintedToken refresh = mint_token(TokenType::Refresh, 115, test_settings(), kNow);
    EXPECT_EQ(message_of(refresh.token, TokenType::Access, kNow + 86400),
              "Token is invalid or expired");
}

// ---- refresh -> access --------------------------------------------------------------------

TEST(TokensTest, AccessFromRefreshFollowsSimplejwt522) {
    json::object refresh_claims = full_claims("refresh");
    refresh_claims["exp"] = kNow + 86400;
    refresh_claims["iat"] = kNow - 1000;
    refresh_claims["jti"] = "f16bbb3bfd574c5a9d9c14f3f2c3a9ab";
    refresh_claims["custom"] = "kept";
    const ValidToken refresh =
        valid(sign_hs256(refresh_claims, "test-secret-key"), TokenType::Refresh);

    const MintedToken minted = access_from_refresh(refresh, test_settings(), kNow);
    const ValidToken access = valid(minted.token, TokenType::Access);
    EXPECT_EQ(keys_of(access.claims),
              (std::vector<std::string>{"token_type", "exp", "iat", "jti", "user_id", "custom"}));
    EXPECT_EQ(access.claims.at("token_type"), "access");
    EXPECT_EQ(access.claims.at("exp"), kNow + 300);
    EXPECT_EQ(minted.exp, kNow + 300);
    // 5.2.2 copies iat from the refresh token (simplejwt stopped doing so only in 5.5).
    EXPECT_EQ(access.claims.at("iat"), kNow - 1000);
    EXPECT_EQ(access.claims.at("jti").as_string(), minted.jti);
    EXPECT_NE(minted.jti, "f16bbb3bfd574c5a9d9c14f3f2c3a9ab");
    EXPECT_EQ(access.claims.at("user_id"), 115);
    EXPECT_EQ(access.claims.at("custom"), "kept");
}

TEST(TokensTest, AccessFromRefreshWithoutIatGetsFreshIat) {
    json::object refresh_claims = full_claims("refresh");
    refresh_claims.erase("iat");
    const ValidToken refresh =
        valid(sign_hs256(refresh_claims, "test-secret-key"), TokenType::Refresh);
    const ValidToken access = valid(access_from_refresh(refresh, test_settings(), kNow + 5).token,
                                    TokenType::Access, kNow + 5);
    EXPECT_EQ(access.claims.at("iat"), kNow + 5);
}

// ---- rotation (ROTATE_REFRESH_TOKENS) -----------------------------------------------------

TEST(TokensTest, RotateRefreshKeepsClaimsAndOrderWithNewJtiExpIat) {
    json::object refresh_claims = full_claims("refresh");
    refresh_claims["exp"] = kNow + 100;
    refresh_claims["iat"] = kNow - 1000;
    refresh_claims["jti"] = "f16bbb3bfd574c5a9d9c14f3f2c3a9ab";
    refresh_claims["custom"] = "kept";
    const ValidToken refresh =
        valid(sign_hs256(refresh_claims, "test-secret-key"), TokenType::Refresh);

    const MintedToken minted = rotate_refresh(refresh, test_settings(), kNow);
    const ValidToken rotated = valid(minted.token, TokenType::Refresh);
    EXPECT_EQ(keys_of(rotated.claims), keys_of(refresh_claims));
    EXPECT_EQ(rotated.claims.at("token_type"), "refresh");
    EXPECT_EQ(rotated.claims.at("exp"), kNow + 86400);
    EXPECT_EQ(minted.exp, kNow + 86400);
    EXPECT_EQ(rotated.claims.at("iat"), kNow);
    EXPECT_EQ(rotated.claims.at("jti").as_string(), minted.jti);
    EXPECT_NE(minted.jti, "f16bbb3bfd574c5a9d9c14f3f2c3a9ab");
    EXPECT_EQ(minted.jti.size(), 32u);
    EXPECT_EQ(rotated.claims.at("user_id"), 115);
    EXPECT_EQ(rotated.claims.at("custom"), "kept");
}

TEST(TokensTest, JtiOfStringAndOtherJson) {
    json::object claims;
    EXPECT_EQ(jti_of(claims), "");
    claims["jti"] = "abc";
    EXPECT_EQ(jti_of(claims), "abc");
    claims["jti"] = 42;
    EXPECT_EQ(jti_of(claims), "42");
}

// ---- user_id ------------------------------------------------------------------------------

std::optional<std::int64_t> user_id_from(json::value id) {
    json::object claims;
    claims["user_id"] = std::move(id);
    return user_id_of(claims);
}

TEST(TokensTest, UserIdAcceptsWhatDjangoGetAccepts) {
    EXPECT_EQ(user_id_from(7), 7);
    EXPECT_EQ(user_id_from("7"), 7);
    EXPECT_EQ(user_id_from(" 7\n"), 7);
    EXPECT_EQ(user_id_from("+7"), 7);
    EXPECT_EQ(user_id_from("-7"), -7);
    EXPECT_EQ(user_id_from("007"), 7);
    EXPECT_EQ(user_id_from("1_000"), 1000);
    EXPECT_EQ(user_id_from(7.0), 7);
    EXPECT_EQ(user_id_from("9223372036854775807"), INT64_MAX);
}

TEST(TokensTest, UserIdRefusesEverythingElse) {
    for (const json::value& id :
         {json::value("abc"), json::value(""), json::value(" "), json::value("7a"),
          json::value("7.0"), json::value("_7"), json::value("7_"), json::value("1__0"),
          json::value("+-7"), json::value("0x7"), json::value("9223372036854775808"),
          json::value(7.5), json::value(true), json::value(nullptr), json::value(json::array{7}),
          json::value(json::object{}), json::value(std::uint64_t{18446744073709551615u})}) {
        EXPECT_EQ(user_id_from(id), std::nullopt) << id;
    }
    EXPECT_EQ(user_id_of(json::object{}), std::nullopt);
}

// Beyond simplejwt: access tokens name the password they were issued under.
TEST(PasswordClaim, AccessTokensCarryTheFingerprintOfTheHashTheyWereIssuedUnder) {
    const auto settings = test_settings();
    const std::string hash = "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA";
    const std::string fingerprint = password_fingerprint(hash, settings);
    EXPECT_EQ(fingerprint.size(), 16u);
    EXPECT_EQ(fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
    // A function of the hash and the signing key: a new hash (a new password, or the same one
    // re-salted) or another key gives another fingerprint.
    EXPECT_EQ(password_fingerprint(hash, settings), fingerprint);
    EXPECT_NE(password_fingerprint(hash + "x", settings), fingerprint);
    auto other_key = settings;
    other_key.signing_key = "another-key";
    EXPECT_NE(password_fingerprint(hash, other_key), fingerprint);

    auto minted = mint_token(TokenType::Access, 7, settings, kNow, fingerprint);
    ValidToken token = valid(minted.token, TokenType::Access);
    EXPECT_EQ(keys_of(token.claims),
              (std::vector<std::string>{"token_type", "exp", "iat", "jti", "user_id", "pwh"}));
    EXPECT_TRUE(password_unchanged(token.claims, hash, settings));
    EXPECT_FALSE(password_unchanged(token.claims, hash + "x", settings));

    // Without a fingerprint (refresh tokens, and every token the Django version mints) there is
    // nothing to compare: such a token stands for any password.
    auto refresh = mint_token(TokenType::Refresh, 7, settings, kNow);
    EXPECT_FALSE(valid(refresh.token, TokenType::Refresh).claims.contains("pwh"));
    EXPECT_TRUE(
        password_unchanged(valid(kDjangoAccessToken, TokenType::Access).claims, hash, settings));
    // A claim of the wrong type never matches.
    json::object odd = token.claims;
    odd["pwh"] = 12345;
    EXPECT_FALSE(password_unchanged(odd, hash, settings));
}

TEST(PasswordClaim, AnAccessTokenFromARefreshTokenNamesTheCurrentPassword) {
    const auto settings = test_settings();
    auto refresh = mint_token(TokenType::Refresh, 7, settings, kNow);
    ValidToken r = valid(refresh.token, TokenType::Refresh);
    const std::string now_fingerprint = password_fingerprint("new-hash", settings);
    auto access = access_from_refresh(r, settings, kNow, now_fingerprint);
    ValidToken a = valid(access.token, TokenType::Access);
    EXPECT_EQ(a.claims.at("pwh").as_string(), now_fingerprint);
    EXPECT_EQ(keys_of(a.claims),
              (std::vector<std::string>{"token_type", "exp", "iat", "jti", "user_id", "pwh"}));
    // Without one, the access token is what simplejwt 5.2.2 makes.
    EXPECT_FALSE(valid(access_from_refresh(r, settings, kNow).token, TokenType::Access)
                     .claims.contains("pwh"));
}

}  // namespace
}  // namespace tokens_test
