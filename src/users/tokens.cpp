#include "users/tokens.hpp"

#include "util/digest.hpp"
#include "util/jwt.hpp"

#include <openssl/rand.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace resumate::users {
namespace {

namespace json = boost::json;

constexpr std::string_view kInvalidOrExpired = "Token is invalid or expired";

// uuid4().hex: 122 random bits with the RFC 4122 version (4) and variant (10xx) bits set, so our
// jti values are indistinguishable from the Django version's.
std::string new_jti() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed: cannot mint a token id");
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string hex;
    hex.reserve(32);
    for (unsigned char b : bytes) {
        hex += kHex[b >> 4];
        hex += kHex[b & 0x0F];
    }
    return hex;
}

// A fresh token's own claims, in the insertion order simplejwt's Token.__init__ produces.
json::object fresh_claims(TokenType type, std::int64_t exp, std::int64_t iat,
                          const std::string& jti) {
    json::object claims;
    claims["token_type"] = token_type_name(type);
    claims["exp"] = exp;
    claims["iat"] = iat;
    claims["jti"] = jti;
    return claims;
}

// Python's int(str) for ASCII input: surrounding whitespace, an optional sign, decimal digits
// with single underscores between them. Out-of-range values are refused rather than wrapped.
std::optional<std::int64_t> parse_python_int(std::string_view text) {
    constexpr std::string_view kSpace = " \t\n\v\f\r";
    const auto begin = text.find_first_not_of(kSpace);
    if (begin == std::string_view::npos) return std::nullopt;
    text = text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);

    std::string digits;
    if (text.front() == '+' || text.front() == '-') {
        if (text.front() == '-') digits += '-';
        text.remove_prefix(1);
    }
    if (text.empty()) return std::nullopt;
    bool previous_was_digit = false;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            digits += c;
            previous_was_digit = true;
        } else if (c == '_' && previous_was_digit) {
            previous_was_digit = false;
        } else {
            return std::nullopt;
        }
    }
    if (!previous_was_digit) return std::nullopt;  // trailing underscore

    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return value;
}

}  // namespace

std::string_view token_type_name(TokenType type) {
    return type == TokenType::Access ? "access" : "refresh";
}

MintedToken mint_token(TokenType type, std::int64_t user_id, const TokenSettings& settings,
                       std::int64_t now_seconds, std::string_view password_fingerprint) {
    const auto lifetime =
        type == TokenType::Access ? settings.access_lifetime : settings.refresh_lifetime;
    const std::int64_t exp = now_seconds + lifetime.count();
    std::string jti = new_jti();
    json::object claims = fresh_claims(type, exp, now_seconds, jti);
    claims["user_id"] = user_id;
    if (!password_fingerprint.empty()) claims[kPasswordClaim] = password_fingerprint;
    return MintedToken{util::jwt::sign_hs256(claims, settings.signing_key), std::move(jti), exp};
}

std::variant<ValidToken, TokenError> validate_token(std::string_view token, TokenType expected,
                                                    const TokenSettings& settings,
                                                    std::int64_t now_seconds) {
    auto decoded = util::jwt::decode_hs256(token, settings.signing_key, now_seconds);
    if (std::holds_alternative<util::jwt::JwtError>(decoded)) {
        return TokenError{std::string(kInvalidOrExpired)};
    }
    json::object& claims = std::get<util::jwt::Decoded>(decoded).claims;

    // Token.verify() -> check_exp(). A present exp already passed the decoder's expiry check,
    // which is at least as strict as simplejwt's second one, so only presence is left to test.
    if (!claims.contains("exp")) return TokenError{"Token has no 'exp' claim"};
    if (!claims.contains("jti")) return TokenError{"Token has no id"};
    const json::value* type = claims.if_contains("token_type");
    if (type == nullptr) return TokenError{"Token has no type"};
    if (!type->is_string() || type->get_string() != token_type_name(expected)) {
        return TokenError{"Token has wrong type"};
    }
    return ValidToken{expected, std::move(claims)};
}

MintedToken access_from_refresh(const ValidToken& refresh, const TokenSettings& settings,
                                std::int64_t now_seconds, std::string_view password_fingerprint) {
    const std::int64_t exp = now_seconds + settings.access_lifetime.count();
    std::string jti = new_jti();
    json::object claims = fresh_claims(TokenType::Access, exp, now_seconds, jti);
    // Assigning to an existing key keeps its position (like a Python dict), so "iat" stays third
    // while taking the refresh token's value; unknown claims such as user_id are appended.
    for (const auto& [key, value] : refresh.claims) {
        if (key == "token_type" || key == "exp" || key == "jti") continue;
        claims[key] = value;
    }
    if (!password_fingerprint.empty()) claims[kPasswordClaim] = password_fingerprint;
    return MintedToken{util::jwt::sign_hs256(claims, settings.signing_key), std::move(jti), exp};
}

MintedToken rotate_refresh(const ValidToken& refresh, const TokenSettings& settings,
                           std::int64_t now_seconds) {
    json::object claims = refresh.claims;
    std::string jti = new_jti();
    const std::int64_t exp = now_seconds + settings.refresh_lifetime.count();
    claims["jti"] = jti;
    claims["exp"] = exp;
    claims["iat"] = now_seconds;
    return MintedToken{util::jwt::sign_hs256(claims, settings.signing_key), std::move(jti), exp};
}

std::string password_fingerprint(std::string_view password_hash, const TokenSettings& settings) {
    std::string message = "resumate.users.password:";
    message += password_hash;
    return util::digest::hex(util::digest::hmac_sha256(settings.signing_key, message), 8);
}

bool password_unchanged(const boost::json::object& claims, std::string_view password_hash,
                        const TokenSettings& settings) {
    const json::value* claim = claims.if_contains(kPasswordClaim);
    if (claim == nullptr) return true;  // minted by the Django version, or before the claim
    return claim->is_string() &&
           claim->get_string() == password_fingerprint(password_hash, settings);
}

std::string jti_of(const boost::json::object& claims) {
    const json::value* jti = claims.if_contains("jti");
    if (jti == nullptr) return {};
    if (jti->is_string()) return std::string(jti->get_string());
    return json::serialize(*jti);
}

std::optional<std::int64_t> user_id_of(const boost::json::object& claims) {
    const json::value* id = claims.if_contains("user_id");
    if (id == nullptr) return std::nullopt;
    switch (id->kind()) {
        case json::kind::int64:
            return id->get_int64();
        case json::kind::uint64:
            return std::nullopt;  // above INT64_MAX: no such row can exist
        case json::kind::double_: {
            const double d = id->get_double();
            // 2^63 is exact in double; integral values inside the range convert exactly.
            if (!std::isfinite(d) || d != std::trunc(d) || d >= 9223372036854775808.0 ||
                d < -9223372036854775808.0) {
                return std::nullopt;
            }
            return static_cast<std::int64_t>(d);
        }
        case json::kind::string:
            return parse_python_int(id->get_string());
        default:
            return std::nullopt;
    }
}

}  // namespace resumate::users
