#include "users/user_service.hpp"

#include "users/field_validators.hpp"
#include "util/strings.hpp"

namespace resumate::users {

std::vector<std::string> username_problems(std::string_view username) {
    std::vector<std::string> problems;
    if (util::utf8_length(username) > kUsernameMaxLength) {
        problems.push_back("Ensure this field has no more than " +
                           std::to_string(kUsernameMaxLength) + " characters.");
    }
    if (!is_valid_username(username)) {
        problems.emplace_back(
            "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ "
            "characters.");
    }
    return problems;
}

std::vector<std::string> email_problems(std::string_view email) {
    std::vector<std::string> problems;
    if (util::utf8_length(email) > kEmailMaxLength) {
        problems.push_back("Ensure this field has no more than " + std::to_string(kEmailMaxLength) +
                           " characters.");
    }
    if (!is_valid_email(email)) problems.emplace_back("Enter a valid email address.");
    return problems;
}

}  // namespace resumate::users
