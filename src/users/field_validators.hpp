// Registration field checks that mirror Django's validators, plus the small amount of Unicode
// handling they (and password_validators) need to agree with Python's str semantics.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/utf8.hpp"

namespace resumate::users {

// AbstractUser.username is CharField(max_length=150); the length check lives on the field, not in
// the validator, so callers check it separately (in code points, as Python's len()).
inline constexpr std::size_t kUsernameMaxLength = 150;

// Django's UnicodeUsernameValidator: ^[\w.@+-]+\Z with Unicode \w (letters and digits of any
// script, and underscore). Invalid UTF-8 is rejected. Does not check the length.
bool is_valid_username(std::string_view username_utf8);

// AbstractBaseUser.normalize_username: Unicode NFKC, so "ｒｏｏｔ１" and "𝐚𝐥𝐢𝐜𝐞" are the users
// "root1" and "alice". Applied to the name stored at registration and to the name looked up at
// login. Invalid UTF-8 comes back unchanged (no user can have it).
std::string normalize_username(std::string_view username_utf8);

// Django's EmailValidator (3.2, django/core/validators.py): at most 320 code points, dot-atom or
// quoted-string local part, LDH domain with a 2-63 character last label, a literal [IPv4] /
// [IPv6] address, or exactly "localhost". Deliberate difference: Django retries a failing domain
// after IDNA (punycode) encoding; we do not, so internationalized domains are rejected.
// Blank is invalid here; callers that accept a blank email (as the API does) test for it first.
bool is_valid_email(std::string_view email);

// Code points with Python's str semantics, shared with the password validators.
namespace text {

// UTF-8 to and from code points (util/utf8.hpp): strict decoding (nullopt if invalid), lossy
// decoding (U+FFFD per invalid byte) for inputs we must judge, not reject, and Python len().
using util::count_code_points;
using util::decode_utf8;
using util::decode_utf8_lossy;
using util::encode_utf8;

// Python str.isdigit() for one code point (Unicode Nd plus Numeric_Type=Digit, e.g. "²").
bool is_digit(char32_t c);
// Python str.isspace() for one code point (includes NBSP, unlike iswspace).
bool is_space(char32_t c);
// Python re's \w for str patterns: str.isalnum() or '_'. Letters come from glibc's C.UTF-8
// classification (minus its marks and circled letters); numbers from tables generated from
// Python 3.11. Agrees with Python 3.11 on every code point with Debian 12's glibc 2.36; other
// Unicode versions may differ on newly assigned characters.
bool is_word_char(char32_t c);
// Simple (one-to-one) Unicode lowercase of one code point.
char32_t to_lower(char32_t c);
// Python's str.lower(): to_lower plus the one one-to-many mapping (U+0130 -> "i" U+0307).
// Not reproduced: the Final_Sigma context rule (a word-final capital sigma lowers to U+03C2 in
// Python, to U+03C3 here).
std::u32string lower(std::u32string_view s);
// False when glibc's C.UTF-8 locale could not be loaded: non-ASCII letters are then not word
// characters and are not lowercased (fails closed: such usernames are rejected).
bool unicode_classification_available();

}  // namespace text
}  // namespace resumate::users
