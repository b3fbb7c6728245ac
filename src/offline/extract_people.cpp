#include "offline/detail/extract.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::offline::detail {

// ---------------------------------------------------------------------------------------------
// Word-level helpers shared by the extractors.

bool space_gap(const Doc& d, const Token& t) {
    return all_spaces(d.gap(t));
}

// "JANE" -> "Jane", "jane" -> "Jane", "McDonald" stays.
// The small letter of a capital in the scripts names are mostly written in ("Í" -> "í").
char32_t lower_cp(char32_t cp) {
    if (cp < 0x80) return is_upper(static_cast<char>(cp)) ? cp + 0x20 : cp;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
    if (cp >= 0x100 && cp <= 0x17F && is_capital_cp(cp)) return cp + 1;
    if (cp >= 0x391 && cp <= 0x3A9) return cp + 0x20;
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
    return cp;
}

bool small_letter(char32_t cp) {
    if (cp < 0x80) return is_lower(static_cast<char>(cp));
    if (cp >= 0xDF && cp <= 0xFF) return cp != 0xF7;
    if (cp >= 0x100 && cp <= 0x17F) return !is_capital_cp(cp);
    return (cp >= 0x3B1 && cp <= 0x3C9) || (cp >= 0x430 && cp <= 0x45F);
}

string capitalize_word(string_view w) {
    bool has_lower = false;
    int letters = 0;
    for (size_t i = 0; i < w.size();) {
        const util::DecodedChar c = util::decode_utf8_char(w, i);
        if (c.len == 0) return string(w);
        if (small_letter(c.cp)) has_lower = true;
        if (word_char_len(w, i) != 0 && !is_digit(w[i])) ++letters;
        i += c.len;
    }
    string out;
    if (!has_lower && letters > 1) {
        // "JOSÉ" -> "José", "O'BRIEN" -> "O'Brien", "GARCÍA-LÓPEZ" -> "García-López".
        bool start = true;
        for (size_t i = 0; i < w.size();) {
            const util::DecodedChar c = util::decode_utf8_char(w, i);
            const bool letter = word_char_len(w, i) != 0 && !is_digit(w[i]);
            if (letter) {
                util::append_utf8(out, start ? c.cp : lower_cp(c.cp));
                start = false;
            } else {
                out.append(w.substr(i, c.len));
                if (w[i] == '-' || w[i] == '\'') start = true;
            }
            i += c.len;
        }
    } else {
        out = string(w);
        if (!out.empty()) out[0] = to_upper(out[0]);
    }
    return out;
}

// Field names are title-cased but keep acronyms ("AI") and small words ("of", "and").
string title_case_phrase(const std::vector<string_view>& words) {
    static constexpr auto kSmall = sorted(std::to_array<string_view>({
        "and",
        "of",
        "the",
        "in",
        "for",
        "&",
        "with",
        "on",
        "to",
        "a",
        "an",
    }));
    string out;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += ' ';
        const string lw = lower_copy(words[i]);
        if (i > 0 && has_word(kSmall, lw)) {
            out += lw;
        } else {
            string w(words[i]);
            if (!w.empty()) w[0] = to_upper(w[0]);
            out += w;
        }
    }
    return out;
}

// Seniority and field words that may precede a role noun ("Senior Backend Engineer").
bool is_modifier(const Doc& d, const Token& t) {
    const string_view lw = d.lword(t);
    if (lw == "it" && d.word(t) != "IT") return false;  // the pronoun
    if (lw == "go" && d.word(t) != "Go") return false;  // the verb
    return has_word(kSeniority, lw) || has_word(kTitleModifiers, lw);
}

bool is_title_word(string_view lw) {
    return has_word(kRoleNouns, lw) || has_word(kSeniority, lw) || has_word(kTitleModifiers, lw);
}

bool is_year_token(string_view w) {
    return w.size() == 4 && std::all_of(w.begin(), w.end(), is_digit) && year_like(w);
}

const Degree* degree_at(const Doc& d, const Sentence& s, size_t k) {
    const string_view w = d.word(s.toks[k]);
    const string_view lw = d.lword(s.toks[k]);
    // Every degree key starts with one of these letters; most words are rejected here.
    if (lw.empty() || string_view("abdeghjlmp").find(lw[0]) == string_view::npos) return nullptr;
    const string_view next = k + 1 < s.toks.size() ? d.lword(s.toks[k + 1]) : string_view{};
    for (const Degree& dg : kDegrees) {
        if (dg.exact ? w != dg.key : lw != dg.key) continue;
        if (lw == "master" || lw == "masters" || lw == "bachelor" || lw == "bachelors") {
            if (!(next == "of" || next == "degree" || next == "in" || next == "'s")) return nullptr;
        }
        if (lw == "diploma" && next != "in") return nullptr;
        if (dg.exact && !(next == "in" || next == "degree" || next == "from" || next == "of"))
            return nullptr;
        return &dg;
    }
    return nullptr;
}

// Collects a run of capitalised words ("Acme Corp", "Bank of America", "Johnson & Johnson").
// Returns the index one past the last word used.
size_t collect_proper(const Doc& d, const Sentence& s, size_t start, size_t max_words,
                      string& out) {
    static constexpr auto kJoiners = sorted(std::to_array<string_view>({
        "of",
        "de",
        "du",
        "der",
        "la",
        "van",
        "von",
        "y",
        "for",
        "del",
        "da",
        "di",
    }));
    static constexpr auto kOrgTails = sorted(std::to_array<string_view>({
        "hospital",
        "clinic",
        "restaurant",
        "bakery",
        "cafe",
        "kitchen",
        "church",
        "club",
        "store",
        "shop",
        "pub",
        "bar",
        "bank",
        "hotel",
        "inn",
        "garage",
        "pharmacy",
    }));
    // Abbreviations that keep their period inside a name: "St. Mary's Hospital", "Acme Inc."
    static constexpr auto kDotted = sorted(std::to_array<string_view>({
        "st",
        "mt",
        "ft",
        "inc",
        "corp",
        "co",
        "ltd",
        "dr",
        "jr",
        "bros",
    }));
    out.clear();
    const size_t n = s.toks.size();
    size_t j = start;
    if (j < n && d.lword(s.toks[j]) == "the" && j + 1 < n &&
        starts_capital(d.word(s.toks[j + 1])) && d.word(s.toks[j]) != "The")
        ++j;
    size_t words = 0;
    while (j < n && words < max_words) {
        const Token& t = s.toks[j];
        const string_view gap = d.gap(t);
        const bool amp = trim(gap) == "&";
        const bool dotted =
            words > 0 && trim(gap) == "." && has_word(kDotted, d.lword(s.toks[j - 1]));
        if (words > 0 && !all_spaces(gap) && !amp && !dotted) break;
        if (dotted) out += '.';
        const string_view w = d.word(t);
        // "E5 plc", "Acme inc": a company suffix belongs to the name however it is written.
        const bool suffix = words > 0 && has_word(kOrgSuffixes, d.lword(t)) && d.lword(t) != "co";
        const bool cap = suffix || starts_capital(w) ||
                         (is_digit(w[0]) && std::any_of(w.begin(), w.end(), is_alpha));
        const string_view lw = d.lword(t);
        if (lw == "i" || lw == "i'm" || lw == "i've" || lw == "i'd") break;
        if (cap) {
            if (words > 0 && has_word(kRoleNouns, lw)) break;
            if (words > 0) out += amp ? " & " : " ";
            // "Google's Cloud team" -> Google; "McDonald's", "St. Mary's Hospital" are names.
            if (w.size() > 2 && w.substr(w.size() - 2) == "'s" && j + 1 < n &&
                space_gap(d, s.toks[j + 1]) && starts_capital(d.word(s.toks[j + 1])) &&
                !has_word(kInstitutionWords, d.lword(s.toks[j + 1])) &&
                !has_word(kOrgTails, d.lword(s.toks[j + 1]))) {
                out += w.substr(0, w.size() - 2);
                ++words;
                ++j;
                break;
            }
            out += w;
            ++words;
            ++j;
            continue;
        }
        if (words > 0 && has_word(kJoiners, lw) && j + 1 < n && space_gap(d, s.toks[j + 1]) &&
            starts_capital(d.word(s.toks[j + 1]))) {
            out += ' ';
            out += w;
            ++j;
            continue;
        }
        break;
    }
    // "Acme Corp. I built ...": the abbreviation's period belongs to the sentence, not the name,
    // so "at Acme Corp" never prints as "Acme Corp..".
    if (!out.empty() && out.back() == '.') out.pop_back();
    return j;
}

// Free-text field after "in" ("Computer Science", "data analytics").
string collect_field(const Doc& d, const Sentence& s, size_t start) {
    static constexpr auto kStop = sorted(std::to_array<string_view>({
        "from",     "at",    "with",    "where",   "while",  "during", "graduating", "graduated",
        "class",    "which", "that",    "on",      "for",    "to",     "i",          "summa",
        "magna",    "cum",   "in",      "minor",   "major",  "gpa",    "honors",     "honours",
        "and",      "since", "between", "by",      "before", "after",  "because",    "but",
        "then",     "we",    "my",      "as",      "is",     "was",    "focusing",   "specializing",
        "expected", "when",  "until",   "through", "via",    "under",
    }));
    std::vector<string_view> words;
    const size_t n = s.toks.size();
    for (size_t j = start; j < n && words.size() < 6; ++j) {
        const Token& t = s.toks[j];
        if (j > start && !space_gap(d, t)) break;
        const string_view lw = d.lword(t);
        const string_view w = d.word(t);
        if (std::any_of(w.begin(), w.end(), is_digit)) break;
        if (has_word(kInstitutionWords, lw) && starts_capital(w)) break;
        if (lw == "and" && !words.empty() && j + 1 < n && space_gap(d, s.toks[j + 1]) &&
            !has_word(kStop, d.lword(s.toks[j + 1]))) {
            words.push_back(w);
            continue;
        }
        if (has_word(kStop, lw)) break;
        words.push_back(w);
    }
    while (!words.empty() && iequals(words.back(), "and")) words.pop_back();
    return title_case_phrase(words);
}

string join_and(const std::vector<string>& items) {
    string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += (i + 1 == items.size()) ? " and " : ", ";
        out += items[i];
    }
    return out;
}

// "Globex" and "Globex Corporation" are the same employer.
bool same_org(string_view a, string_view b) {
    if (a.size() > b.size()) std::swap(a, b);
    if (a.empty()) return false;
    return iequals(a, b.substr(0, a.size())) && (a.size() == b.size() || b[a.size()] == ' ');
}

bool push_unique(std::vector<string>& v, const string& s) {
    if (s.empty()) return false;
    for (const string& x : v)
        if (iequals(x, s)) return false;
    v.push_back(s);
    return true;
}

// ---------------------------------------------------------------------------------------------
// Names.

bool name_word_ok(string_view w, bool strict) {
    if (w.empty() || w.size() > 30 || !starts_capital(w)) return false;
    for (char c : w)
        if (!(is_alpha(c) || is_high(c) || c == '-' || c == '\'' || c == '.')) return false;
    const string lw = lower_copy(w);
    if (has_word(kNotNameWords, lw) || is_title_word(lw) || find_entry(kMonths, lw) != nullptr ||
        has_word(kInstitutionWords, lw) || has_word(kOrgSuffixes, lw))
        return false;
    for (const Degree& dg : kDegrees)
        if (iequals(dg.key, lw)) return false;
    return !(strict && is_skill_word(lw));
}

// "Dr.", "Ms." before a name are not part of it.
bool honorific(string_view lw) {
    return lw == "dr" || lw == "mr" || lw == "mrs" || lw == "ms" || lw == "mx" || lw == "prof" ||
           lw == "miss";
}

// A name written in a script without spaces or capitals: two to five Han, Kana or Hangul
// characters ("王小明", "김민준").
bool cjk_name(string_view w) {
    size_t chars = 0;
    for (size_t i = 0; i < w.size();) {
        const util::DecodedChar c = util::decode_utf8_char(w, i);
        if (c.len == 0) return false;
        const char32_t cp = c.cp;
        const bool cjk = (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
                         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3);
        if (!cjk) return false;
        ++chars;
        i += c.len;
    }
    return chars >= 2 && chars <= 5;
}

std::optional<NameHit> collect_name(const Doc& d, const Sentence& s, size_t k, size_t min_words,
                                    bool strict) {
    const size_t n = s.toks.size();
    while (k + 1 < n && honorific(d.lword(s.toks[k]))) ++k;
    std::vector<string> words;
    size_t capitals = 0;
    size_t j = k;
    while (j < n && words.size() < 5) {
        const Token& t = s.toks[j];
        const string_view gap = d.gap(t);
        if (j > k) {
            const bool initial_gap = trim(gap) == "." && words.back().size() == 1;
            if (!all_spaces(gap) && !initial_gap) break;
            if (initial_gap) words.back() += '.';
        }
        const string_view w = d.word(t);
        if (name_word_ok(w, strict)) {
            words.push_back(capitalize_word(w));
            ++capitals;
            ++j;
            continue;
        }
        // "van der Berg", "de la Cruz", "Puig i Ferrer": particles, then a name word.
        if (capitals > 0 && d.word(t) == d.lword(t) && has_word(kNameParticles, d.lword(t))) {
            size_t m = j + 1;
            if (m + 1 < n && space_gap(d, s.toks[m]) &&
                has_word(kNameParticles, d.lword(s.toks[m])))
                ++m;
            if (m < n && space_gap(d, s.toks[m]) && name_word_ok(d.word(s.toks[m]), strict)) {
                for (size_t p = j; p < m; ++p) words.emplace_back(d.lword(s.toks[p]));
                j = m;
                continue;
            }
        }
        break;
    }
    const bool single_cjk = capitals == 1 && words.size() == 1 && cjk_name(words[0]);
    if ((capitals < min_words && !single_cjk) || capitals > 4) return std::nullopt;
    NameHit hit;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i > 0) hit.text += ' ';
        hit.text += words[i];
    }
    hit.pos = s.toks[k].pos;
    hit.end = s.toks[j - 1].pos + s.toks[j - 1].len;
    hit.next = j;
    return hit;
}

std::optional<NameHit> find_name(const Doc& d, bool& explicit_name) {
    for (const Sentence& s : d.sents) {
        const size_t n = s.toks.size();
        for (size_t k = 0; k < n; ++k) {
            const string_view lw = d.lword(s.toks[k]);
            std::optional<NameHit> hit;
            if (lw == "my" && k + 3 < n && d.lword(s.toks[k + 1]) == "name" &&
                d.lword(s.toks[k + 2]) == "is") {
                hit = collect_name(d, s, k + 3, 1, false);
            } else if (lw == "name" && k + 1 < n && (k == 0 || d.lword(s.toks[k - 1]) == "full") &&
                       (trim(d.gap(s.toks[k + 1])) == ":" || trim(d.gap(s.toks[k + 1])) == "-")) {
                hit = collect_name(d, s, k + 1, 1, false);
            } else if (k + 3 < n && ((lw == "mein" && d.lword(s.toks[k + 1]) == "name" &&
                                      d.lword(s.toks[k + 2]) == "ist") ||
                                     (lw == "mi" && d.lword(s.toks[k + 1]) == "nombre" &&
                                      d.lword(s.toks[k + 2]) == "es"))) {
                hit = collect_name(d, s, k + 3, 1, false);
            } else if (k + 2 < n && lw == "je" && d.lword(s.toks[k + 1]) == "m'appelle") {
                hit = collect_name(d, s, k + 2, 1, false);
            } else if (k + 2 < n && ((lw == "ich" && d.lword(s.toks[k + 1]) == "bin") ||
                                     (lw == "je" && d.lword(s.toks[k + 1]) == "suis") ||
                                     (lw == "me" && d.lword(s.toks[k + 1]) == "llamo"))) {
                hit = collect_name(d, s, k + 2, 2, false);
            } else if ((lw == "i'm" || lw == "im") && k + 1 < n) {
                hit = collect_name(d, s, k + 1, 2, false);
            } else if (lw == "i" && k + 2 < n && d.lword(s.toks[k + 1]) == "am") {
                hit = collect_name(d, s, k + 2, 2, false);
            } else if (lw.size() > 6 && lw.substr(0, 6) == "我叫" && cjk_name(lw.substr(6))) {
                // "我叫王伟" ("my name is Wang Wei"): no space between the words.
                const Token& t = s.toks[k];
                hit = NameHit{string(lw.substr(6)), t.pos + 6, t.pos + t.len, k + 1};
            }
            if (hit) {
                explicit_name = true;
                return hit;
            }
        }
    }
    // A CV usually starts with the name on its own line ("Jane Doe" or "Jane Doe, Engineer").
    const string_view text = d.text;
    size_t b = 0;
    while (b < text.size() && (text[b] == ' ' || text[b] == '\n')) ++b;
    const size_t line_end = std::min(text.find('\n', b), text.size());
    size_t cut = line_end;
    for (size_t i = b; i < line_end; ++i) {
        const char c = text[i];
        if (c == ',' || c == '|' || c == '(' || c == ':' || c == '/' ||
            (c == '-' && i > b && text[i - 1] == ' ')) {
            cut = i;
            break;
        }
    }
    Sentence line{b, cut, tokenize(text, b, cut)};
    if (line.toks.empty() || line.toks.size() > 5) return std::nullopt;
    auto hit = collect_name(d, line, 0, 2, true);
    if (!hit || hit->next != line.toks.size()) return std::nullopt;
    explicit_name = false;
    return hit;
}

// ---------------------------------------------------------------------------------------------
// Years of experience: "5 years of experience", "5+ years", "over five years in ...".

std::optional<string> find_years(const Doc& d, bool loose) {
    static constexpr auto kNumberWords = std::to_array<string_view>({
        "zero",     "one",     "two",     "three",     "four",     "five",     "six",
        "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    });
    static constexpr auto kAfterOk = sorted(std::to_array<string_view>({
        "of",          "in",           "experience", "as",
        "working",     "professional", "industry",   "hands-on",
        "building",    "developing",   "leading",    "managing",
        "track",       "career",       "designing",  "writing",
        "teaching",    "combined",     "total",      "now",
        "across",      "within",       "doing",      "creating",
        "running",     "supporting",   "delivering", "programming",
        "coding",      "nursing",      "'",          "professionally",
        "experience.",
    }));
    for (const Sentence& s : d.sents) {
        const size_t n = s.toks.size();
        for (size_t k = 0; k < n; ++k) {
            const string_view lw = d.lword(s.toks[k]);
            size_t digits = 0;
            while (digits < lw.size() && is_digit(lw[digits])) ++digits;
            int value = -1;
            string_view rest;
            if (digits > 0 && digits <= 2) {
                value = 0;
                for (size_t i = 0; i < digits; ++i) value = value * 10 + (lw[i] - '0');
                rest = lw.substr(digits);
            } else if (digits == 0) {
                for (size_t i = 0; i < kNumberWords.size(); ++i)
                    if (lw == kNumberWords[i]) value = static_cast<int>(i);
            }
            if (value < 1 || value > 50) continue;
            // "Years of experience: 12"
            if (!loose && k >= 3 && rest.empty() && trim(d.gap(s.toks[k])) == ":" &&
                d.lword(s.toks[k - 1]) == "experience" && d.lword(s.toks[k - 2]) == "of" &&
                (d.lword(s.toks[k - 3]) == "years" || d.lword(s.toks[k - 3]) == "year") &&
                (k + 1 >= n || trim(d.gap(s.toks[k + 1])) != "-"))
                return std::to_string(value);
            bool plus = false;
            if (!rest.empty() && rest.front() == '+') {
                plus = true;
                rest.remove_prefix(1);
            }
            if (!rest.empty() && rest.front() == '-') rest.remove_prefix(1);
            size_t next = k + 1;
            if (rest.empty()) {
                if (next < n && trim(d.gap(s.toks[next])) == "+") plus = true;
                if (next >= n) continue;
                rest = d.lword(s.toks[next]);
                ++next;
            }
            if (!(rest == "years" || rest == "year" || rest == "yrs" || rest == "yr")) continue;
            const string_view after = next < n ? d.lword(s.toks[next]) : string_view{};
            if (after == "old" || after == "ago") continue;
            const string_view prev = k > 0 ? d.lword(s.toks[k - 1]) : string_view{};
            const bool more = prev == "over" || prev == "than" || prev == "nearly" ||
                              prev == "almost" || prev == "about" || prev == "around" ||
                              prev == "approximately";
            bool experience_before = false;
            for (size_t b = k >= 3 ? k - 3 : 0; b < k; ++b)
                if (d.lword(s.toks[b]) == "experience") experience_before = true;
            const bool apostrophe = next < n && trim(d.gap(s.toks[next])) == "'";
            // "a nurse for 6 years" is only trusted when nothing more explicit exists, since
            // "at Acme for 2 years" is the tenure of one job.
            const bool tenure = loose && prev == "for";
            if (!(plus || more || experience_before || apostrophe || tenure ||
                  has_word(kAfterOk, after)))
                continue;
            string out = std::to_string(value);
            if (plus || prev == "over" || prev == "than") out += '+';
            return out;
        }
    }
    return std::nullopt;
}

// clang-format off
struct SectionLabel {
    string_view key;
    Section section;
};

constexpr auto kSectionLabels = std::to_array<SectionLabel>({
    {"experience", Section::Experience}, {"work experience", Section::Experience},
    {"professional experience", Section::Experience}, {"employment", Section::Experience},
    {"employment history", Section::Experience}, {"work history", Section::Experience},
    {"career history", Section::Experience}, {"education", Section::Education},
    {"academic background", Section::Education}, {"projects", Section::Projects},
    {"personal projects", Section::Projects}, {"side projects", Section::Projects},
    {"selected projects", Section::Projects}, {"skills", Section::Skills},
    {"technical skills", Section::Skills}, {"core skills", Section::Skills},
    {"key skills", Section::Skills}, {"tech stack", Section::Skills},
    {"core competencies", Section::Skills}, {"certifications", Section::Certifications},
    {"certificates", Section::Certifications}, {"licenses", Section::Certifications},
    {"licenses and certifications", Section::Certifications},
    {"certifications and licenses", Section::Certifications},
    {"certification", Section::Certifications}, {"certificate", Section::Certifications},
    {"license", Section::Certifications}, {"licence", Section::Certifications},
    {"licences", Section::Certifications}, {"licensure", Section::Certifications},
    {"bar admission", Section::Certifications}, {"bar admissions", Section::Certifications},
    {"credentials", Section::Certifications}, {"research experience", Section::Experience},
    {"relevant experience", Section::Experience}, {"teaching experience", Section::Experience},
    {"clinical experience", Section::Experience}, {"summary", Section::Summary},
    {"professional profile", Section::Summary}, {"career summary", Section::Summary},
    {"executive summary", Section::Summary}, {"summary of qualifications", Section::Summary},
    {"professional summary", Section::Summary}, {"profile", Section::Summary},
    {"objective", Section::Summary}, {"career objective", Section::Summary},
    {"about", Section::Summary}, {"about me", Section::Summary}, {"interests", Section::Ignore},
    {"hobbies", Section::Ignore}, {"languages", Section::Ignore}, {"references", Section::Ignore},
    {"awards", Section::Ignore}, {"publications", Section::Ignore},
    {"volunteering", Section::Ignore}, {"contact", Section::Ignore},
    {"hobbies and interests", Section::Ignore},
});
// clang-format on

// Index of the first token after a leading "Label:" of up to three words, else 0.
size_t content_start(const Doc& d, const Sentence& s) {
    for (size_t k = 1; k <= 3 && k < s.toks.size(); ++k) {
        const string_view g = trim(d.gap(s.toks[k]));
        if (!g.empty()) return g.front() == ':' ? k : 0;
    }
    return 0;
}

// A heading that opens a line: "Education", "Work Experience:", "Skills: Go, SQL".
std::optional<Section> section_heading(const Doc& d, const Sentence& s) {
    const size_t n = s.toks.size();
    const size_t start = content_start(d, s);
    for (size_t len = std::min<size_t>(n, 4); len >= 1; --len) {
        if (!(len == n || start == len)) continue;
        string label;
        for (size_t i = 0; i < len; ++i) {
            if (i > 0) label += ' ';
            label += d.lword(s.toks[i]);
        }
        for (const SectionLabel& l : kSectionLabels) {
            if (label == l.key) return l.section;
            // "Hobbies & Interests": '&' is not a word, so "hobbies interests" arrives here.
            const size_t and_at = l.key.find(" and ");
            if (and_at != string_view::npos &&
                label == string(l.key.substr(0, and_at)) + string(l.key.substr(and_at + 4)))
                return l.section;
        }
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Job titles.

std::vector<TitleHit> find_titles(const Doc& d, const Sentence& s) {
    std::vector<TitleHit> out;
    const size_t n = s.toks.size();
    for (size_t k = 0; k < n; ++k) {
        const string_view lw = d.lword(s.toks[k]);
        if (!has_word(kRoleNouns, lw)) continue;
        // "Lead Developer", "Assistant Manager": let the later noun own the whole title.
        if (k + 1 < n && space_gap(d, s.toks[k + 1]) &&
            has_word(kRoleNouns, d.lword(s.toks[k + 1])) && is_modifier(d, s.toks[k]))
            continue;
        size_t left = k;
        size_t mods = 0;
        while (left > 0 && mods < 5 && space_gap(d, s.toks[left]) &&
               is_modifier(d, s.toks[left - 1])) {
            --left;
            ++mods;
        }
        size_t right = k + 1;
        if (has_word(kOfNouns, lw) && right + 1 < n && d.lword(s.toks[right]) == "of" &&
            space_gap(d, s.toks[right])) {
            size_t r = right + 1;
            size_t taken = 0;
            while (r < n && taken < 3 && space_gap(d, s.toks[r]) &&
                   (starts_capital(d.word(s.toks[r])) || is_modifier(d, s.toks[r]))) {
                ++r;
                ++taken;
            }
            if (taken > 0) right = r;
        }
        const string_view prev = left > 0 ? d.lword(s.toks[left - 1]) : string_view{};
        const string_view prev2 = left > 1 ? d.lword(s.toks[left - 2]) : string_view{};
        const bool adjacent = left > 0 && space_gap(d, s.toks[left]);
        const bool article = adjacent && (prev == "a" || prev == "an");
        const bool article_ok = article && (left < 2 || !space_gap(d, s.toks[left - 1]) ||
                                            has_word(kTitleArticleOk, prev2));
        // "AWS Certified Solutions Architect" names a certification, not a job.
        // "AWS Certified Solutions Architect" names a certificate; "Certified Welder" on its
        // own is a job.
        const bool vendor_certified = adjacent && prev == "certified" && left >= 2 &&
                                      space_gap(d, s.toks[left - 1]) &&
                                      starts_capital(d.word(s.toks[left - 2]));
        bool reject = (adjacent && has_word(kTitleRejectBefore, prev) &&
                       !(prev == "to" && prev2 == "promoted")) ||
                      vendor_certified;
        // "I was VP of Engineering at Movile and an engineering manager at ThoughtWorks".
        const bool coordinated = article && prev2 == "and" && !out.empty();
        if (article && !article_ok && !coordinated) reject = true;
        if (!reject && has_word(kWeakNouns, lw) && mods == 0 && right == k + 1)
            reject = !(article_ok || (adjacent && prev == "as"));
        if (reject) {
            k = right - 1;
            continue;
        }
        string text;
        for (size_t i = left; i < right; ++i) {
            if (i > left) text += ' ';
            const Token& t = s.toks[i];
            if (i == k || is_modifier(d, t)) {
                text += title_word(d.lword(t));
            } else if (i > k && d.lword(t) == "of") {
                text += "of";
            } else {
                text += capitalize_word(d.word(t));
            }
        }
        out.push_back({left, right - 1, text});
        k = right - 1;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Employers.

bool employer_ok(const string& candidate, const string& name) {
    if (candidate.empty() || candidate.size() > 80) return false;
    if (!name.empty() && iequals(candidate, name)) return false;
    size_t first_end = candidate.find(' ');
    const string first = lower_copy(candidate.substr(0, first_end));
    if (has_word(kNotEmployerWords, first) || find_entry(kMonths, first) != nullptr) return false;
    if (std::all_of(first.begin(), first.end(), [](char c) { return is_digit(c); })) return false;
    // "at Senior level", "at Python": vocabulary rather than a company.
    bool all_vocab = true;
    size_t b = 0;
    while (b < candidate.size()) {
        size_t e = candidate.find(' ', b);
        if (e == string::npos) e = candidate.size();
        const string w = lower_copy(string_view(candidate).substr(b, e - b));
        const bool vocab = has_word(kRoleNouns, w) || has_word(kSeniority, w);
        if (!vocab && w != "&" && w != "of" && w != "and") all_vocab = false;
        b = e + 1;
    }
    if (all_vocab) return false;
    if (find_entry(kCertAcronyms, candidate) != nullptr) return false;  // "Project Manager, PMP"
    Cat cat = Cat::Other;
    if (candidate.find(' ') == string::npos && is_skill_word(lower_copy(candidate), &cat) &&
        (cat == Cat::Lang || cat == Cat::Soft))  // Shopify and Salesforce are employers too
        return false;
    return true;
}

std::vector<EmployerHit> find_employers(const Doc& d, const Sentence& s, const string& name,
                                        const std::vector<TitleHit>& titles) {
    static constexpr auto kAtRejectBefore = sorted(std::to_array<string_view>({
        "good",      "great",  "expert",  "skilled",  "proficient",  "excellent", "better",
        "best",      "strong", "bad",     "look",     "looking",     "looked",    "arrived",
        "located",   "based",  "live",    "lives",    "living",      "lived",     "born",
        "stay",      "stayed", "studied", "study",    "studying",    "graduated", "degree",
        "presented", "spoke",  "speaker", "talk",     "talks",       "least",     "most",
        "once",      "home",   "times",   "rate",     "level",       "scale",     "peak",
        "aimed",     "aim",    "aiming",  "targeted", "competitive", "fluent",    "hard",
    }));
    static constexpr auto kWorkVerbs = sorted(std::to_array<string_view>({
        "work",      "worked",      "works",        "working",    "consulted",   "consulting",
        "consult",   "freelanced",  "freelancing",  "contracted", "contracting", "interned",
        "interning", "volunteered", "volunteering", "volunteer",  "wrote",       "write",
        "writes",    "engineer",    "developer",    "designer",   "consultant",  "manager",
    }));
    static constexpr auto kOrgNouns = sorted(std::to_array<string_view>({
        "startup",      "company",   "agency",     "firm",        "business", "organization",
        "organisation", "nonprofit", "non-profit", "studio",      "shop",     "restaurant",
        "hospital",     "bank",      "clinic",     "consultancy", "lab",      "store",
        "brand",        "charity",   "school",     "bakery",      "cafe",     "hotel",
    }));
    static constexpr auto kFounderNouns = sorted(std::to_array<string_view>({
        "founder",
        "co-founder",
        "cofounder",
        "ceo",
        "cto",
        "cfo",
        "coo",
        "owner",
        "president",
    }));
    std::vector<EmployerHit> out;
    const size_t n = s.toks.size();
    auto add = [&](size_t start) {
        for (int listed = 0; start < n && listed < 3; ++listed) {
            string cand;
            const size_t end = collect_proper(d, s, start, 6, cand);
            if (!employer_ok(cand, name)) return;
            bool dup = false;
            for (const EmployerHit& e : out) dup = dup || iequals(e.text, cand);
            if (!dup) out.push_back({start, cand});
            // "at Google, Meta and Amazon"
            if (end >= n) return;
            const string_view g = trim(d.gap(s.toks[end]));
            if (g == "," && end + 1 < n && d.lword(s.toks[end]) == "and") {
                start = end + 1;
            } else if (g == "," && starts_capital(d.word(s.toks[end]))) {
                start = end;
            } else if (g.empty() && d.lword(s.toks[end]) == "and" && end + 1 < n &&
                       starts_capital(d.word(s.toks[end + 1]))) {
                start = end + 1;
            } else {
                return;
            }
        }
    };
    for (size_t k = 0; k < n; ++k) {
        const string_view lw = d.lword(s.toks[k]);
        const string_view prev = k > 0 ? d.lword(s.toks[k - 1]) : string_view{};
        const string_view next_gap = k + 1 < n ? trim(d.gap(s.toks[k + 1])) : string_view{};
        if (lw == "at") {
            if (!has_word(kAtRejectBefore, prev) && all_spaces(next_gap)) add(k + 1);
        } else if (lw == "for") {
            if (has_word(kWorkVerbs, prev) && all_spaces(next_gap)) add(k + 1);
        } else if (lw == "joined" || lw == "join" || lw == "joining") {
            if (all_spaces(next_gap)) add(k + 1);
        } else if (lw == "by" && (prev == "employed" || prev == "hired")) {
            add(k + 1);
        } else if ((lw == "employer" || lw == "company" || lw == "organization" ||
                    lw == "organisation") &&
                   (next_gap == ":" || next_gap == "-")) {
            add(k + 1);
        } else if (lw == "of" && has_word(kFounderNouns, prev)) {
            add(k + 1);
        } else if ((lw == "called" || lw == "named") && has_word(kOrgNouns, prev)) {
            add(k + 1);  // "a startup called Brightly"
        } else if ((lw == "freelance" || lw == "self-employed") && out.empty() &&
                   (k == content_start(d, s) || prev == "as" || prev == "a" || prev == "am" ||
                    prev == "been" || prev == "i'm" || prev == "went" || prev == "worked" ||
                    prev == "working")) {
            // Self-employment is where the work was done: "freelance since 2020".
            out.push_back({k, lw == "freelance" ? string("Freelance") : string("Self-employed")});
        }
    }
    // A Markdown role heading whose title is a gap: "### [Job Title] - Acme Corp".
    if (out.empty() && titles.empty() && n >= 1 && n <= 10 && d.text[s.b] == '#') {
        for (size_t k = 1; k < n; ++k) {
            const string_view g = trim(d.gap(s.toks[k]));
            if (g != "-" && g != "|" && g != "," && g != "@") continue;
            add(k);
            break;
        }
        const string_view lead = trim(string_view(d.text).substr(s.b, s.toks[0].pos - s.b));
        if (out.empty() && lead.size() > 3 && lead.substr(0, 3) == "###" &&
            (lead.back() == '-' || lead.back() == '|'))
            add(0);
    }
    // CV header lines: "Senior Engineer, Acme Corp" or "Acme Corp | Senior Engineer".
    if (out.empty() && !titles.empty() && n <= 14) {
        static constexpr auto kSeparators =
            std::to_array<string_view>({",", "-", "|", "@", "/", "-", ":"});
        const TitleHit& t = titles.front();
        auto sep = [&](size_t i) {
            const string_view g = trim(d.gap(s.toks[i]));
            return std::find(kSeparators.begin(), kSeparators.end(), g) != kSeparators.end();
        };
        if (t.last + 1 < n && sep(t.last + 1)) {
            string cand;
            const size_t end = collect_proper(d, s, t.last + 1, 6, cand);
            const bool place =
                (cand.find(' ') == string::npos && place_token(cand)) ||
                (end < n && trim(d.gap(s.toks[end])) == "," && place_token(d.word(s.toks[end])));
            if (!place) add(t.last + 1);
        }
        if (out.empty() && t.first > 0 && sep(t.first)) {
            string cand;
            if (collect_proper(d, s, 0, 6, cand) == t.first && employer_ok(cand, name))
                out.push_back({0, cand});
        }
    }
    return out;
}

}  // namespace resumate::offline::detail
