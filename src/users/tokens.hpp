// simplejwt 5.2.2 semantics on top of util::jwt: what claims a token carries, which messages a
// bad token earns, how a refresh token yields an access token. Defaults are simplejwt's: HS256
// with SECRET_KEY, access 5 minutes, refresh 1 day, claim "user_id", no rotation.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace resumate::users {

enum class TokenType { Access, Refresh };

// The "token_type" claim value: "access" / "refresh" (also used in DRF error bodies).
std::string_view token_type_name(TokenType type);

struct TokenSettings {
    std::string signing_key;
    std::chrono::seconds access_lifetime{300};
    std::chrono::seconds refresh_lifetime{86400};
    // ROTATE_REFRESH_TOKENS with BLACKLIST_AFTER_ROTATION: a refresh also answers a new refresh
    // token, and the one presented is blacklisted.
    bool rotate_refresh_tokens = false;
};

struct MintedToken {
    std::string token;
    std::string jti;
    std::int64_t exp;
};

// Claims in simplejwt's order: token_type, exp (now + lifetime), iat (now), jti, user_id, then
// kPasswordClaim when `password_fingerprint` is given (access tokens).
// jti is a random UUID4 in hex (32 lowercase hex chars with the version/variant bits set),
// exactly the shape of simplejwt's uuid4().hex. Throws std::runtime_error if the OS RNG fails.
MintedToken mint_token(TokenType type, std::int64_t user_id, const TokenSettings& settings,
                       std::int64_t now_seconds, std::string_view password_fingerprint = {});

// Beyond simplejwt: an access token says which password it was issued under, so that changing
// the password ends every access token issued before (as Django's session auth hash ends
// sessions). The claim holds password_fingerprint() of the user's password hash; the
// authenticator compares it with the user row it reads anyway (no extra query). Django ignores
// the claim, so our tokens still work there; Django's tokens, which lack it, still work here.
inline constexpr std::string_view kPasswordClaim = "pwh";
// 16 hex digits of HMAC-SHA256(signing key, the encoded password hash).
std::string password_fingerprint(std::string_view password_hash, const TokenSettings& settings);
// False when the token carries kPasswordClaim and it is not the fingerprint of this hash.
bool password_unchanged(const boost::json::object& claims, std::string_view password_hash,
                        const TokenSettings& settings);

struct TokenError {
    std::string message;
};

struct ValidToken {
    TokenType type;
    boost::json::object claims;
};

// simplejwt Token.__init__ + verify(), same order as 5.2.2:
//   any decode failure (bad structure, algorithm, signature, expired, bad time claim)
//                          -> "Token is invalid or expired"
//   no "exp"               -> "Token has no 'exp' claim"
//   no "jti"               -> "Token has no id"
//   no "token_type"        -> "Token has no type"
//   token_type != expected -> "Token has wrong type"
// A present claim counts even when null, as in simplejwt (`claim in payload`).
// Blacklist checks and the user lookup belong to the callers.
std::variant<ValidToken, TokenError> validate_token(std::string_view token, TokenType expected,
                                                    const TokenSettings& settings,
                                                    std::int64_t now_seconds);

// simplejwt 5.2.2's RefreshToken.access_token: a new access token (token_type, exp = now +
// access lifetime, iat, new jti), then every refresh claim except token_type/exp/jti is copied
// over it. Note "iat" is copied too, so the access token carries the refresh token's iat: that is
// what 5.2.2 does (only simplejwt 5.5 stopped copying iat), and clients may compare iat.
// With `password_fingerprint`, kPasswordClaim is set to it (the refresh token does not carry
// one: changing the password blacklists refresh tokens instead).
MintedToken access_from_refresh(const ValidToken& refresh, const TokenSettings& settings,
                                std::int64_t now_seconds,
                                std::string_view password_fingerprint = {});

// simplejwt's rotation: the refresh token's claims with set_jti(), set_exp() (now + refresh
// lifetime) and set_iat() (now) applied in place, so the claim order is kept.
MintedToken rotate_refresh(const ValidToken& refresh, const TokenSettings& settings,
                           std::int64_t now_seconds);

// The "jti" claim as the blacklist tables hold it: the string, or the JSON text of anything else.
std::string jti_of(const boost::json::object& claims);

// The "user_id" claim as Django's User.objects.get(id=...) would read it: a JSON integer, an
// integer-valued number, or a string Python's int() accepts ("7", " 7 ", "+7", "1_000").
// nullopt when missing or anything else (Django would truncate 7.5 or take true as 1, or answer
// 500 for "abc"; we treat all of those as "no recognizable user identification").
std::optional<std::int64_t> user_id_of(const boost::json::object& claims);

}  // namespace resumate::users
