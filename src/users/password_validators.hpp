// Django's registration password validators (AUTH_PASSWORD_VALIDATORS with the defaults):
// minimum length, common password list, entirely numeric, similarity to the user's attributes.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace resumate::users {

// Django's common-passwords.txt.gz, held in memory once and shared (lookups are const and
// thread-safe).
class CommonPasswordList {
  public:
    static constexpr const char* kDefaultPath =
        "/usr/lib/python3/dist-packages/django/contrib/auth/common-passwords.txt.gz";

    // One password per line, gzip-compressed or plain (zlib reads both, as Django falls back to
    // plain text). Each line is stripped like Python's str.strip(). Throws std::runtime_error
    // naming the path if the file cannot be opened, is corrupt, is not UTF-8 or holds no entries
    // (an empty list would silently disable the check).
    static CommonPasswordList load(const std::string& path = kDefaultPath);

    // Django: password.lower().strip() in passwords.
    bool contains(std::string_view password) const;
    std::size_t size() const { return passwords_.size(); }

  private:
    explicit CommonPasswordList(std::vector<std::string> sorted_unique)
        : passwords_(std::move(sorted_unique)) {}
    std::vector<std::string> passwords_;  // sorted, for binary search without per-entry nodes
};

inline constexpr std::size_t kPasswordMinLength = 8;
inline constexpr double kPasswordMaxSimilarity = 0.7;

// All failures, in the API's order: too short, too common, entirely numeric, too similar. As in
// Django's UserAttributeSimilarityValidator, at most one similarity message is produced: the
// username is tried first, then the email; blank attributes are skipped. Lengths count code
// points; invalid UTF-8 is judged with U+FFFD in place of the bad bytes rather than rejected.
std::vector<std::string> validate_password(std::string_view password, std::string_view username,
                                           std::string_view email,
                                           const CommonPasswordList& common);

// difflib.SequenceMatcher(a, b).quick_ratio(): 2*M/T with M the size of the multiset
// intersection of the two sequences' code points and T their total length (1.0 if both empty).
double quick_ratio(std::u32string_view a, std::u32string_view b);

}  // namespace resumate::users
