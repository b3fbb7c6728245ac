#include "util/jwt.hpp"

#include "util/base64.hpp"
#include "util/digest.hpp"

#include <openssl/crypto.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

namespace resumate::util::jwt {
namespace {

namespace json = boost::json;

// base64url of {"alg":"HS256","typ":"JWT"}: PyJWT sorts header keys, so this is its exact output.
constexpr std::string_view kHeaderSegment = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

std::optional<json::object> parse_object(std::string_view bytes) {
    boost::system::error_code ec;
    json::value value = json::parse(bytes, ec);
    if (ec || !value.is_object()) return std::nullopt;
    return std::move(value.as_object());
}

enum class Rounding { TowardZero, Up };

// The claim as an integer, rounded like PyJWT's comparison needs, clamped to int64 so that
// huge values still compare correctly with any realistic `now`. nullopt when it is not a finite
// JSON number: Python would raise on (or crash for) those, so they never make a token valid.
std::optional<std::int64_t> claim_seconds(const json::value& claim, Rounding rounding) {
    switch (claim.kind()) {
        case json::kind::int64:
            return claim.get_int64();
        case json::kind::uint64:
            // Only values above INT64_MAX are stored as uint64 by the parser.
            return std::numeric_limits<std::int64_t>::max();
        case json::kind::double_: {
            const double d = claim.get_double();
            if (!std::isfinite(d)) return std::nullopt;
            const double r = rounding == Rounding::TowardZero ? std::trunc(d) : std::ceil(d);
            // 2^63 is exactly representable; anything at or beyond it is clamped.
            constexpr double kLimit = 9223372036854775808.0;
            if (r >= kLimit) return std::numeric_limits<std::int64_t>::max();
            if (r < -kLimit) return std::numeric_limits<std::int64_t>::min();
            return static_cast<std::int64_t>(r);
        }
        default:
            return std::nullopt;
    }
}

std::optional<JwtError> check_time_claims(const json::object& claims, std::int64_t now) {
    if (const json::value* iat = claims.if_contains("iat")) {
        // PyJWT compares the raw value: iat > now. For an integer now that equals ceil(iat) > now.
        const auto seconds = claim_seconds(*iat, Rounding::Up);
        if (!seconds || *seconds > now) return JwtError::BadClaim;
    }
    if (const json::value* nbf = claims.if_contains("nbf")) {
        const auto seconds = claim_seconds(*nbf, Rounding::TowardZero);
        if (!seconds || *seconds > now) return JwtError::BadClaim;
    }
    if (const json::value* exp = claims.if_contains("exp")) {
        const auto seconds = claim_seconds(*exp, Rounding::TowardZero);
        if (!seconds) return JwtError::BadClaim;
        if (*seconds <= now) return JwtError::Expired;
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(JwtError error) {
    switch (error) {
        case JwtError::Malformed:
            return "malformed token";
        case JwtError::BadAlgorithm:
            return "algorithm not allowed";
        case JwtError::BadSignature:
            return "signature verification failed";
        case JwtError::Expired:
            return "token expired";
        case JwtError::BadClaim:
            return "invalid time claim";
    }
    return "unknown JWT error";
}

std::string sign_hs256(const boost::json::object& claims, std::string_view secret) {
    std::string token(kHeaderSegment);
    token += '.';
    token += base64url_encode(json::serialize(claims));
    const digest::Sha256 mac = digest::hmac_sha256(secret, token);
    token += '.';
    token +=
        base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
    return token;
}

std::variant<Decoded, JwtError> decode_hs256(std::string_view token, std::string_view secret,
                                             std::int64_t now_seconds) {
    const std::size_t first_dot = token.find('.');
    const std::size_t last_dot = token.rfind('.');
    if (first_dot == std::string_view::npos || first_dot == last_dot) return JwtError::Malformed;
    const std::string_view signing_input = token.substr(0, last_dot);
    const std::string_view header_segment = token.substr(0, first_dot);
    const std::string_view payload_segment = signing_input.substr(first_dot + 1);
    const std::string_view signature_segment = token.substr(last_dot + 1);
    // A fourth part would land in the payload segment; '.' is not base64url, so it is refused
    // there, but say why explicitly.
    if (payload_segment.find('.') != std::string_view::npos) return JwtError::Malformed;

    const auto header_bytes = base64url_decode(header_segment);
    if (!header_bytes) return JwtError::Malformed;
    const auto header = parse_object(*header_bytes);
    if (!header) return JwtError::Malformed;
    const auto payload_bytes = base64url_decode(payload_segment);
    const auto signature = base64url_decode(signature_segment);
    if (!payload_bytes || !signature) return JwtError::Malformed;

    // RFC 7797 unencoded payload: PyJWT refuses it without a detached payload (only literal false).
    if (const json::value* b64 = header->if_contains("b64");
        b64 && b64->is_bool() && !b64->get_bool()) {
        return JwtError::Malformed;
    }

    // The one algorithm we sign with is the only one we accept: no "none", no other HMAC size,
    // no asymmetric algorithm that might be fed our secret as a "public key".
    const json::value* alg = header->if_contains("alg");
    if (alg == nullptr || !alg->is_string() || alg->get_string() != "HS256") {
        return JwtError::BadAlgorithm;
    }

    const digest::Sha256 expected = digest::hmac_sha256(secret, signing_input);
    if (signature->size() != expected.size() ||
        CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
        return JwtError::BadSignature;
    }

    auto claims = parse_object(*payload_bytes);
    if (!claims) return JwtError::Malformed;
    if (const auto error = check_time_claims(*claims, now_seconds)) return *error;
    return Decoded{std::move(*claims)};
}

}  // namespace resumate::util::jwt
