// Base64 (RFC 4648) in the two flavours the project needs: base64url without padding for JWT
// segments, and standard base64 with padding (Django's password hashes, HTTP Basic, ...).
// Bytes travel in std::string, as everywhere else in the code base.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace resumate::util {

// URL-safe alphabet ('-', '_'), no '=' padding: what JWS compact serialization uses.
std::string base64url_encode(std::string_view bytes);

// Accepts what PyJWT's base64url_decode accepts from well-formed tokens: padding may be left out
// (or be present and correct), a length of 4k+1 is rejected, and so is any character outside the
// URL-safe alphabet (PyJWT silently skips those; we would rather refuse than guess).
// Unused low bits of the last character are ignored, as Python's decoder does.
std::optional<std::string> base64url_decode(std::string_view text);

// Standard alphabet ('+', '/') with '=' padding.
std::string base64_encode(std::string_view bytes);

// Strict: the length must be a multiple of 4 with correct padding, standard alphabet only.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace resumate::util
