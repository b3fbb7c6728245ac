#pragma once
// The offline writer's lexicon: skills with their aliases and categories, job-title words,
// name and employer stop lists, degrees, months, verbs, and the phrase banks that recognise
// prompt injection, off-topic requests and career talk. Every table is constexpr data defined
// once in lexicon*.cpp; the indexes over them are built lazily (thread-safe static
// initialisation) and immutable afterwards.
#include "offline/detail/text.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace resumate::offline::detail {

// Sorted constexpr tables, searched with binary search.
struct Entry {
    string_view key;      // lower case
    string_view display;  // canonical spelling
};

template <size_t N>
constexpr std::array<Entry, N> sorted(std::array<Entry, N> a) {
    std::sort(a.begin(), a.end(), [](const Entry& x, const Entry& y) { return x.key < y.key; });
    return a;
}

template <size_t N>
constexpr std::array<string_view, N> sorted(std::array<string_view, N> a) {
    std::sort(a.begin(), a.end());
    return a;
}

inline const Entry* find_entry(std::span<const Entry> table, string_view key) {
    const auto it = std::lower_bound(table.begin(), table.end(), key,
                                     [](const Entry& e, string_view k) { return e.key < k; });
    return (it != table.end() && it->key == key) ? &*it : nullptr;
}

inline bool has_word(std::span<const string_view> table, string_view w) {
    return std::binary_search(table.begin(), table.end(), w);
}

// Skills. Aliases are '|'-separated. Lower-case aliases match case-insensitively; an alias with
// a capital ("ML", "REST") or an entry flagged kExact matches only as written, because the word
// is also ordinary English ("Excel", "Swift"). kContext additionally requires list-like
// surroundings ("Go, Rust", "in R", "C/C++"): one-letter and everyday words would match prose.
enum class Cat : std::uint8_t { Lang, Frame, Data, Cloud, Tool, Soft, Other };
constexpr std::uint8_t kExact = 1;
constexpr std::uint8_t kContext = 2;

struct Skill {
    string_view name;
    string_view aliases;
    Cat cat;
    std::uint8_t flags;
};

extern const std::span<const Skill> kSkills;

// Aliases bucketed by their first lower-case byte so the scan only tries the handful that can
// start at a position.
struct AliasRef {
    string_view alias;
    std::uint16_t skill;
    bool exact;  // compare against the original text, not the lower-case copy
};

struct SkillIndex {
    std::array<std::vector<AliasRef>, 256> buckets;
};

const SkillIndex& skill_index();
// Whether the lower-case word is (an alias of) a known skill, used to keep skills out of names
// and employers.
bool is_skill_word(string_view lower_word, Cat* cat = nullptr);

struct Degree {
    string_view key;
    string_view display;
    bool exact;
};

struct Weighted {
    string_view phrase;
    int weight;
};

extern const std::span<const string_view> kAbbreviations;
extern const std::span<const string_view> kRoleNouns;
extern const std::span<const string_view> kWeakNouns;
extern const std::span<const string_view> kOfNouns;
extern const std::span<const string_view> kSeniority;
extern const std::span<const string_view> kTitleModifiers;
extern const std::span<const Entry> kTitleSpellings;
extern const std::span<const string_view> kTitleRejectBefore;
extern const std::span<const string_view> kTitleArticleOk;
extern const std::span<const string_view> kNameParticles;
extern const std::span<const string_view> kNotNameWords;
extern const std::span<const string_view> kNotEmployerWords;
extern const std::span<const string_view> kOrgSuffixes;
extern const std::span<const string_view> kPlaces;
extern const std::span<const string_view> kInstitutionWords;
extern const std::span<const Entry> kMonths;
extern const std::span<const Degree> kDegrees;
extern const std::span<const Degree> kDegreeOf;
extern const std::span<const string_view> kPastVerbs;
extern const std::span<const string_view> kPresentVerbs;
extern const std::span<const string_view> kSubjectFillers;
extern const std::span<const string_view> kInjectionPhrases;
extern const std::span<const Weighted> kOffTopicPhrases;
extern const std::span<const Weighted> kCareerPhrases;
extern const std::span<const string_view> kProjectMarkers;
extern const std::span<const Entry> kCertAcronyms;

// The canonical spelling of a title word ("devops" -> "DevOps"), else the word capitalised.
string title_word(string_view lower_word);
bool place_token(string_view w);

// Phrase tables are matched in one pass over the text: phrases are bucketed by their first
// byte and only the bucket of each word start is tried.
struct PhraseIndex {
    std::array<std::vector<std::uint16_t>, 256> buckets;
};

const PhraseIndex& injection_index();
const PhraseIndex& off_topic_index();
const PhraseIndex& career_index();

inline string_view phrase_of(string_view p) {
    return p;
}
inline string_view phrase_of(const Weighted& w) {
    return w.phrase;
}

struct PhraseHit {
    size_t pos;
    std::uint16_t id;
};

// Whole-word occurrences (for phrases that start/end with a letter or digit) in `low`.
template <typename Table>
std::vector<PhraseHit> scan_phrases(string_view low, const Table& table, const PhraseIndex& idx) {
    std::vector<PhraseHit> hits;
    for (size_t i = 0; i < low.size(); ++i) {
        // A phrase starting with a letter only matches at a word start; the first byte of
        // the phrase equals low[i], so one test covers the whole bucket.
        if (i > 0 && is_alnum(low[i]) && is_alnum(low[i - 1])) continue;
        const auto& bucket = idx.buckets[static_cast<unsigned char>(low[i])];
        for (std::uint16_t id : bucket) {
            const string_view p = phrase_of(table[id]);
            if (low.size() - i < p.size() || low.compare(i, p.size(), p) != 0) continue;
            const size_t end = i + p.size();
            if (is_alnum(p.back()) && end < low.size() && is_alnum(low[end])) continue;
            hits.push_back({i, id});
        }
    }
    return hits;
}

}  // namespace resumate::offline::detail
