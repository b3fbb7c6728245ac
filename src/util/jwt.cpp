#include "util/jwt.hpp"

#include "util/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace resumate::util::jwt {
namespace {

namespace json = boost::json;

// base64url of {"alg":"HS256","typ":"JWT"}: PyJWT sorts header keys, so this is its exact output.
constexpr std::string_view kHeaderSegment = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

using Mac = std::array<unsigned char, 32>;

// HMAC-SHA256 (RFC 2104) from two SHA-256 states that have already absorbed the padded key.
// OpenSSL's one-shot HMAC() looks SHA-256 and the HMAC algorithm up by name in its provider
// registry on every call (locks, string compares): about 26,000 instructions per token, more
// than checking the rest of the request. A thread keeps the pads of the last few keys it saw
// (the server signs and checks with one secret), so a call costs two state copies and the
// hashing itself. Results equal HMAC()'s (jwt_test checks RFC 4231's vectors).
class HmacSha256 {
  public:
    explicit HmacSha256(std::string_view key) : key_(key) {
        static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        if (sha256 == nullptr) throw std::runtime_error("SHA-256 unavailable");
        std::array<unsigned char, kBlock> block{};
        if (key.size() > kBlock) {
            unsigned int n = 0;
            if (EVP_Digest(key.data(), key.size(), block.data(), &n, sha256, nullptr) != 1) {
                throw std::runtime_error("SHA-256 failed");
            }
        } else {
            std::copy(key.begin(), key.end(), block.begin());
        }
        std::array<unsigned char, kBlock> pad{};
        for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
        absorb(inner_.get(), sha256, pad);
        for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
        absorb(outer_.get(), sha256, pad);
        OPENSSL_cleanse(block.data(), block.size());
        OPENSSL_cleanse(pad.data(), pad.size());
    }

    const std::string& key() const { return key_; }

    Mac sign(std::string_view data) {
        Mac inner{};
        Mac mac{};
        unsigned int n = 0;
        if (EVP_MD_CTX_copy_ex(work_.get(), inner_.get()) != 1 ||
            EVP_DigestUpdate(work_.get(), data.data(), data.size()) != 1 ||
            EVP_DigestFinal_ex(work_.get(), inner.data(), &n) != 1 || n != inner.size() ||
            EVP_MD_CTX_copy_ex(work_.get(), outer_.get()) != 1 ||
            EVP_DigestUpdate(work_.get(), inner.data(), inner.size()) != 1 ||
            EVP_DigestFinal_ex(work_.get(), mac.data(), &n) != 1 || n != mac.size()) {
            throw std::runtime_error("HMAC-SHA256 failed");
        }
        return mac;
    }

  private:
    static constexpr std::size_t kBlock = 64;  // SHA-256's block size
    struct Free {
        void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
    };
    using Ctx = std::unique_ptr<EVP_MD_CTX, Free>;
    static Ctx make() {
        Ctx c(EVP_MD_CTX_new());
        if (!c) throw std::bad_alloc();
        return c;
    }
    static void absorb(EVP_MD_CTX* ctx, const EVP_MD* md,
                       const std::array<unsigned char, kBlock>& pad) {
        if (EVP_DigestInit_ex(ctx, md, nullptr) != 1 ||
            EVP_DigestUpdate(ctx, pad.data(), pad.size()) != 1) {
            throw std::runtime_error("SHA-256 failed");
        }
    }

    std::string key_;
    Ctx inner_ = make();
    Ctx outer_ = make();
    Ctx work_ = make();
};

Mac hmac_sha256(std::string_view key, std::string_view data) {
    // Most recently used first; a handful of keys at most (the secret, tests' own secrets).
    thread_local std::vector<std::unique_ptr<HmacSha256>> keyed;
    auto it =
        std::find_if(keyed.begin(), keyed.end(), [&](const auto& h) { return h->key() == key; });
    if (it == keyed.end()) {
        if (keyed.size() == 4) keyed.pop_back();
        keyed.insert(keyed.begin(), std::make_unique<HmacSha256>(key));
    } else if (it != keyed.begin()) {
        std::rotate(keyed.begin(), it, it + 1);
    }
    return keyed.front()->sign(data);
}

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
    const Mac mac = hmac_sha256(secret, token);
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

    const Mac expected = hmac_sha256(secret, signing_input);
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
