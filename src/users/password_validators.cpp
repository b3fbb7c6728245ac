#include "users/password_validators.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "users/field_validators.hpp"

namespace resumate::users {
namespace {

struct GzCloser {
    void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzHandle = std::unique_ptr<gzFile_s, GzCloser>;

[[noreturn]] void fail(const std::string& path, const std::string& why) {
    throw std::runtime_error("cannot load the common password list '" + path + "': " + why);
}

std::string read_whole_gz(const std::string& path) {
    errno = 0;
    GzHandle file{gzopen(path.c_str(), "rb")};
    if (!file) fail(path, errno != 0 ? std::strerror(errno) : "gzopen failed");
    std::string content;
    std::array<char, 64 * 1024> buffer{};
    while (true) {
        const int got = gzread(file.get(), buffer.data(), static_cast<unsigned>(buffer.size()));
        int errnum = Z_OK;
        const char* message = gzerror(file.get(), &errnum);
        // zlib reports a truncated stream as Z_BUF_ERROR alongside a short read, not as -1.
        if (got < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
            fail(path, errnum == Z_ERRNO ? std::strerror(errno) : message);
        }
        if (got == 0) break;
        content.append(buffer.data(), static_cast<std::size_t>(got));
    }
    // gzclose_r reports a stream that ended mid-member, which gzread may not have flagged yet.
    const int closed = gzclose(file.release());
    if (closed != Z_OK) fail(path, "the file is truncated or corrupt");
    return content;
}

std::u32string_view strip(std::u32string_view s) {
    while (!s.empty() && text::is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && text::is_space(s.back())) s.remove_suffix(1);
    return s;
}

// re.split(r'\W+', value): pieces between runs of non-word characters, keeping the empty
// pieces at either end as Python does.
std::vector<std::u32string_view> split_on_non_word(std::u32string_view value) {
    std::vector<std::u32string_view> parts;
    std::size_t start = 0;
    bool in_separator = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (text::is_word_char(value[i])) {
            if (in_separator) start = i, in_separator = false;
        } else if (!in_separator) {
            parts.push_back(value.substr(start, i - start));
            in_separator = true;
        }
    }
    parts.push_back(in_separator ? std::u32string_view{} : value.substr(start));
    return parts;
}

// Django >= 4.2 (and the 3.2 security backport): a value much shorter than the password cannot
// reach max_similarity, so skip it; this bounds the work for long passwords.
bool exceeds_maximum_length_ratio(std::size_t password_length, std::size_t value_length) {
    const double length_bound_similarity =
        kPasswordMaxSimilarity / 2 * static_cast<double>(password_length);
    return password_length >= 10 * value_length &&
           static_cast<double>(value_length) < length_bound_similarity;
}

bool too_similar(std::u32string_view password_lower, std::string_view attribute) {
    const std::u32string value = text::lower(text::decode_utf8_lossy(attribute));
    auto parts = split_on_non_word(value);
    parts.push_back(value);
    return std::any_of(parts.begin(), parts.end(), [&](std::u32string_view part) {
        return !exceeds_maximum_length_ratio(password_lower.size(), part.size()) &&
               quick_ratio(password_lower, part) >= kPasswordMaxSimilarity;
    });
}

}  // namespace

CommonPasswordList CommonPasswordList::load(const std::string& path) {
    const std::string content = read_whole_gz(path);
    std::vector<std::string> passwords;
    std::size_t line_number = 0;
    for (std::size_t start = 0; start < content.size(); ++line_number) {
        // Python's line iteration: no empty entry after a final newline, but a blank line in the
        // middle becomes "" (and so would make an empty password "common", as in Django).
        std::size_t end = content.find('\n', start);
        if (end == std::string::npos) end = content.size();
        const auto line = text::decode_utf8(std::string_view(content).substr(start, end - start));
        if (!line) fail(path, "line " + std::to_string(line_number + 1) + " is not UTF-8");
        passwords.push_back(text::encode_utf8(strip(*line)));
        start = end + 1;
    }
    if (passwords.empty()) fail(path, "it contains no passwords");
    std::sort(passwords.begin(), passwords.end());
    passwords.erase(std::unique(passwords.begin(), passwords.end()), passwords.end());
    return CommonPasswordList(std::move(passwords));
}

bool CommonPasswordList::contains(std::string_view password) const {
    const std::u32string lowered = text::lower(text::decode_utf8_lossy(password));
    const std::string key = text::encode_utf8(strip(lowered));
    return std::binary_search(passwords_.begin(), passwords_.end(), key);
}

double quick_ratio(std::u32string_view a, std::u32string_view b) {
    const std::size_t total = a.size() + b.size();
    if (total == 0) return 1.0;  // difflib's _calculate_ratio
    std::unordered_map<char32_t, std::size_t> available;
    for (char32_t c : b) ++available[c];
    std::size_t matches = 0;
    for (char32_t c : a) {
        const auto it = available.find(c);
        if (it != available.end() && it->second > 0) {
            --it->second;
            ++matches;
        }
    }
    return 2.0 * static_cast<double>(matches) / static_cast<double>(total);
}

std::vector<std::string> validate_password(std::string_view password, std::string_view username,
                                           std::string_view email,
                                           const CommonPasswordList& common) {
    std::vector<std::string> errors;
    const std::u32string decoded = text::decode_utf8_lossy(password);
    if (decoded.size() < kPasswordMinLength) {
        errors.emplace_back("This password is too short. It must contain at least " +
                            std::to_string(kPasswordMinLength) + " characters.");
    }
    if (common.contains(password)) errors.emplace_back("This password is too common.");
    if (!decoded.empty() && std::all_of(decoded.begin(), decoded.end(), text::is_digit)) {
        errors.emplace_back("This password is entirely numeric.");
    }
    // Django's validator raises on the first similar attribute, so one message at most.
    const std::u32string password_lower = text::lower(decoded);
    const std::array<std::pair<std::string_view, const char*>, 2> attributes{{
        {username, "The password is too similar to the username."},
        {email, "The password is too similar to the email address."},
    }};
    for (const auto& [value, message] : attributes) {
        if (value.empty()) continue;  // Django skips blank attributes
        if (too_similar(password_lower, value)) {
            errors.emplace_back(message);
            break;
        }
    }
    return errors;
}

}  // namespace resumate::users
