// SHA-256 and HMAC-SHA256 on OpenSSL: token signatures (util/jwt), API key hashes and the
// password fingerprint in access tokens (users/).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace resumate::util::digest {

using Sha256 = std::array<unsigned char, 32>;

Sha256 sha256(std::string_view data);

// HMAC-SHA256 (RFC 2104). Results equal OpenSSL's HMAC() (jwt_test checks RFC 4231's vectors).
Sha256 hmac_sha256(std::string_view key, std::string_view data);

// Lowercase hex of the first `bytes` bytes of a digest.
std::string hex(const Sha256& digest, std::size_t bytes = 32);

}  // namespace resumate::util::digest
