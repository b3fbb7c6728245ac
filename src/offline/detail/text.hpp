#pragma once
// Text scanning for the offline writer: ASCII character classes, UTF-8 aware word boundaries,
// sanitising untrusted input, and splitting it into sentences and word tokens. Only ASCII is
// case-folded: that is all the keyword tables need, and it keeps byte offsets identical between
// the original text and its lower-case copy.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::offline::detail {

using std::size_t;
using std::string;
using std::string_view;

// Facts sit in the first pages of a pasted CV; a fixed cap keeps a 1 MiB body as cheap as a
// normal request.
constexpr size_t kMaxAnalysedBytes = 20000;

constexpr bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
constexpr bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}
constexpr bool is_alpha(char c) {
    return is_upper(c) || is_lower(c);
}
constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_alnum(char c) {
    return is_alpha(c) || is_digit(c);
}
constexpr bool is_high(char c) {
    return static_cast<unsigned char>(c) >= 0x80;
}
constexpr char to_lower(char c) {
    return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr char to_upper(char c) {
    return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

string lower_copy(string_view s);
bool iequals(string_view a, string_view b);
bool all_spaces(string_view s);
string_view trim(string_view s);

// Letters of any script may appear in names and company names; symbols, punctuation and emoji
// separate words just like ASCII punctuation does.
bool is_word_cp(char32_t cp);
// Whether a word starts like a proper noun (caseless scripts count as capitalised).
bool is_capital_cp(char32_t cp);
// Byte length of the word character at `i`, 0 if it is not one.
size_t word_char_len(string_view s, size_t i);
// Byte length of the character at `i` (1 for an invalid byte).
size_t char_len(string_view s, size_t i);
bool starts_capital(string_view w);

// Case-insensitive search for a lower-case needle.
size_t ifind(string_view hay, string_view needle, size_t from);
// Drops invalid UTF-8 (byte by byte, so the output is valid UTF-8), control, zero-width and bidi
// characters and HTML tags, maps typographic punctuation to ASCII and collapses white space; at
// most kMaxAnalysedBytes of the input are read.
string sanitize(string_view in);
// Whole-word occurrence of a lower-case phrase in a lower-case text.
bool contains_phrase(string_view low, string_view phrase);

struct Span {
    size_t b;
    size_t e;
};

// Splits at line breaks and at ". " before a capital, digit or list marker, but not after
// abbreviations and initials ("B.S. in", "Acme Inc. in", "J. Doe").
std::vector<Span> split_sentences(string_view t);

struct Token {
    size_t pos;
    size_t len;
    size_t gap;  // start of the separator text before this token
};

struct Sentence {
    size_t b;
    size_t e;
    std::vector<Token> toks;
};

// The analysed text: original case for display, an ASCII-lower-case twin with identical
// offsets for matching.
struct Doc {
    string text;     // contact details blanked, so URLs do not become words
    string display;  // same offsets, contact details kept: bullets quote the user from here
    string low;
    std::vector<Sentence> sents;

    string_view word(const Token& t) const { return string_view(text).substr(t.pos, t.len); }
    string_view lword(const Token& t) const { return string_view(low).substr(t.pos, t.len); }
    string_view gap(const Token& t) const { return string_view(text).substr(t.gap, t.pos - t.gap); }
    string_view sentence_text(const Sentence& s) const {
        return string_view(text).substr(s.b, s.e - s.b);
    }
    string_view sentence_lower(const Sentence& s) const {
        return string_view(low).substr(s.b, s.e - s.b);
    }
};

// Words are letters/digits of any script joined by inner ". - ' & / _" ("Node.js", "AT&T",
// "CI/CD", "O'Neil"), plus trailing '+'/'#' ("C++", "C#", "5+"). Tokens of bytes [b, e).
std::vector<Token> tokenize(string_view t, size_t b, size_t e);

}  // namespace resumate::offline::detail
