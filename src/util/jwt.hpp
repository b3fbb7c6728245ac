// HS256 JSON Web Tokens, byte-compatible with PyJWT 2.6 (what djangorestframework-simplejwt 5.2
// uses), so tokens minted by the Django version verify here and ours verify there.
//
// Written on OpenSSL's HMAC rather than libjwt because we need: HS256 and nothing else (no
// algorithm confusion: "none", "HS512", "RS256" ... are refused whatever the key), a distinct
// reason per failure, a constant-time signature compare, and header/payload bytes identical to
// PyJWT's output.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace resumate::util::jwt {

// Header bytes exactly as PyJWT 2.6 writes them (keys sorted): {"alg":"HS256","typ":"JWT"}.
// The payload is the compact Boost.JSON serialization of `claims` in the object's key order,
// which equals Python's json.dumps(separators=(",", ":")) for strings of ASCII text, integers,
// booleans, null and nesting of those (all that simplejwt ever puts in a token). It differs for
// non-integer numbers ("1.5E0" vs "1.5") and non-ASCII text (raw UTF-8 vs "\u00e9"): still valid
// JSON with the same meaning, just not the same bytes.
std::string sign_hs256(const boost::json::object& claims, std::string_view secret);

enum class JwtError {
    Malformed,     // not 3 base64url parts, header/payload not a JSON object, "b64": false
    BadAlgorithm,  // header "alg" is missing or anything but exactly "HS256"
    BadSignature,  // HMAC-SHA256 mismatch (wrong key, tampered token)
    Expired,       // "exp" <= now
    BadClaim,      // "exp"/"iat"/"nbf" not a number, or "iat"/"nbf" in the future
};

// For logs and test output.
std::string_view to_string(JwtError error);

struct Decoded {
    boost::json::object claims;
};

// Checks in PyJWT 2.6's order, so the reason matches what PyJWT would raise:
//  1. three dot-separated parts, each valid base64url (see util::base64url_decode);
//  2. the header is a JSON object, without "b64": false (PyJWT refuses an unencoded payload
//     unless the caller supplies it, which simplejwt never does);
//  3. header "alg" == "HS256" exactly;
//  4. the signature, compared in constant time;
//  5. only then is the payload parsed: it must be a JSON object (no parsing of unauthenticated
//     payload bytes);
//  6. registered time claims, leeway 0, PyJWT's order iat, nbf, exp:
//     "iat" present: a number, not later than now (PyJWT 2.6 rejects a future iat) else BadClaim;
//     "nbf" present: a number whose integer part is <= now else BadClaim;
//     "exp" present: a number (else BadClaim) whose integer part is > now (else Expired).
//     PyJWT takes int() of exp/nbf, i.e. truncates; iat is compared as is.
// Absent claims are not required here; simplejwt's own checks live in users/tokens.
std::variant<Decoded, JwtError> decode_hs256(std::string_view token, std::string_view secret,
                                             std::int64_t now_seconds);

}  // namespace resumate::util::jwt
