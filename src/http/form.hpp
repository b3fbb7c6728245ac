#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace resumate::http {

// application/x-www-form-urlencoded (also query strings): '+' is a space, %XX decoded.
// nullopt when the text is not valid form encoding.
std::optional<std::vector<std::pair<std::string, std::string>>> decode_form(std::string_view s);

}  // namespace resumate::http
