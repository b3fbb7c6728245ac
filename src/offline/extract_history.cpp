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
// Dates of a role: "2019 - 2022", "Jan 2019 to present", "since 2020".

bool year_at(string_view low, size_t i) {
    return i + 4 <= low.size() && (i == 0 || !is_alnum(low[i - 1])) &&
           (i + 4 == low.size() || !is_alnum(low[i + 4])) && is_year_token(low.substr(i, 4));
}

// "Jan 2019" when a month precedes the year.
string with_month(string_view text, string_view low, size_t year_pos) {
    string year(text.substr(year_pos, 4));
    size_t p = year_pos;
    if (p == 0 || low[p - 1] != ' ') return year;
    --p;
    if (p > 0 && low[p - 1] == '.') --p;
    size_t w = p;
    while (w > 0 && is_alpha(low[w - 1])) --w;
    if (const Entry* m = find_entry(kMonths, low.substr(w, p - w)))
        return string(m->display) + " " + year;
    return year;
}

std::optional<DateRange> find_dates(const Doc& d, const Sentence& s) {
    const string_view text = d.sentence_text(s);
    const string_view low = d.sentence_lower(s);
    for (size_t i = 0; i + 4 <= low.size(); ++i) {
        if (!year_at(low, i)) continue;
        size_t j = i + 4;
        while (j < low.size() && low[j] == ' ') ++j;
        bool sep = false;
        if (j < low.size() && low[j] == '-') {
            sep = true;
            ++j;
        } else {
            for (string_view w : {string_view("to "), string_view("until "), string_view("till "),
                                  string_view("through "), string_view("thru ")}) {
                if (low.substr(j, w.size()) == w) {
                    sep = true;
                    j += w.size();
                    break;
                }
            }
        }
        if (sep) {
            while (j < low.size() && low[j] == ' ') ++j;
            size_t y2 = j;
            size_t w = j;
            while (w < low.size() && is_alpha(low[w])) ++w;
            const string_view word = low.substr(j, w - j);
            if (find_entry(kMonths, word) != nullptr) {
                y2 = w;
                if (y2 < low.size() && low[y2] == '.') ++y2;
                while (y2 < low.size() && low[y2] == ' ') ++y2;
            }
            if (year_at(low, y2))
                return DateRange{with_month(text, low, i), with_month(text, low, y2)};
            if (word == "present" || word == "now" || word == "current" || word == "today" ||
                word == "date")
                return DateRange{with_month(text, low, i), "Present"};
        }
        size_t b = i;
        while (b > 0 && low[b - 1] == ' ') --b;
        size_t w = b;
        while (w > 0 && (is_alpha(low[w - 1]))) --w;
        string_view before = low.substr(w, b - w);
        if (find_entry(kMonths, before) != nullptr && w > 0) {
            size_t w2 = w;
            while (w2 > 0 && low[w2 - 1] == ' ') --w2;
            size_t w3 = w2;
            while (w3 > 0 && is_alpha(low[w3 - 1])) --w3;
            before = low.substr(w3, w2 - w3);
        }
        if (before == "since") return DateRange{with_month(text, low, i), "Present"};
        // "VP at G7 AG from 2022": a start with no end is a current role.
        if (before == "from" && !sep) return DateRange{with_month(text, low, i), "Present"};
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Education.

// The first institution named in tokens [from, to).
string find_institution(const Doc& d, const Sentence& s, size_t from, size_t to) {
    const size_t n = s.toks.size();
    for (size_t k = from; k < to && k < n; ++k) {
        const Token& t = s.toks[k];
        if (!has_word(kInstitutionWords, d.lword(t)) || !starts_capital(d.word(t))) continue;
        size_t left = k;
        while (left > 0 && k - left < 3 && space_gap(d, s.toks[left])) {
            const Token& p = s.toks[left - 1];
            const string lw(d.lword(p));
            if (!starts_capital(d.word(p)) || lw == "i" || lw == "from" || lw == "at" ||
                lw == "in" || degree_at(d, s, left - 1) != nullptr || has_word(kNotNameWords, lw))
                break;
            --left;
        }
        if (left > 0 && d.word(s.toks[left - 1]) == "The" && space_gap(d, s.toks[left])) --left;
        size_t right = k + 1;
        size_t extra = 0;
        while (right < n && extra < 5 && space_gap(d, s.toks[right])) {
            const string_view lw = d.lword(s.toks[right]);
            const string_view w = d.word(s.toks[right]);
            // "University of Texas at Austin", "Università di Bologna"
            if ((lw == "of" || lw == "for" || lw == "and" || lw == "de" || lw == "y" ||
                 lw == "at" || lw == "di" || lw == "la" || lw == "du") &&
                right + 1 < n && space_gap(d, s.toks[right + 1]) &&
                starts_capital(d.word(s.toks[right + 1]))) {
                right += 2;
                extra += 2;
                continue;
            }
            if (starts_capital(w) && !is_year_token(w) && !has_word(kRoleNouns, lw) &&
                degree_at(d, s, right) == nullptr && lw != "i") {
                ++right;
                ++extra;
                continue;
            }
            break;
        }
        string out;
        for (size_t i = left; i < right; ++i) {
            if (i > left) out += ' ';
            out += d.word(s.toks[i]);
        }
        return out;
    }
    return {};
}

// "... from MIT", "graduated at Stanford": a capitalised name after from/at in tokens [from, to).
string institution_after_preposition(const Doc& d, const Sentence& s, size_t from, size_t to) {
    for (size_t k = from; k + 1 < to && k + 1 < s.toks.size(); ++k) {
        const string_view lw = d.lword(s.toks[k]);
        if ((lw != "from" && lw != "at") || !space_gap(d, s.toks[k + 1])) continue;
        string cand;
        collect_proper(d, s, k + 1, 6, cand);
        if (!cand.empty() &&
            !has_word(kNotEmployerWords, lower_copy(cand.substr(0, cand.find(' ')))))
            return cand;
    }
    return {};
}

// Degrees that say nothing of the subject until its field is named ("M.Sc.", "Bachelor's").
bool generic_degree(string_view degree) {
    static constexpr auto kGeneric = std::to_array<string_view>({
        "B.Sc.",
        "M.Sc.",
        "B.S.",
        "M.S.",
        "B.A.",
        "M.A.",
        "Ph.D.",
        "DPhil",
        "B.Eng.",
        "M.Eng.",
        "B.Tech.",
        "M.Tech.",
        "Bachelor's",
        "Master's",
        "Associate's",
        "Doctorate",
        "Diploma",
    });
    return std::find(kGeneric.begin(), kGeneric.end(), degree) != kGeneric.end();
}

// Returns the entries of one sentence; `is_edu` says whether the sentence is about education.
// `in_section` is true under an "Education" heading, where a bare school name is enough.
std::vector<Education> find_education(const Doc& d, const Sentence& s, bool in_section,
                                      bool& is_edu) {
    static constexpr auto kEduVerbs = sorted(std::to_array<string_view>({
        "studied",
        "graduated",
        "attended",
        "majored",
        "enrolled",
        "studying",
        "minored",
        "study",
        "graduating",
    }));
    std::vector<Education> out;
    const size_t n = s.toks.size();
    std::vector<size_t> degree_pos;
    size_t edu_verb = n;
    for (size_t k = 0; k < n; ++k) {
        if (edu_verb != n) break;
        const string_view lw = d.lword(s.toks[k]);
        // "Computer Science student at UPC (expected 2026)"
        const bool student = lw == "student" && k <= 5 && k + 1 < n &&
                             (d.lword(s.toks[k + 1]) == "at" || d.lword(s.toks[k + 1]) == "of");
        if (student || has_word(kEduVerbs, lw)) edu_verb = k;
    }
    for (size_t k = 0; k < n; ++k) {
        const string_view lw = d.lword(s.toks[k]);
        const Degree* dg = degree_at(d, s, k);
        const bool doctor_of = lw == "doctor" && k + 1 < n && d.lword(s.toks[k + 1]) == "of";
        // "a degree in Communications": the kind of degree is unknown, the field is not.
        const bool generic = dg == nullptr && lw == "degree" && k + 1 < n &&
                             d.lword(s.toks[k + 1]) == "in" && space_gap(d, s.toks[k + 1]);
        if (dg == nullptr && !doctor_of && !generic) continue;
        string degree =
            dg != nullptr ? string(dg->display) : string(doctor_of ? "Doctorate" : "[Degree]");
        size_t j = k + 1;
        const bool named =
            lw.substr(0, 8) == "bachelor" || lw.substr(0, 6) == "master" || doctor_of;
        if (named && j < n && d.lword(s.toks[j]) == "of") {
            std::vector<string_view> words;
            size_t m = j + 1;
            while (m < n && words.size() < 3 && space_gap(d, s.toks[m])) {
                const string_view w = d.lword(s.toks[m]);
                if (w == "in" || w == "from" || w == "at" || w == "with" || w == "degree" ||
                    std::any_of(w.begin(), w.end(), is_digit))
                    break;
                words.push_back(d.word(s.toks[m]));
                ++m;
            }
            if (!words.empty()) {
                string key =
                    lw.substr(0, 6) == "master" ? "master" : (doctor_of ? "doctor" : "bachelor");
                for (string_view w : words) key += " " + lower_copy(w);
                const string base = key.substr(0, key.find(' '));
                degree.clear();
                for (const Degree& o : kDegreeOf)
                    if (o.key == key) degree = o.display;
                if (degree.empty())
                    degree = capitalize_word(base) + " of " + title_case_phrase(words);
                j = m;
            }
        }
        // "B.A. in Economics": the abbreviation's final period sits in the gap.
        auto gap_ok = [&](size_t i) {
            const string_view g = trim(d.gap(s.toks[i]));
            return g.empty() || (g == "." && i == k + 1);
        };
        if (j < n && (d.lword(s.toks[j]) == "degree" || d.lword(s.toks[j]) == "degrees") &&
            gap_ok(j))
            ++j;
        if (j < n && gap_ok(j) &&
            (d.lword(s.toks[j]) == "in" ||
             (d.lword(s.toks[j]) == "of" && dg != nullptr && !named))) {
            const string field = collect_field(d, s, j + 1);
            if (!field.empty()) degree += " in " + field;
        } else if (j == k + 1 && j < n && gap_ok(j) && generic_degree(degree)) {
            // "BSc Nursing, University of Oslo", "MSc Civil Engineering, TU Delft": the field
            // follows the abbreviation directly and ends at the comma.
            std::vector<string_view> words;
            size_t m = j;
            while (m < n && words.size() < 4 && (m == j || space_gap(d, s.toks[m]))) {
                const string_view w = d.word(s.toks[m]);
                const string_view lw = d.lword(s.toks[m]);
                if (has_word(kInstitutionWords, lw) || degree_at(d, s, m) != nullptr ||
                    std::any_of(w.begin(), w.end(), is_digit)) {
                    words.clear();
                    break;
                }
                if (lw == "from" || lw == "at") break;
                if (!(starts_capital(w) || (!words.empty() && (lw == "and" || lw == "of")))) break;
                words.push_back(w);
                ++m;
            }
            const bool ends_ok = m >= n || !space_gap(d, s.toks[m]) ||
                                 d.lword(s.toks[m]) == "from" || d.lword(s.toks[m]) == "at";
            while (!words.empty() && (iequals(words.back(), "and") || iequals(words.back(), "of")))
                words.pop_back();
            if (!words.empty() && ends_ok) degree += " in " + title_case_phrase(words);
        }
        if (generic && degree == "[Degree]") continue;
        degree_pos.push_back(k);
        out.push_back({degree, {}, {}});
        k = std::max(k, j > 0 ? j - 1 : 0);
    }
    string institution = find_institution(d, s, 0, n);
    if (institution.empty() && (!out.empty() || edu_verb < n))
        institution =
            institution_after_preposition(d, s, out.empty() ? edu_verb : degree_pos.front(), n);
    // Under an Education heading: "M.Sc. in Biology, LMU Munich, 2016" names the school after
    // the first comma.
    if (institution.empty() && in_section && !out.empty()) {
        for (size_t k = degree_pos.front() + 1; k < n; ++k) {
            if (trim(d.gap(s.toks[k])) != ",") continue;
            string cand;
            collect_proper(d, s, k, 6, cand);
            if (!cand.empty() && !is_year_token(cand) &&
                !(cand.find(' ') == string::npos && place_token(cand)) &&
                !has_word(kNotEmployerWords, lower_copy(cand.substr(0, cand.find(' ')))))
                institution = cand;
            break;
        }
    }
    // A school named without a degree is education only when the sentence says so ("studied
    // at", an Education heading); "I teach at Lincoln High School" is a job.
    if (out.empty() && !institution.empty() && (edu_verb < n || in_section)) {
        string degree;
        const string_view verb = edu_verb < n ? d.lword(s.toks[edu_verb]) : string_view{};
        if (verb == "studied" || verb == "study" || verb == "studying") {
            degree = collect_field(d, s, edu_verb + 1);  // "studied Computer Engineering at TU"
        } else if ((verb == "majored" || verb == "minored") && edu_verb + 1 < n &&
                   d.lword(s.toks[edu_verb + 1]) == "in") {
            degree = collect_field(d, s, edu_verb + 2);
        } else if (verb == "student") {
            // The capitalised words before "student" name the field.
            size_t b = edu_verb;
            while (b > 0 && edu_verb - b < 4 && space_gap(d, s.toks[b]) &&
                   starts_capital(d.word(s.toks[b - 1])) &&
                   !has_word(kNotNameWords, d.lword(s.toks[b - 1])))
                --b;
            std::vector<string_view> words;
            for (size_t i = b; i < edu_verb; ++i) words.push_back(d.word(s.toks[i]));
            degree = title_case_phrase(words);
        }
        out.push_back({degree.empty() ? string() : "[Degree] in " + degree, {}, {}});
        degree_pos.push_back(0);
    }
    is_edu = !out.empty();
    for (size_t e = 0; e < out.size(); ++e) {
        const size_t from = degree_pos[e];
        const size_t to = e + 1 < degree_pos.size() ? degree_pos[e + 1] : n;
        // "an M.Ed. from Boston University and a B.Sc. from UMass": each degree keeps its own.
        if (out.size() > 1) {
            out[e].institution = find_institution(d, s, from, to);
            if (out[e].institution.empty())
                out[e].institution = institution_after_preposition(d, s, from, to);
        } else {
            out[e].institution = institution;
        }
        // Year: the first one after the degree (the end of a range wins: "2011-2015").
        for (size_t k = from; k < to; ++k) {
            const string_view w = d.word(s.toks[k]);
            string_view year;
            if (is_year_token(w)) {
                year = w;
            } else if (w.size() == 9 && w[4] == '-' && is_year_token(w.substr(5))) {
                year = w.substr(5);
            }
            if (year.empty()) continue;
            if (k + 1 < n && trim(d.gap(s.toks[k + 1])) == "-" &&
                is_year_token(d.word(s.toks[k + 1])))
                year = d.word(s.toks[k + 1]);
            out[e].year = string(year);
            if (k > 0 && d.lword(s.toks[k - 1]) == "expected")
                out[e].year = "Expected " + out[e].year;
            break;
        }
        // "I graduated from Fudan University in 2023 with a Master's degree": the year may come
        // first when the sentence holds one degree.
        if (out[e].year.empty() && out.size() == 1) {
            for (size_t k = 0; k < from; ++k) {
                const string_view w = d.word(s.toks[k]);
                if (!is_year_token(w)) continue;
                out[e].year = string(w);
                if (k > 0 && d.lword(s.toks[k - 1]) == "expected")
                    out[e].year = "Expected " + out[e].year;
                break;
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Certifications.

std::vector<string> find_certifications(const Doc& d, const Sentence& s, bool& is_cert) {
    static constexpr auto kSuffix = sorted(std::to_array<string_view>({
        "associate",
        "professional",
        "practitioner",
        "specialty",
        "expert",
        "foundational",
        "fundamentals",
        "foundation",
    }));
    std::vector<string> out;
    size_t last_end = string_view::npos;  // token index after the last phrase
    const size_t n = s.toks.size();
    for (size_t k = 0; k < n; ++k) {
        const string_view w = d.word(s.toks[k]);
        const string_view lw = d.lword(s.toks[k]);
        if (const Entry* e = find_entry(kCertAcronyms, w)) {
            if (!out.empty() && last_end == k && trim(d.gap(s.toks[k])) == "(") {
                out.back() += " (" + string(e->display) + ")";
            } else {
                push_unique(out, string(e->display));
            }
            continue;
        }
        const bool certified = lw == "certified";
        const bool certification = lw == "certification" || lw == "certificate" ||
                                   lw == "certifications" || lw == "certificates";
        if (!certified && !certification) continue;
        if (k + 1 < n && d.lword(s.toks[k + 1]) == "in" && space_gap(d, s.toks[k + 1])) {
            const string field = collect_field(d, s, k + 2);
            if (!field.empty()) {
                string head = certified ? "Certified"
                                        : (lw.substr(0, 11) == "certificate" ? "Certificate"
                                                                             : "Certification");
                push_unique(out, head + " in " + field);
                last_end = k + 2;
                continue;
            }
        }
        if (certified && starts_capital(w)) {
            size_t left = k;
            while (left > 0 && k - left < 3 && space_gap(d, s.toks[left]) &&
                   starts_capital(d.word(s.toks[left - 1])) && d.lword(s.toks[left - 1]) != "i")
                --left;
            size_t right = k + 1;
            while (right < n && right - k <= 6 && space_gap(d, s.toks[right]) &&
                   starts_capital(d.word(s.toks[right])))
                ++right;
            string name;
            for (size_t i = left; i < right; ++i) {
                if (i > left) name += ' ';
                name += d.word(s.toks[i]);
            }
            if (right < n && trim(d.gap(s.toks[right])) == "-" &&
                has_word(kSuffix, d.lword(s.toks[right]))) {
                name += " – " + string(d.word(s.toks[right]));
                ++right;
            }
            if (right - left >= 2) {
                push_unique(out, name);
                last_end = right;
            }
            continue;
        }
        if (certification && k > 0 && space_gap(d, s.toks[k])) {
            size_t left = k;
            while (left > 0 && k - left < 6 && space_gap(d, s.toks[left]) &&
                   starts_capital(d.word(s.toks[left - 1])) && d.lword(s.toks[left - 1]) != "i")
                --left;
            if (left == k) continue;
            string name;
            for (size_t i = left; i < k; ++i) {
                if (i > left) name += ' ';
                name += d.word(s.toks[i]);
            }
            name += lw.substr(0, 11) == "certificate" ? " Certificate" : " Certification";
            push_unique(out, name);
            last_end = k + 1;
        }
    }
    const string_view low = d.sentence_lower(s);
    is_cert = !out.empty() || contains_phrase(low, "certified") ||
              contains_phrase(low, "certification") || contains_phrase(low, "certificate") ||
              contains_phrase(low, "certifications");
    return out;
}

// ---------------------------------------------------------------------------------------------
// Bullets: the achievement part of a sentence, written the way resumes are (no "I", starts with
// the verb, ends with a period).

string escape_md(string_view s) {
    string out;
    out.reserve(s.size() + 8);
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '[' || c == ']') {
            // No links or images built from user text ("[x](javascript:...)", tracking pixels);
            // the brackets still render as brackets.
            out += '\\';
            out += c;
        } else {
            out += c;
        }
    }
    return out;
}

// Typed punctuation as a resume prints it: "..." is an ellipsis, a doubled mark or a space before
// a period or comma goes ("done .", "a,, b", "x.."), and an abbreviation's period absorbs a
// following comma ("e.g., X" -> "e.g. X"), so no line of the output shows "..", ",,", " ." or
// ".,". A period that starts a word (" .NET") stays.
string tidy_punctuation(string_view s) {
    string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '.' && s.substr(i, 3) == "...") {
            while (!out.empty() && out.back() == ' ') out.pop_back();
            out += "…";
            while (i + 1 < s.size() && s[i + 1] == '.') ++i;
            continue;
        }
        if (c == '.' || c == ',') {
            const bool word_dot = c == '.' && i + 1 < s.size() && is_alnum(s[i + 1]) &&
                                  !out.empty() && out.back() == ' ';
            if (!word_dot) {
                while (!out.empty() && out.back() == ' ') out.pop_back();
                if (!out.empty() && (out.back() == '.' || out.back() == ',' || out.back() == ';' ||
                                     out.back() == ':')) {
                    // ".," keeps the period, ",." and ";." keep the period too.
                    if (c == '.' && out.back() != '.') out.back() = '.';
                    continue;
                }
            }
        }
        out += c;
    }
    return out;
}

// Appends the period that ends a sentence unless the text already ends one.
string end_sentence(string_view s) {
    string out(s);
    while (!out.empty() &&
           (out.back() == ' ' || out.back() == ',' || out.back() == ';' || out.back() == ':'))
        out.pop_back();
    if (out.empty()) return out;
    const char last = out.back();
    const bool ellipsis = out.size() >= 3 && out.compare(out.size() - 3, 3, "…") == 0;
    if (last != '.' && last != '!' && last != '?' && !ellipsis) out += '.';
    return out;
}

std::optional<string> clean_bullet(string_view raw) {
    raw = trim(raw);
    while (!raw.empty() &&
           (raw.back() == '.' || raw.back() == ',' || raw.back() == ';' || raw.back() == ':' ||
            raw.back() == '!' || raw.back() == ' ' || raw.back() == '-'))
        raw.remove_suffix(1);
    if (raw.size() < 8 || std::count(raw.begin(), raw.end(), ' ') < 2) return std::nullopt;
    string text(raw);
    // "Led X and I also built Y" -> "Led X and also built Y": bullets have no subject.
    for (string_view subject :
         {string_view(" and I "), string_view(" and we "), string_view(", and I "),
          string_view(" and I've "), string_view(" and I'd ")}) {
        for (size_t at = text.find(subject); at != string::npos; at = text.find(subject, at + 1))
            text.replace(at, subject.size(), subject[1] == 'a' ? " and " : ", and ");
    }
    bool truncated = false;
    if (text.size() > kMaxBulletBytes) {
        size_t cut = text.rfind(' ', kMaxBulletBytes);
        if (cut == string::npos || cut < kMaxBulletBytes / 2) cut = kMaxBulletBytes;
        cut = util::utf8_char_start(text, cut);
        text.resize(cut);
        while (!text.empty() && (text.back() == ' ' || text.back() == ',')) text.pop_back();
        truncated = true;
    }
    text[0] = to_upper(text[0]);
    text = tidy_punctuation(text);
    if (truncated) {
        while (!text.empty() && (text.back() == '.' || text.back() == ',' || text.back() == ' '))
            text.pop_back();
        text += "…";
    } else {
        text = end_sentence(text);
    }
    return escape_md(text);
}

std::optional<string> find_bullet(const Doc& d, const Sentence& s, bool has_title_or_employer,
                                  bool& present_only) {
    static constexpr auto kSubjects =
        std::to_array<string_view>({"i", "we", "i've", "we've", "i'd"});
    static constexpr auto kAmbiguous = sorted(std::to_array<string_view>({
        "set",
        "made",
        "run",
        "ran",
        "cut",
        "won",
        "served",
        "supported",
        "tested",
        "received",
        "closed",
        "turned",
        "handled",
        "helped",
        "owned",
        "raised",
        "processed",
    }));
    const size_t n = s.toks.size();
    if (n < 3) return std::nullopt;
    const string_view text = d.sentence_text(s);
    if (!text.empty() && text.back() == '?') return std::nullopt;
    size_t first = content_start(d, s);  // skip "Internship:" style labels
    while (first < n && std::all_of(d.word(s.toks[first]).begin(), d.word(s.toks[first]).end(),
                                    [](char c) { return is_digit(c); }))
        ++first;
    const size_t sentence_end = s.e;
    auto subject_before = [&](size_t k) {
        for (size_t i = first; i < k; ++i)
            if (d.lword(s.toks[i]) == "i" || d.lword(s.toks[i]) == "we") return true;
        return false;
    };
    auto from_token = [&](size_t k) {
        return clean_bullet(
            string_view(d.display).substr(s.toks[k].pos, sentence_end - s.toks[k].pos));
    };
    for (size_t k = first; k < n; ++k) {
        const string_view lw = d.lword(s.toks[k]);
        const bool past = has_word(kPastVerbs, lw);
        const bool present = has_word(kPresentVerbs, lw);
        if (!past && !present) continue;
        if (k == first && past) {
            present_only = false;
            return from_token(k);
        }
        // "Senior Accountant at Deloitte, 2017-2023: led the month-end close": the achievement
        // follows the role after a colon or a dash.
        const string_view sep = trim(d.gap(s.toks[k]));
        if (past && !sep.empty() && (sep.back() == ':' || sep == "-")) {
            present_only = false;
            return from_token(k);
        }
        size_t p = k;
        size_t fillers = 0;
        while (p > 0 && fillers < 3 && has_word(kSubjectFillers, d.lword(s.toks[p - 1]))) {
            --p;
            ++fillers;
        }
        if (p > 0 && std::find(kSubjects.begin(), kSubjects.end(), d.lword(s.toks[p - 1])) !=
                         kSubjects.end()) {
            present_only = !past;
            return from_token(k);
        }
        // "I joined Initech as a manager and grew the team": a second verb of the same subject.
        if (past && p > 0 && d.lword(s.toks[p - 1]) == "and" && subject_before(k)) {
            present_only = false;
            return from_token(k);
        }
    }
    for (size_t k = first; k + 1 < n; ++k) {
        if (d.lword(s.toks[k]) == "responsible" && d.lword(s.toks[k + 1]) == "for") {
            present_only = false;
            return from_token(k);
        }
    }
    if (!has_title_or_employer) {
        for (size_t k = first; k < n; ++k) {
            const string_view lw = d.lword(s.toks[k]);
            if (has_word(kPastVerbs, lw) && !has_word(kAmbiguous, lw)) {
                present_only = false;
                return from_token(first);
            }
        }
    }
    return std::nullopt;
}

// "based in Berlin, Germany"
string find_location(const Doc& d) {
    for (const Sentence& s : d.sents) {
        const size_t n = s.toks.size();
        for (size_t k = 0; k + 1 < n; ++k) {
            const string_view lw = d.lword(s.toks[k]);
            const string_view next = d.lword(s.toks[k + 1]);
            size_t start = n;
            if ((lw == "based" || lw == "located" || lw == "live" || lw == "living" ||
                 lw == "lives" || lw == "relocating" || lw == "residing") &&
                next == "in" && k + 2 < n)
                start = k + 2;
            if (lw == "location" && (trim(d.gap(s.toks[k + 1])) == ":")) start = k + 1;
            if (start >= n) continue;
            string place;
            size_t end = collect_proper(d, s, start, 3, place);
            if (place.empty() ||
                has_word(kNotEmployerWords, lower_copy(place.substr(0, place.find(' ')))))
                continue;
            if (end < n && trim(d.gap(s.toks[end])) == ",") {
                string more;
                const size_t end2 = collect_proper(d, s, end, 2, more);
                if (!more.empty() && (end2 >= n || !space_gap(d, s.toks[end2])))
                    place += ", " + more;
            }
            return place;
        }
    }
    // Header lines: "Registered Nurse, Boston, MA" or "Berlin, Germany | jane@x.com".
    for (size_t si = 0; si < d.sents.size() && si < 6; ++si) {
        const Sentence& s = d.sents[si];
        const size_t n = s.toks.size();
        for (size_t k = 0; k < n; ++k) {
            if (k > 0 && all_spaces(d.gap(s.toks[k]))) continue;
            string place;
            const size_t end = collect_proper(d, s, k, 2, place);
            if (place.empty() || end >= n || trim(d.gap(s.toks[end])) != "," ||
                !place_token(d.word(s.toks[end])) || is_title_word(lower_copy(place)) ||
                has_word(kNotEmployerWords, lower_copy(place.substr(0, place.find(' ')))))
                continue;
            if (end + 1 < n && all_spaces(d.gap(s.toks[end + 1]))) continue;
            return place + ", " + string(d.word(s.toks[end]));
        }
    }
    // Prose: "a primary school teacher in Manchester, UK", "at Samsung in Seoul, Korea".
    for (const Sentence& s : d.sents) {
        const size_t n = s.toks.size();
        for (size_t k = 0; k + 2 < n; ++k) {
            if (d.lword(s.toks[k]) != "in" || !space_gap(d, s.toks[k + 1])) continue;
            string place;
            const size_t end = collect_proper(d, s, k + 1, 2, place);
            if (place.empty() || end >= n || trim(d.gap(s.toks[end])) != "," ||
                !place_token(d.word(s.toks[end])) || is_title_word(lower_copy(place)) ||
                has_word(kNotEmployerWords, lower_copy(place.substr(0, place.find(' ')))))
                continue;
            // "a B.Sc. in Computer Science, UC Davis" names a school, not a place.
            if (end + 1 < n && space_gap(d, s.toks[end + 1]) &&
                starts_capital(d.word(s.toks[end + 1])))
                continue;
            if (k > 0 && degree_at(d, s, k - 1) != nullptr) continue;
            return place + ", " + string(d.word(s.toks[end]));
        }
    }
    return {};
}

// Items of an explicit "Skills: a, b, c" line that the built-in list does not know.
void find_listed_skills(const Doc& d, const Sentence& s, bool in_section,
                        std::vector<string>& out) {
    static constexpr auto kHeads = sorted(std::to_array<string_view>({
        "skills",
        "technologies",
        "tools",
        "stack",
        "competencies",
        "expertise",
        "toolkit",
    }));
    const size_t n = s.toks.size();
    size_t head = n;
    for (size_t k = 0; k < n && k < 3; ++k) {
        if (has_word(kHeads, d.lword(s.toks[k])) && k + 1 < n &&
            trim(d.gap(s.toks[k + 1])).substr(0, 1) == ":") {
            head = k;
            break;
        }
    }
    const string_view text = d.text;
    size_t b = 0;
    if (head < n) {
        const size_t colon = text.find(':', s.toks[head].pos);
        if (colon == string_view::npos || colon >= s.e) return;
        b = colon + 1;
    } else if (in_section && !s.toks.empty()) {
        // Under a "Skills" heading every line is a list: "Go, Rust, Bazel".
        const size_t start = content_start(d, s);
        if (start >= n) return;
        b = start > 0 ? text.find(':', s.toks[start - 1].pos) + 1 : s.toks[0].pos;
        // "- Tools & Practices: Figma, Jira": a group label of the writer's own.
        const size_t colon = text.find(':', s.b);
        if (start == 0 && colon != string_view::npos && colon < s.e && colon - s.b <= 40)
            b = colon + 1;
    } else {
        return;
    }
    while (b < s.e) {
        size_t e = b;
        while (e < s.e && text[e] != ',' && text[e] != ';' && text[e] != '|' &&
               !(text[e] == ' ' && text.substr(e, 5) == " and ") &&
               !(text[e] == ' ' && text.substr(e, 3) == " - "))
            ++e;
        string_view item = trim(text.substr(b, e - b));
        while (!item.empty() && (item.back() == '.' || item.back() == ' ')) item.remove_suffix(1);
        if (item.size() >= 2 && item.size() <= 32 &&
            std::count(item.begin(), item.end(), ' ') < 4 &&
            std::any_of(item.begin(), item.end(), is_alpha) && item.front() != '-') {
            std::vector<SkillHit> known;
            scan_skills(text, d.low, static_cast<size_t>(item.data() - text.data()),
                        static_cast<size_t>(item.data() - text.data()) + item.size(), known);
            if (known.empty()) push_unique(out, string(item));
        }
        if (e >= s.e) break;
        b = e + (text[e] == ' ' ? (text.substr(e, 5) == " and " ? 5 : 3) : 1);
    }
}

}  // namespace resumate::offline::detail
