#include "offline/detail/markdown.hpp"
#include "offline/detail/extract.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// Reading a Markdown resume: headings, sections, list items, role headings.

namespace resumate::offline::detail {

MdKind section_kind(string_view heading) {
    const string h = lower_copy(trim(heading));
    const auto has = [&](string_view w) { return h.find(w) != string::npos; };
    if (has("summary") || has("profile") || has("about") || has("objective"))
        return MdKind::Summary;
    if (has("certif") || has("licen") || has("credential")) return MdKind::Certifications;
    if (has("skill") || has("competenc") || has("tech stack") || has("technologies") ||
        has("toolkit"))
        return MdKind::Skills;
    if (has("education") || has("academic") || has("qualification")) return MdKind::Education;
    if (has("project")) return MdKind::Projects;
    if (has("experience") || has("employment") || has("work history") || has("career"))
        return MdKind::Experience;
    return MdKind::Other;
}

namespace {

// "## Skills" -> "Skills"; level 0 when the line is no ATX heading.
int heading_level(string_view line, string_view& text) {
    size_t i = 0;
    while (i < line.size() && i < 7 && line[i] == '#') ++i;
    if (i == 0 || i > 6 || i >= line.size() || line[i] != ' ') return 0;
    text = trim(line.substr(i + 1));
    while (!text.empty() && text.back() == '#') text.remove_suffix(1);
    text = trim(text);
    return static_cast<int>(i);
}

std::vector<string_view> split_lines(string_view text) {
    std::vector<string_view> lines;
    size_t b = 0;
    while (b <= text.size()) {
        size_t e = text.find('\n', b);
        if (e == string_view::npos) e = text.size();
        string_view line = text.substr(b, e - b);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (e == text.size()) break;
        b = e + 1;
    }
    return lines;
}

bool year_in(string_view s) {
    for (size_t i = 0; i + 4 <= s.size(); ++i) {
        if ((i > 0 && is_alnum(s[i - 1])) || (i + 4 < s.size() && is_alnum(s[i + 4]))) continue;
        if (is_year_token(s.substr(i, 4))) return true;
    }
    return false;
}

bool date_like(string_view s) {
    const string low = lower_copy(s);
    return year_in(s) || low.find("present") != string::npos ||
           low.find("[start date]") != string::npos || low.find("[end date]") != string::npos;
}

// Splits "a — b" at the first of the separators found.
bool split_at(string_view s, std::initializer_list<string_view> seps, string_view& a,
              string_view& b) {
    for (string_view sep : seps) {
        const size_t at = s.find(sep);
        if (at == string_view::npos) continue;
        a = trim(s.substr(0, at));
        b = trim(s.substr(at + sep.size()));
        return true;
    }
    return false;
}

string value_of(string_view raw) {
    raw = trim(raw);
    if (raw.empty() || has_placeholder(raw)) return {};
    return md_unescape(raw);
}

bool ends_with_role_noun(string_view s) {
    const string low = lower_copy(trim(s));
    const size_t sp = low.rfind(' ');
    const string last = sp == string::npos ? low : low.substr(sp + 1);
    return has_word(kRoleNouns, last);
}

}  // namespace

bool has_placeholder(string_view raw) {
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '[' || (i > 0 && raw[i - 1] == '\\')) continue;
        const size_t close = raw.find(']', i + 1);
        if (close != string_view::npos && close > i + 1) return true;
    }
    return false;
}

string md_unescape(string_view raw) {
    string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\\' && i + 1 < raw.size() &&
            string_view("[]*_`#\\<>").find(raw[i + 1]) != string_view::npos) {
            out += raw[++i];
        } else if (c == '&' && raw.substr(i, 4) == "&lt;") {
            out += '<';
            i += 3;
        } else if (c == '&' && raw.substr(i, 4) == "&gt;") {
            out += '>';
            i += 3;
        } else if (c == '&' && raw.substr(i, 5) == "&amp;") {
            out += '&';
            i += 4;
        } else if (c == '*' && i + 1 < raw.size() && raw[i + 1] == '*') {
            ++i;  // bold
        } else {
            out += c;
        }
    }
    return string(trim(out));
}

string_view list_item(string_view line) {
    line = trim(line);
    if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ')
        return trim(line.substr(2));
    if (line.substr(0, 3) == "\u2022") return trim(line.substr(3));  // •
    size_t i = 0;
    while (i < line.size() && i < 3 && is_digit(line[i])) ++i;
    if (i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ')
        return trim(line.substr(i + 2));
    return {};
}

MdResume parse_markdown(string_view text) {
    MdResume md;
    md.lines = split_lines(text);
    const size_t n = md.lines.size();
    size_t i = 0;
    while (i < n && trim(md.lines[i]).empty()) ++i;
    string_view h;
    if (i < n && heading_level(md.lines[i], h) == 1) {
        md.name_line = i;
        ++i;
    }
    const size_t header_begin = i;
    while (i < n) {
        string_view t;
        const int level = heading_level(md.lines[i], t);
        if (level == 2 || (level == 1 && i != md.name_line)) break;
        ++i;
    }
    md.header_end = std::max(i, header_begin);
    while (i < n) {
        string_view t;
        const int level = heading_level(md.lines[i], t);
        if (level == 1 || level == 2) {
            if (!md.sections.empty()) md.sections.back().last = i;
            md.sections.push_back({string(t), section_kind(t), i + 1, n});
        }
        ++i;
    }
    return md;
}

bool is_markdown_resume(string_view text) {
    const MdResume md = parse_markdown(text.substr(0, std::min<size_t>(text.size(), 200000)));
    return std::any_of(md.sections.begin(), md.sections.end(),
                       [](const MdSection& s) { return s.kind != MdKind::Other; });
}

std::vector<string> md_sentences(string_view text) {
    std::vector<string> out;
    size_t b = 0;
    while (b < text.size()) {
        size_t e = b;
        while (e < text.size()) {
            const char c = text[e];
            if ((c == '.' || c == '!' || c == '?') &&
                (e + 1 == text.size() || text[e + 1] == ' ')) {
                // "B.Sc." and "e.g." hold inner periods; "Inc." and "Dr." are abbreviations.
                size_t w = e;
                while (w > b && text[w - 1] != ' ') --w;
                const string word = lower_copy(text.substr(w, e - w));
                const bool abbrev =
                    c == '.' && (word.find('.') != string::npos || has_word(kAbbreviations, word) ||
                                 (word.size() == 1 && is_alpha(word[0])));
                const bool next_lower = e + 2 < text.size() && is_lower(text[e + 2]);
                if (!abbrev && !next_lower) break;
            }
            ++e;
        }
        const string_view sentence = trim(text.substr(b, std::min(e + 1, text.size()) - b));
        if (!sentence.empty()) out.emplace_back(sentence);
        b = e + 1;
    }
    return out;
}

MdRole parse_role_heading(string_view heading, string_view date_line) {
    MdRole r;
    string_view h = trim(heading);
    string_view dates;
    string_view a;
    string_view b;
    // "Title, Employer — Mar 2019 – Present": the dates may ride on the heading.
    for (string_view sep : {string_view(" — "), string_view(" | "), string_view(" - ")}) {
        const size_t at = h.rfind(sep);
        if (at != string_view::npos && date_like(h.substr(at + sep.size())) &&
            !date_like(h.substr(0, at))) {
            dates = trim(h.substr(at + sep.size()));
            h = trim(h.substr(0, at));
            break;
        }
    }
    if (dates.empty() && !date_line.empty() && date_like(date_line) && list_item(date_line).empty())
        dates = trim(date_line);
    if (split_at(h, {" — ", " at ", " @ ", ", ", " | ", " - "}, a, b)) {
        // "Acme Corp | Senior Engineer": the part that ends with a role noun is the title.
        if (!ends_with_role_noun(a) && ends_with_role_noun(b)) std::swap(a, b);
        r.title = value_of(a);
        r.employer = value_of(b);
    } else {
        r.title = value_of(h);
    }
    if (!dates.empty()) {
        string_view s;
        string_view e;
        if (split_at(dates, {" – ", " - ", "–", " to ", "-"}, s, e)) {
            r.start = value_of(s);
            r.end = value_of(e);
        } else {
            r.start = value_of(dates);
        }
        // "(2019 - 2022)", "*2019 – Present*"
        const auto mark = [](char c) {
            return c == '(' || c == ')' || c == ' ' || c == '*' || c == '_';
        };
        for (string* part : {&r.start, &r.end}) {
            while (!part->empty() && mark(part->front())) part->erase(0, 1);
            while (!part->empty() && mark(part->back())) part->pop_back();
        }
        if (iequals(r.end, "present") || iequals(r.end, "now") || iequals(r.end, "current"))
            r.end = "Present";
    }
    return r;
}

}  // namespace resumate::offline::detail
