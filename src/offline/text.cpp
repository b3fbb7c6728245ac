#include "offline/detail/text.hpp"

#include "offline/detail/lexicon.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Text scanning: character classes, UTF-8, sanitising, sentences and tokens.

namespace resumate::offline::detail {

string lower_copy(string_view s) {
    string r(s);
    for (char& c : r) c = to_lower(c);
    return r;
}

bool iequals(string_view a, string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

bool all_spaces(string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' '; });
}

string_view trim(string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

// Letters of any script may appear in names and company names; symbols, punctuation and emoji
// separate words just like ASCII punctuation does.
bool is_word_cp(char32_t cp) {
    if (cp < 0x80) return is_alnum(static_cast<char>(cp));
    if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7) return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;
    if (cp >= 0x3000 && cp <= 0x303F) return false;
    if (cp >= 0xE000 && cp <= 0xF8FF) return false;
    if (cp >= 0xFE00 && cp <= 0xFE4F) return false;
    if (cp >= 0xFF00 && cp <= 0xFF0F) return false;
    return cp < 0x1F000;
}

// Whether a word starts like a proper noun. Caseless scripts (CJK, Arabic, Hebrew, ...) count
// as capitalised so an explicit "My name is ..." works for every script.
bool is_capital_cp(char32_t cp) {
    if (cp < 0x80) return is_upper(static_cast<char>(cp));
    if (cp >= 0xC0 && cp <= 0xDE) return cp != 0xD7;
    if (cp < 0x100) return false;
    if (cp <= 0x17F)
        return (cp <= 0x137 || (cp >= 0x14A && cp <= 0x177)) ? cp % 2 == 0 : cp % 2 == 1;
    if (cp < 0x370) return false;
    if (cp >= 0x391 && cp <= 0x3A9) return true;
    if (cp < 0x400) return false;
    if (cp <= 0x42F) return true;
    if (cp <= 0x52F) return false;
    return is_word_cp(cp);
}

size_t word_char_len(string_view s, size_t i) {
    if (!is_high(s[i])) return is_alnum(s[i]) ? 1 : 0;
    const util::DecodedChar d = util::decode_utf8_char(s, i);
    return (d.len != 0 && is_word_cp(d.cp)) ? d.len : 0;
}

size_t char_len(string_view s, size_t i) {
    if (!is_high(s[i])) return 1;
    const util::DecodedChar d = util::decode_utf8_char(s, i);
    return d.len == 0 ? 1 : d.len;
}

bool starts_capital(string_view w) {
    if (w.empty()) return false;
    const util::DecodedChar d = util::decode_utf8_char(w, 0);
    return d.len != 0 && is_capital_cp(d.cp);
}

// ---------------------------------------------------------------------------------------------
// Sanitising. The text is untrusted: control and bidi-override characters go, typographic
// punctuation becomes ASCII so the scanners see one spelling, and HTML tags are dropped so
// nothing from the input can reach a renderer as markup.

// Case-insensitive search for a lower-case needle.
size_t ifind(string_view hay, string_view needle, size_t from) {
    if (needle.empty() || hay.size() < needle.size()) return string_view::npos;
    for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
        size_t k = 0;
        while (k < needle.size() && to_lower(hay[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return i;
    }
    return string_view::npos;
}

// Length of an HTML tag (or a whole <script>/<style> element) starting at `i`, 0 if the '<'
// is ordinary text such as "<50 ms".
size_t html_tag_length(string_view s, size_t i) {
    if (i + 1 >= s.size()) return 0;
    const char n = s[i + 1];
    if (!(is_alpha(n) || n == '/' || n == '!' || n == '?')) return 0;
    const size_t limit = std::min(s.size(), i + 1024);
    size_t close = string_view::npos;
    for (size_t k = i + 1; k < limit; ++k) {
        if (s[k] == '<') return 0;
        if (s[k] == '>') {
            close = k;
            break;
        }
    }
    if (close == string_view::npos) return 0;
    for (string_view element : {string_view("script"), string_view("style")}) {
        if (close - i > element.size() && ifind(s.substr(i + 1, element.size()), element, 0) == 0) {
            const string end_tag = "</" + string(element);
            const size_t end = ifind(s, end_tag, close);
            if (end == string_view::npos) return s.size() - i;
            const size_t gt = s.find('>', end);
            return (gt == string_view::npos ? s.size() : gt + 1) - i;
        }
    }
    return close + 1 - i;
}

bool is_bullet_symbol(char32_t cp) {
    switch (cp) {
        case 0x00B7:
        case 0x2022:
        case 0x2023:
        case 0x2043:
        case 0x2219:
        case 0x25AA:
        case 0x25AB:
        case 0x25B8:
        case 0x25BA:
        case 0x25C6:
        case 0x25C7:
        case 0x25CF:
        case 0x25E6:
        case 0x2666:
        case 0x2713:
        case 0x2714:
        case 0x2705:
        case 0x2756:
        case 0x2794:
        case 0x27A2:
            return true;
        default:
            return false;
    }
}

string sanitize(string_view in) {
    if (in.size() > kMaxAnalysedBytes) in = in.substr(0, kMaxAnalysedBytes);
    string out;
    out.reserve(in.size());
    auto add_space = [&out] {
        if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
    };
    auto add_newline = [&out] {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        if (out.empty()) return;
        const bool blank_already =
            out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n';
        if (!blank_already) out.push_back('\n');
    };
    size_t i = 0;
    while (i < in.size()) {
        if (in[i] == '<') {
            const size_t tag = html_tag_length(in, i);
            if (tag != 0) {
                i += tag;
                add_space();
                continue;
            }
        }
        if (in[i] == '*' && i + 1 < in.size() && in[i + 1] == '*') {
            // Markdown bold ("**Senior Engineer**, Acme") is emphasis, not text.
            i += 2;
            continue;
        }
        const util::DecodedChar d = util::decode_utf8_char(in, i);
        if (d.len == 0) {  // invalid or truncated sequence: drop the byte
            ++i;
            continue;
        }
        i += d.len;
        const char32_t cp = d.cp;
        if (cp == '\r') {
            if (i < in.size() && in[i] == '\n') ++i;
            add_newline();
        } else if (cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
            add_newline();
        } else if (cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f' || cp == 0xA0 ||
                   (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
            add_space();
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD ||
                   (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
                   (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
                   (cp >= 0xFFF9 && cp <= 0xFFFB)) {
            // control, zero-width and bidi-override characters carry no resume content
        } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201B || cp == 0x2032 ||
                   cp == 0x02BC) {
            out.push_back('\'');
        } else if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F || cp == 0x2033 ||
                   cp == 0xAB || cp == 0xBB) {
            out.push_back('"');
        } else if ((cp >= 0x2010 && cp <= 0x2013) || cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D) {
            out.push_back('-');
        } else if (cp == 0x2014 || cp == 0x2015) {
            add_space();
            out += "- ";
        } else if (cp == 0x2026) {
            out += "...";
        } else if (is_bullet_symbol(cp)) {
            add_space();
            out += "- ";
        } else {
            util::append_utf8(out, cp);
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
}

// ---------------------------------------------------------------------------------------------
// Sentences and tokens.

// Splits at line breaks and at ". " before a capital, digit or list marker, but not after
// abbreviations and initials ("B.S. in", "Acme Inc. in", "J. Doe").
std::vector<Span> split_sentences(string_view t) {
    std::vector<Span> out;
    size_t start = 0;
    auto push = [&](size_t end) {
        size_t b = start;
        while (b < end && (t[b] == ' ' || t[b] == '\n')) ++b;
        size_t e = end;
        while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\n')) --e;
        if (e > b) out.push_back({b, e});
    };
    // A line of three or more '|'-separated fields ("Name | Title | City | email") is a
    // one-line CV: each field is a sentence of its own. One or two pipes ("Acme | Engineer")
    // still join the parts of one fact.
    const auto pipes_from = [&](size_t b) {
        size_t n = 0;
        for (size_t k = b; k < t.size() && t[k] != '\n'; ++k) n += t[k] == '|' ? 1 : 0;
        return n;
    };
    bool split_pipes = pipes_from(0) >= 3;
    size_t i = 0;
    while (i < t.size()) {
        const char c = t[i];
        if (c == '\n') {
            push(i);
            start = ++i;
            split_pipes = pipes_from(i) >= 3;
            continue;
        }
        if (c == '|' && split_pipes) {
            push(i);
            start = ++i;
            continue;
        }
        if (c == '.' || c == '!' || c == '?' || c == ';') {
            size_t j = i + 1;
            while (j < t.size() && (t[j] == '.' || t[j] == '!' || t[j] == '?' || t[j] == '"' ||
                                    t[j] == '\'' || t[j] == ')' || t[j] == ']'))
                ++j;
            bool split = false;
            bool lower_next = false;  // people typing fast skip capitals: "... at Acme. did SEO"
            if (j >= t.size() || t[j] == '\n') {
                split = c != ';';
            } else if (t[j] == ' ' && j + 1 < t.size()) {
                const char n = t[j + 1];
                lower_next = is_lower(n);
                split = is_upper(n) || is_digit(n) || is_high(n) || n == '"' || n == '(' ||
                        n == '-' || n == '*' || n == '[' || lower_next || c == ';';
            }
            if (split && c == '.' && j == i + 1) {
                size_t w = i;
                while (w > start && (is_alnum(t[w - 1]) || t[w - 1] == '.')) --w;
                const string word = lower_copy(t.substr(w, i - w));
                const bool initial = (word.size() == 1 && is_alpha(word[0])) ||
                                     (word.size() >= 2 && word[word.size() - 2] == '.');
                // "B.Sc. Accounting, University of Lagos": a degree's period ends no sentence.
                const bool degree = word.find('.') != string::npos &&
                                    std::any_of(kDegrees.begin(), kDegrees.end(),
                                                [&](const Degree& dg) { return dg.key == word; });
                if (initial || degree || has_word(kAbbreviations, word)) split = false;
                // Before a lower-case word only a plain word ending a sentence counts ("e.g. x",
                // "approx. 5" and "v2. beta" do not).
                if (lower_next &&
                    (word.size() < 3 || !std::all_of(word.begin(), word.end(), is_alpha)))
                    split = false;
            }
            if (split) {
                push(j);
                start = i = j;
                continue;
            }
        }
        ++i;
    }
    push(t.size());
    return out;
}

// Words are letters/digits of any script joined by inner ". - ' & / _" ("Node.js", "AT&T",
// "CI/CD", "O'Neil"), plus trailing '+'/'#' ("C++", "C#", "5+").
std::vector<Token> tokenize(string_view t, size_t b, size_t e) {
    std::vector<Token> toks;
    size_t i = b;
    size_t gap = b;
    const string_view s = t.substr(0, e);
    while (i < e) {
        const size_t n = word_char_len(s, i);
        const bool dot_start =
            s[i] == '.' && i + 1 < e && is_alpha(s[i + 1]) && (i == b || !is_alnum(s[i - 1]));
        if (n == 0 && !dot_start) {
            i += char_len(s, i);
            continue;
        }
        const size_t start = i;
        if (dot_start) ++i;
        while (i < e) {
            const size_t m = word_char_len(s, i);
            if (m != 0) {
                i += m;
                continue;
            }
            const char c = s[i];
            if (c == '+' || c == '#') {
                while (i < e && (s[i] == '+' || s[i] == '#')) ++i;
                continue;
            }
            if ((c == '.' || c == '-' || c == '\'' || c == '&' || c == '/' || c == '_') &&
                i + 1 < e && word_char_len(s, i + 1) != 0) {
                ++i;
                continue;
            }
            break;
        }
        toks.push_back({start, i - start, gap});
        gap = i;
    }
    return toks;
}

bool contains_phrase(string_view low, string_view phrase) {
    size_t from = 0;
    while (true) {
        const size_t p = low.find(phrase, from);
        if (p == string_view::npos) return false;
        const size_t end = p + phrase.size();
        if ((p == 0 || !is_alnum(low[p - 1])) && (end >= low.size() || !is_alnum(low[end])))
            return true;
        from = p + 1;
    }
}

}  // namespace resumate::offline::detail
