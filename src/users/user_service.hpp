#pragma once
// The rules a new account's fields follow, shared by registration (POST /api/auth/register/) and
// the `createsuperuser` verb, so both accept and refuse the same names with the same messages.
#include <string>
#include <string_view>
#include <vector>

namespace resumate::users {

// AbstractUser.email is EmailField(max_length=254).
inline constexpr std::size_t kEmailMaxLength = 254;

// The messages a username (as sent, before normalization) earns, in the order DRF reports them:
// the field's length (at most 150 characters, counted in code points as Python's len()) and then
// Django's UnicodeUsernameValidator. Empty when the name is acceptable. Whether the name is taken
// is the caller's question (it needs the database).
std::vector<std::string> username_problems(std::string_view username);

// The messages a non-blank email address earns, in order: the field's length (at most 254
// characters) and then Django's EmailValidator. Empty when the address is acceptable. A blank
// email is allowed by both callers and not passed here.
std::vector<std::string> email_problems(std::string_view email);

// The message for a username that already belongs to an account.
inline constexpr std::string_view kUsernameTaken = "A user with that username already exists.";

}  // namespace resumate::users
