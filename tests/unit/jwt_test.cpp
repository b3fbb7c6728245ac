// util::jwt and util::base64: PyJWT 2.6 compatibility and refusal of every malformed or
// mis-signed token shape simplejwt refuses.
#include "util/jwt.hpp"
#include "util/base64.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace {

namespace json = boost::json;
namespace jwt = resumate::util::jwt;
using resumate::util::base64_decode;
using resumate::util::base64_encode;
using resumate::util::base64url_decode;
using resumate::util::base64url_encode;

constexpr std::string_view kSecret = "test-secret-key";
constexpr std::int64_t kNow = 1700000000;

// Made with PyJWT 2.6.0 (Debian python3-jwt):
//   python3 -c 'import jwt; print(jwt.encode({"token_type":"access","exp":4102444800,
//     "iat":1700000000,"jti":"0123456789abcdef0123456789abcdef","user_id":7},
//     "test-secret-key", algorithm="HS256"))'
constexpr std::string_view kPyJwtToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjo0MTAyNDQ0ODAwLCJpYXQiOjE3MDAwMDAwMDAsImp0aSI6IjAxMjM0"
    "NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmIiwidXNlcl9pZCI6N30."
    "AL1ro2_1pg9-Gn1DBe10a8j0LHkBALmnVoAxdeWm0xY";

// The same claims and key, made with PyJWT 2.6.0 using algorithm="HS512": a genuinely valid
// signature, only for an algorithm we must not accept.
constexpr std::string_view kPyJwtHs512Token =
    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9."
    "eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjo0MTAyNDQ0ODAwLCJpYXQiOjE3MDAwMDAwMDAsImp0aSI6IjAxMjM0"
    "NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmIiwidXNlcl9pZCI6N30."
    "YWtikqrFZXWPZIWR1f1-tPTnf1XsiyjJof3jU4cS-WqeViUYZHGH5XBgzY-7Ada2Er_Pjlzqk07tiOf_oc0LKQ";

json::object pyjwt_claims() {
    json::object claims;
    claims["token_type"] = "access";
    claims["exp"] = 4102444800;
    claims["iat"] = 1700000000;
    claims["jti"] = "0123456789abcdef0123456789abcdef";
    claims["user_id"] = 7;
    return claims;
}

std::string mac_segment(const EVP_MD* md, std::string_view key, std::string_view input) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(md, key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), length));
}

// Builds a token from raw header and payload text, HS256-signed with `key`: lets a test craft
// shapes sign_hs256 would never produce while still getting past the signature check.
std::string raw_token(std::string_view header, std::string_view payload,
                      std::string_view key = kSecret) {
    std::string input = base64url_encode(header) + "." + base64url_encode(payload);
    return input + "." + mac_segment(EVP_sha256(), key, input);
}

constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";

jwt::JwtError error_of(std::string_view token, std::int64_t now = kNow,
                       std::string_view key = kSecret) {
    auto result = jwt::decode_hs256(token, key, now);
    if (auto* error = std::get_if<jwt::JwtError>(&result)) return *error;
    ADD_FAILURE() << "token was accepted: " << token;
    return jwt::JwtError::Malformed;
}

json::object claims_of(std::string_view token, std::int64_t now = kNow) {
    auto result = jwt::decode_hs256(token, kSecret, now);
    if (auto* error = std::get_if<jwt::JwtError>(&result)) {
        ADD_FAILURE() << "token refused (" << jwt::to_string(*error) << "): " << token;
        return {};
    }
    return std::get<jwt::Decoded>(result).claims;
}

// ---- base64 -------------------------------------------------------------------------------

TEST(Base64Test, StandardRfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
    EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
    EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
    EXPECT_EQ(base64_decode(""), "");
}

TEST(Base64Test, StandardDecodeIsStrict) {
    EXPECT_FALSE(base64_decode("Zm9vYg"));    // padding required
    EXPECT_FALSE(base64_decode("Zm9vY==="));  // too much padding
    EXPECT_FALSE(base64_decode("Zm9v_-=="));  // URL alphabet is not standard
    EXPECT_FALSE(base64_decode("Zm=vYmFy"));  // padding in the middle
    EXPECT_FALSE(base64_decode("Zm9 vYmF"));  // whitespace
}

TEST(Base64Test, UrlAlphabetWithoutPadding) {
    const std::string bytes("\xfb\xff\xfe\x00", 4);
    EXPECT_EQ(base64_encode(bytes), "+//+AA==");
    EXPECT_EQ(base64url_encode(bytes), "-__-AA");
    EXPECT_EQ(base64url_decode("-__-AA"), bytes);
    EXPECT_EQ(base64url_decode("-__-AA=="), bytes);  // correct padding is tolerated, like PyJWT
}

TEST(Base64Test, UrlDecodeRejectsWhatPyJwtCannotDecode) {
    EXPECT_FALSE(base64url_decode("+//+AA"));   // standard alphabet
    EXPECT_FALSE(base64url_decode("Zm9vY"));    // 4k+1 characters never encode whole bytes
    EXPECT_FALSE(base64url_decode("Zm9vYg="));  // padding that does not complete a group
    EXPECT_FALSE(base64url_decode("Zm9vY==="));
    EXPECT_FALSE(base64url_decode("Zm9v.mFy"));
    EXPECT_FALSE(base64url_decode(std::string_view("Zm9v\0mFy", 8)));
}

TEST(Base64Test, RoundTripsEveryByteAndLength) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes += static_cast<char>(i);
        ASSERT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
        ASSERT_EQ(base64_decode(base64_encode(bytes)), bytes);
    }
}

// ---- signing ------------------------------------------------------------------------------

TEST(JwtTest, SignIsByteIdenticalToPyJwt) {
    EXPECT_EQ(jwt::sign_hs256(pyjwt_claims(), kSecret), kPyJwtToken);
}

TEST(JwtTest, EmptyKeySignsLikePyJwt) {
    // python3 -c 'import jwt; print(jwt.encode({"a":1}, "", algorithm="HS256"))'
    json::object claims;
    claims["a"] = 1;
    EXPECT_EQ(jwt::sign_hs256(claims, ""),
              "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhIjoxfQ."
              "QFhi6R_w6Kjm-IhqrB1V5HT29az6piAEg4LOGgsTJAw");
}

// The signature is HMAC-SHA256 computed from precomputed key pads, with a per-thread cache of
// recent keys: it must equal OpenSSL's one-shot HMAC() for keys shorter than, equal to and
// longer than SHA-256's 64-byte block (RFC 2104 hashes the long ones first), with any byte,
// and stay right when more keys are used than the cache holds, in any order.
TEST(JwtTest, SignatureEqualsOpenSslHmacForEveryKeyShapeAndCacheOrder) {
    json::object claims;
    claims["user_id"] = 42;
    std::vector<std::string> keys;
    for (std::size_t n : {1, 2, 31, 32, 63, 64, 65, 127, 128, 200}) {
        std::string key;
        for (std::size_t i = 0; i < n; ++i) key += static_cast<char>((i * 37 + n) % 256);
        keys.push_back(key);
    }
    for (int round = 0; round < 3; ++round) {
        for (std::size_t k = 0; k < keys.size(); ++k) {
            const std::string& key = keys[(k * (round + 1)) % keys.size()];
            const std::string token = jwt::sign_hs256(claims, key);
            const std::string input = token.substr(0, token.rfind('.'));
            EXPECT_EQ(token.substr(token.rfind('.') + 1), mac_segment(EVP_sha256(), key, input))
                << "key of " << key.size() << " bytes, round " << round;
            EXPECT_TRUE(std::holds_alternative<jwt::Decoded>(jwt::decode_hs256(token, key, kNow)));
            EXPECT_EQ(error_of(token, kNow, keys[(k + 1) % keys.size()] + "x"),
                      jwt::JwtError::BadSignature);
        }
    }
}

TEST(JwtTest, RoundTripKeepsClaimsAndOrder) {
    json::object claims;
    claims["z"] = "last-first";
    claims["exp"] = kNow + 1;
    claims["nested"] = json::object{{"k", json::array{1, 2, nullptr, true}}};
    const std::string token = jwt::sign_hs256(claims, kSecret);
    const json::object decoded = claims_of(token);
    EXPECT_EQ(decoded, claims);
    EXPECT_EQ(decoded.begin()->key(), "z");
}

// ---- accepting ----------------------------------------------------------------------------

TEST(JwtTest, AcceptsPyJwtToken) {
    EXPECT_EQ(claims_of(kPyJwtToken), pyjwt_claims());
}

TEST(JwtTest, ClaimsAreOptionalAtThisLayer) {
    EXPECT_TRUE(claims_of(raw_token(kHeader, "{}")).empty());
}

TEST(JwtTest, HeaderKeysInAnyOrderAndExtraKeysAreFine) {
    EXPECT_EQ(
        claims_of(raw_token(R"({"typ":"JWT","kid":"k1","alg":"HS256"})", R"({"a":1})")).at("a"), 1);
    EXPECT_EQ(claims_of(raw_token(R"({"alg":"HS256"})", R"({"a":1})")).at("a"), 1);
}

// ---- signature ----------------------------------------------------------------------------

TEST(JwtTest, WrongKeyIsBadSignature) {
    EXPECT_EQ(error_of(kPyJwtToken, kNow, "another-key"), jwt::JwtError::BadSignature);
    EXPECT_EQ(error_of(kPyJwtToken, kNow, ""), jwt::JwtError::BadSignature);
}

TEST(JwtTest, TamperedPayloadIsBadSignature) {
    json::object claims = pyjwt_claims();
    claims["user_id"] = 8;
    const std::string forged = jwt::sign_hs256(claims, "attacker-key");
    // Attacker's payload with the genuine signature.
    std::string spliced(forged.substr(0, forged.rfind('.')));
    spliced += kPyJwtToken.substr(kPyJwtToken.rfind('.'));
    EXPECT_EQ(error_of(spliced), jwt::JwtError::BadSignature);
}

TEST(JwtTest, TruncatedOrMissingSignatureIsRefused) {
    const std::string token(kPyJwtToken);
    EXPECT_EQ(error_of(token.substr(0, token.size() - 1)), jwt::JwtError::BadSignature);
    EXPECT_EQ(error_of(token.substr(0, token.rfind('.') + 1)), jwt::JwtError::BadSignature);
}

// ---- algorithm ----------------------------------------------------------------------------

TEST(JwtTest, AlgNoneWithEmptySignatureIsBadAlgorithm) {
    const std::string token = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                              base64url_encode(json::serialize(pyjwt_claims())) + ".";
    EXPECT_EQ(error_of(token), jwt::JwtError::BadAlgorithm);
}

TEST(JwtTest, AlgNoneWithoutSignaturePartIsMalformed) {
    const std::string token = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                              base64url_encode(json::serialize(pyjwt_claims()));
    EXPECT_EQ(error_of(token), jwt::JwtError::Malformed);
}

TEST(JwtTest, AlgNoneWithValidHmacIsStillBadAlgorithm) {
    EXPECT_EQ(error_of(raw_token(R"({"alg":"none","typ":"JWT"})", R"({"a":1})")),
              jwt::JwtError::BadAlgorithm);
}

TEST(JwtTest, Hs512WithValidSignatureIsBadAlgorithm) {
    // Sanity: the constant really is valid HS512 for our key, so only the algorithm is wrong.
    const std::string_view input = kPyJwtHs512Token.substr(0, kPyJwtHs512Token.rfind('.'));
    ASSERT_EQ(mac_segment(EVP_sha512(), kSecret, input),
              kPyJwtHs512Token.substr(kPyJwtHs512Token.rfind('.') + 1));
    EXPECT_EQ(error_of(kPyJwtHs512Token), jwt::JwtError::BadAlgorithm);
}

TEST(JwtTest, AnyAlgButExactlyHs256IsBadAlgorithm) {
    for (std::string_view header :
         {R"({"alg":"RS256","typ":"JWT"})", R"({"alg":"hs256"})", R"({"alg":"HS256 "})",
          R"({"alg":["HS256"]})", R"({"alg":null})", R"({"alg":""})", R"({"typ":"JWT"})"}) {
        EXPECT_EQ(error_of(raw_token(header, R"({"a":1})")), jwt::JwtError::BadAlgorithm) << header;
    }
}

// ---- structure ----------------------------------------------------------------------------

TEST(JwtTest, HeaderNotJsonIsMalformed) {
    EXPECT_EQ(error_of(raw_token("not json", R"({"a":1})")), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(raw_token("", R"({"a":1})")), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(raw_token(R"(["alg","HS256"])", R"({"a":1})")), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(raw_token(R"("HS256")", R"({"a":1})")), jwt::JwtError::Malformed);
}

TEST(JwtTest, PayloadNotAnObjectIsMalformedEvenWhenSigned) {
    EXPECT_EQ(error_of(raw_token(kHeader, "[1,2,3]")), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(raw_token(kHeader, "7")), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(raw_token(kHeader, "{\"a\":")), jwt::JwtError::Malformed);
    // Python's json module would take NaN; Boost.JSON is strict. Only a key holder could sign
    // such a payload, so refusing it costs no compatibility that matters.
    EXPECT_EQ(error_of(raw_token(kHeader, "{\"a\":NaN}")), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(raw_token(kHeader, "")), jwt::JwtError::Malformed);
}

TEST(JwtTest, WrongNumberOfPartsIsMalformed) {
    const std::string token(kPyJwtToken);
    EXPECT_EQ(error_of(""), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of("garbage"), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(token.substr(0, 20)), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(token.substr(0, token.rfind('.'))), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(token + ".AAAA"), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(token + "."), jwt::JwtError::Malformed);
    EXPECT_EQ(error_of(".."), jwt::JwtError::Malformed);
}

TEST(JwtTest, NonBase64UrlCharactersAreMalformed) {
    std::string token(kPyJwtToken);
    token.insert(token.find('.') + 5, "+");
    EXPECT_EQ(error_of(token), jwt::JwtError::Malformed);
    std::string spaced(kPyJwtToken);
    spaced.insert(3, " ");
    EXPECT_EQ(error_of(spaced), jwt::JwtError::Malformed);
    std::string bad_signature(kPyJwtToken);
    bad_signature.back() = '/';
    EXPECT_EQ(error_of(bad_signature), jwt::JwtError::Malformed);
}

TEST(JwtTest, UnencodedPayloadHeaderIsMalformed) {
    EXPECT_EQ(error_of(raw_token(R"({"alg":"HS256","b64":false})", R"({"a":1})")),
              jwt::JwtError::Malformed);
    // Only a literal false means "unencoded" to PyJWT.
    EXPECT_EQ(claims_of(raw_token(R"({"alg":"HS256","b64":true})", R"({"a":1})")).at("a"), 1);
}

// ---- time claims --------------------------------------------------------------------------

TEST(JwtTest, ExpMustBeInTheFuture) {
    EXPECT_EQ(claims_of(raw_token(kHeader, R"({"exp":1700000001})")).at("exp"), 1700000001);
    EXPECT_EQ(error_of(raw_token(kHeader, R"({"exp":1700000000})")), jwt::JwtError::Expired);
    EXPECT_EQ(error_of(raw_token(kHeader, R"({"exp":0})")), jwt::JwtError::Expired);
    EXPECT_EQ(error_of(kPyJwtToken, 4102444800), jwt::JwtError::Expired);
}

TEST(JwtTest, FractionalExpIsTruncatedLikePyJwt) {
    // int(1700000000.9) == now, which PyJWT counts as expired.
    EXPECT_EQ(error_of(raw_token(kHeader, R"({"exp":1700000000.9})")), jwt::JwtError::Expired);
    EXPECT_FALSE(claims_of(raw_token(kHeader, R"({"exp":1700000001.5})")).empty());
}

TEST(JwtTest, HugeExpIsFarFuture) {
    EXPECT_FALSE(claims_of(raw_token(kHeader, R"({"exp":18446744073709551615})")).empty());
    EXPECT_FALSE(claims_of(raw_token(kHeader, R"({"exp":1e30})")).empty());
}

TEST(JwtTest, NonNumericTimeClaimsAreBadClaims) {
    for (std::string_view payload :
         {R"({"exp":"4102444800"})", R"({"exp":null})", R"({"exp":true})", R"({"exp":[1]})",
          R"({"exp":1e400})", R"({"iat":"1"})", R"({"iat":null})", R"({"nbf":"x"})",
          R"({"nbf":{}})"}) {
        EXPECT_EQ(error_of(raw_token(kHeader, payload)), jwt::JwtError::BadClaim) << payload;
    }
}

TEST(JwtTest, FutureIatIsRefusedLikePyJwt26) {
    EXPECT_FALSE(claims_of(raw_token(kHeader, R"({"iat":1700000000})")).empty());
    EXPECT_FALSE(claims_of(raw_token(kHeader, R"({"iat":1699999999.5})")).empty());
    EXPECT_EQ(error_of(raw_token(kHeader, R"({"iat":1700000001})")), jwt::JwtError::BadClaim);
    EXPECT_EQ(error_of(raw_token(kHeader, R"({"iat":1700000000.5})")), jwt::JwtError::BadClaim);
    EXPECT_EQ(error_of(kPyJwtToken, 1699999999), jwt::JwtError::BadClaim);
}

TEST(JwtTest, FutureNbfIsRefused) {
    EXPECT_FALSE(claims_of(raw_token(kHeader, R"({"nbf":1700000000})")).empty());
    EXPECT_EQ(error_of(raw_token(kHeader, R"({"nbf":1700000001})")), jwt::JwtError::BadClaim);
}

TEST(JwtTest, ErrorNamesAreDistinct) {
    EXPECT_NE(jwt::to_string(jwt::JwtError::Expired), jwt::to_string(jwt::JwtError::BadClaim));
    EXPECT_NE(jwt::to_string(jwt::JwtError::Malformed),
              jwt::to_string(jwt::JwtError::BadSignature));
}

}  // namespace
