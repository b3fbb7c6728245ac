#include "offline/detail/extract.hpp"

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
// Contact details, found on the raw text and then blanked so URLs and addresses do not turn
// into name or employer tokens.

bool email_local_char(char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

void find_emails(string_view t, Contacts& c) {
    for (size_t at = t.find('@'); at != string_view::npos; at = t.find('@', at + 1)) {
        size_t l = at;
        while (l > 0 && email_local_char(t[l - 1])) --l;
        while (l < at && t[l] == '.') ++l;
        size_t r = at + 1;
        while (r < t.size() && (is_alnum(t[r]) || t[r] == '.' || t[r] == '-')) ++r;
        while (r > at + 1 && (t[r - 1] == '.' || t[r - 1] == '-')) --r;
        const string_view local = t.substr(l, at - l);
        const string_view domain = t.substr(at + 1, r - at - 1);
        const size_t dot = domain.rfind('.');
        if (local.empty() || local.size() > 64 || dot == string_view::npos || dot == 0 ||
            domain.size() > 190)
            continue;
        const string_view tld = domain.substr(dot + 1);
        if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), is_alpha)) continue;
        if (c.email.empty()) c.email = string(t.substr(l, r - l));
        c.spans.push_back({l, r});
    }
}

void find_urls(string_view t, string_view low, Contacts& c) {
    static constexpr std::array<string_view, 6> kStarts = {
        "https://", "http://", "www.", "linkedin.com/", "github.com/", "gitlab.com/"};
    size_t i = 0;
    while (i < t.size()) {
        const bool boundary =
            i == 0 || !(is_alnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '/' ||
                        t[i - 1] == '@' || t[i - 1] == '-' || t[i - 1] == '_');
        size_t prefix = 0;
        if (boundary && (low[i] == 'h' || low[i] == 'w' || low[i] == 'l' || low[i] == 'g')) {
            for (string_view s : kStarts) {
                if (low.substr(i, s.size()) == s) {
                    prefix = s.size();
                    break;
                }
            }
        }
        if (prefix == 0) {
            ++i;
            continue;
        }
        size_t r = i;
        while (r < t.size()) {
            const char ch = t[r];
            if (ch == ' ' || ch == '\n' || ch == '<' || ch == '>' || ch == '"' || ch == '\'' ||
                ch == ')' || ch == ']' || ch == ',' || ch == '|' || ch == '`' || ch == '{' ||
                ch == '}' || ch == '\\' || ch == '^' || is_high(ch))
                break;
            ++r;
        }
        while (r > i && (t[r - 1] == '.' || t[r - 1] == ';' || t[r - 1] == ':' || t[r - 1] == '!' ||
                         t[r - 1] == '?'))
            --r;
        const string_view url = t.substr(i, r - i);
        const string_view lurl = low.substr(i, r - i);
        const string_view host = lurl.substr(lurl.substr(0, 4) == "http" ? prefix : 0);
        if (url.size() <= 200 && host.find('.') != string_view::npos && host.size() >= 4 &&
            host.find('.') + 1 < host.size()) {
            static constexpr std::array<string_view, 7> kImages = {".png", ".jpg",  ".jpeg", ".gif",
                                                                   ".svg", ".webp", ".ico"};
            const bool image = std::any_of(kImages.begin(), kImages.end(), [&](string_view x) {
                return lurl.size() > x.size() && lurl.substr(lurl.size() - x.size()) == x;
            });
            string scratch;
            string* slot = image ? &scratch : &c.website;
            if (lurl.find("linkedin.com") != string_view::npos) {
                slot = &c.linkedin;
            } else if (lurl.find("github.com") != string_view::npos ||
                       lurl.find("gitlab.com") != string_view::npos) {
                slot = &c.github;
            }
            if (slot->empty()) {
                *slot = string(url);
            } else if (slot == &c.website && c.more_urls.size() < 2 && !iequals(*slot, url)) {
                push_unique(c.more_urls, string(url));
            }
            c.spans.push_back({i, r});
        }
        i = std::max(r, i + 1);
    }
    // A bare domain as a field of the contact line: "jane@x.com | jane.dev | +1 ...".
    size_t line_b = 0;
    for (int line = 0; line < 6 && line_b < t.size(); ++line) {
        const size_t line_e = std::min(t.find('\n', line_b), t.size());
        const string_view whole = t.substr(line_b, line_e - line_b);
        // Only a contact line (it holds an address) lists bare domains: "Node.js | React" is not.
        if (whole.find('|') != string_view::npos && whole.find('@') != string_view::npos) {
            size_t b = line_b;
            while (b < line_e) {
                size_t e = std::min(t.find('|', b), line_e);
                string_view field = t.substr(b, e - b);
                const size_t lead = field.find_first_not_of(' ');
                if (lead != string_view::npos) {
                    field = trim(field);
                    const size_t fb = b + lead;
                    const bool known =
                        std::any_of(c.spans.begin(), c.spans.end(),
                                    [&](const Span& sp) { return sp.b <= fb && fb < sp.e; });
                    const size_t dot = field.rfind('.');
                    const bool domain =
                        !known && field.size() >= 4 && field.size() <= 80 &&
                        dot != string_view::npos && dot > 0 &&
                        field.find(' ') == string_view::npos &&
                        field.find('@') == string_view::npos &&
                        std::all_of(field.begin() + static_cast<std::ptrdiff_t>(dot) + 1,
                                    field.end(), is_alpha) &&
                        field.size() - dot - 1 >= 2 &&
                        std::all_of(field.begin(), field.end(), [](char ch) {
                            return is_alnum(ch) || ch == '.' || ch == '-' || ch == '/' || ch == '_';
                        });
                    if (domain) {
                        if (c.website.empty()) {
                            c.website = string(field);
                        } else if (c.more_urls.size() < 2) {
                            push_unique(c.more_urls, string(field));
                        }
                        c.spans.push_back({fb, fb + field.size()});
                    }
                }
                b = e + 1;
            }
        }
        line_b = line_e + 1;
    }
    // A bare domain after a label: "Portfolio: olenakovalenko.design", "Website: jane.dev".
    static constexpr std::array<string_view, 5> kLabels = {"portfolio", "website", "web site",
                                                           "homepage", "blog"};
    for (string_view label : kLabels) {
        for (size_t at = low.find(label); at != string_view::npos; at = low.find(label, at + 1)) {
            if (at > 0 && is_alnum(low[at - 1])) continue;
            size_t b = at + label.size();
            if (b < low.size() && low[b] == ':') ++b;
            while (b < low.size() && low[b] == ' ') ++b;
            size_t e = b;
            while (e < t.size() && (is_alnum(t[e]) || t[e] == '.' || t[e] == '-' || t[e] == '/' ||
                                    t[e] == '_' || t[e] == '~'))
                ++e;
            while (e > b && (t[e - 1] == '.' || t[e - 1] == '/')) --e;
            const string_view site = t.substr(b, e - b);
            const size_t dot = site.find('.');
            if (site.empty() || dot == 0 || dot == string_view::npos || site.size() > 120 ||
                (e < t.size() && t[e] == '@'))
                continue;
            size_t tld_end = site.find('/', dot);
            if (tld_end == string_view::npos) tld_end = site.size();
            const string_view tld = site.substr(site.rfind('.', tld_end - 1) + 1,
                                                tld_end - site.rfind('.', tld_end - 1) - 1);
            if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), is_alpha)) continue;
            const bool known = std::any_of(c.spans.begin(), c.spans.end(),
                                           [&](const Span& sp) { return sp.b <= b && b < sp.e; });
            if (known) continue;
            if (c.website.empty()) {
                c.website = string(site);
            } else if (c.more_urls.size() < 2) {
                push_unique(c.more_urls, string(site));
            }
            c.spans.push_back({b, e});
        }
    }
}

bool year_like(string_view digits) {
    return digits.size() == 4 && (digits.substr(0, 2) == "19" || digits.substr(0, 2) == "20");
}

// Phone numbers: 7-15 digits in the usual groupings. Dates, year ranges and counts look
// alike, so short or unprefixed numbers need a "phone"/"tel" label close by.
void find_phones(string_view t, string_view low, Contacts& c) {
    size_t i = 0;
    while (i < t.size()) {
        const char ch = t[i];
        const bool starter =
            is_digit(ch) || ((ch == '+' || ch == '(') && i + 1 < t.size() && is_digit(t[i + 1]));
        if (!starter ||
            (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '/' ||
                       t[i - 1] == '-' || t[i - 1] == '_' || t[i - 1] == '@' || t[i - 1] == '$' ||
                       t[i - 1] == '#' || t[i - 1] == '+' || is_high(t[i - 1])))) {
            ++i;
            continue;
        }
        const bool plus = ch == '+';
        size_t j = plus ? i + 1 : i;
        size_t digits = 0;
        bool open = false;
        bool paren = false;
        std::vector<Span> groups;
        size_t group_start = j;
        size_t cur = 0;
        while (j < t.size()) {
            const char d = t[j];
            if (is_digit(d)) {
                if (cur == 0) group_start = j;
                ++cur;
                ++digits;
                ++j;
                continue;
            }
            if (cur > 0) {
                groups.push_back({group_start, group_start + cur});
                cur = 0;
            }
            if (d == '(' && !open && digits <= 3 && j + 1 < t.size() && is_digit(t[j + 1])) {
                open = paren = true;
                ++j;
                continue;
            }
            if (d == ')' && open) {
                open = false;
                ++j;
                continue;
            }
            const bool after_part = j > i && (is_digit(t[j - 1]) || t[j - 1] == ')');
            if ((d == ' ' || d == '-' || d == '.') && after_part && j + 1 < t.size() &&
                (is_digit(t[j + 1]) || t[j + 1] == '(')) {
                ++j;
                continue;
            }
            break;
        }
        if (cur > 0) groups.push_back({group_start, group_start + cur});
        const size_t end = j;
        const bool clean_end = end >= t.size() || !(is_alnum(t[end]) || t[end] == '%' ||
                                                    t[end] == '@' || t[end] == '/');
        bool ok = clean_end && !open && digits >= 7 && digits <= 15 && !groups.empty();
        if (ok) {
            const string_view first = t.substr(groups[0].b, groups[0].e - groups[0].b);
            // The label sits on the same line, a few words back ("Contact: x@y.fr / 06 12 ...").
            size_t from = i >= 48 ? i - 48 : 0;
            const size_t line = low.rfind('\n', i);
            if (line != string_view::npos && line + 1 > from) from = line + 1;
            const string_view before = low.substr(from, i - from);
            const bool labelled = before.find("phone") != string_view::npos ||
                                  before.find("tel") != string_view::npos ||
                                  before.find("mobile") != string_view::npos ||
                                  before.find("cell") != string_view::npos ||
                                  before.find("call") != string_view::npos ||
                                  before.find("whatsapp") != string_view::npos ||
                                  before.find("contact") != string_view::npos;
            // A CV's first lines are its contact block: "612 345 678" there is a phone number.
            size_t lines_before = 0;
            for (size_t p = low.find('\n'); p != string_view::npos && p < i && lines_before < 6;
                 p = low.find('\n', p + 1))
                ++lines_before;
            const bool header = lines_before < 6 && digits >= 9 && groups.size() >= 3;
            ok = !(year_like(first) && !plus && !labelled) &&
                 (plus || labelled || header || (paren && digits >= 10) ||
                  (digits >= 10 && first.size() >= 3));
        }
        if (ok) {
            if (c.phone.empty()) c.phone = string(t.substr(i, end - i));
            c.spans.push_back({i, end});
            i = end;
        } else {
            i = std::max(j, i + 1);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Skills scan: one pass over the text; at each word start only the aliases sharing its first
// byte are tried, and the longest match wins ("React Native" over "React", "C++" over "C").

// Short or everyday aliases ("Go", "R", "C") count only inside a list or a clear phrase.
bool list_context(string_view text, string_view low, size_t b, size_t e) {
    size_t p = b;
    while (p > 0 && text[p - 1] == ' ') --p;
    const char pc = p > 0 ? text[p - 1] : '\n';
    size_t q = e;
    while (q < text.size() && text[q] == ' ') ++q;
    const char nc = q < text.size() ? text[q] : '\n';
    if (text.substr(b, e - b) == "R" && (nc == '&' || low.substr(q, 5) == "and d")) return false;
    if (pc == ',' || pc == '/' || pc == '(' || pc == ':' || pc == '|') return true;
    if (nc == ',' || nc == '/' || nc == ')' || nc == '|') return true;
    size_t w = p;
    while (w > 0 && is_alpha(low[w - 1])) --w;
    const string_view prev = low.substr(w, p - w);
    size_t x = q;
    while (x < low.size() && (is_alpha(low[x]) || low[x] == '-')) ++x;
    const string_view next = low.substr(q, x - q);
    static constexpr auto kBefore = sorted(std::to_array<string_view>({
        "in",          "with",      "using",    "and",     "or",         "including",
        "like",        "languages", "language", "know",    "knows",      "learned",
        "learning",    "wrote",     "write",    "writing", "proficient", "expert",
        "experienced", "fluent",    "skilled",  "use",     "used",
    }));
    static constexpr auto kAfter = sorted(std::to_array<string_view>({
        "developer",    "developers", "engineer",  "engineers",   "programming", "programmer",
        "language",     "code",       "backend",   "back-end",    "services",    "microservices",
        "and",          "or",         "lang",      "modules",     "apis",        "api",
        "scripts",      "scripting",  "libraries", "library",     "stack",       "projects",
        "applications", "apps",       "framework", "development", "on",
    }));
    return has_word(kBefore, prev) || has_word(kAfter, next);
}

void scan_skills(string_view text, string_view low, size_t b, size_t e,
                 std::vector<SkillHit>& out) {
    const SkillIndex& idx = skill_index();
    size_t i = b;
    while (i < e) {
        const char prev = i > b ? low[i - 1] : ' ';
        const bool boundary = !(is_alnum(prev) || prev == '.' || prev == '_' || prev == '+' ||
                                prev == '#' || prev == '-' || prev == '@' || is_high(prev));
        if (!boundary) {
            ++i;
            continue;
        }
        size_t best_len = 0;
        std::uint16_t best = 0;
        for (const AliasRef& a : idx.buckets[static_cast<unsigned char>(low[i])]) {
            const size_t len = a.alias.size();
            if (len > e - i || len <= best_len) continue;
            const string_view src = a.exact ? text : low;
            if (len > 1 && src[i + 1] != a.alias[1]) continue;  // cheap reject before compare
            if (src.substr(i, len) != a.alias) continue;
            const size_t r = i + len;
            if (r < e) {
                const char nc = low[r];
                const bool ends_alnum = is_alnum(a.alias.back());
                if (ends_alnum && is_alnum(nc)) continue;
                if (!ends_alnum && is_alpha(nc)) continue;
                if (nc == '+' || nc == '#' || nc == '_' || is_high(nc)) continue;
                if ((nc == '.' || nc == '@' || nc == ':') && r + 1 < e && is_alnum(low[r + 1]))
                    continue;  // "node.js" is not "node", "javascript:alert" is no skill
                if (nc == '-' && len <= 2) continue;
            }
            if ((kSkills[a.skill].flags & kContext) != 0 && !list_context(text, low, i, r))
                continue;
            best_len = len;
            best = a.skill;
        }
        if (best_len != 0) {
            out.push_back({best, i, best_len});
            i += best_len;
        } else {
            ++i;
        }
    }
}

}  // namespace resumate::offline::detail
