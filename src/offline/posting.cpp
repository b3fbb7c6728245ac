#include "offline/detail/posting.hpp"
#include "offline/detail/extract.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// What a job posting asks for, weighted by where it asks; and what a resume says about it.

namespace resumate::offline::detail {

namespace {

// Weights of a mention by where it stands.
constexpr double kTitleLines = 2.0;
constexpr double kRequired = 2.0;
constexpr double kNormal = 1.0;
constexpr double kOptional = 0.5;
constexpr double kAbout = 0.3;  // the company, benefits, how to apply

// Base weights by kind: the title says most, a capitalised term least.
double base_weight(TermKind k) {
    switch (k) {
        case TermKind::Title:
            return 1.5;
        case TermKind::Keyword:
            return 0.6;
        default:
            return 1.0;
    }
}

bool contains_any(string_view low, std::initializer_list<string_view> phrases) {
    return std::any_of(phrases.begin(), phrases.end(),
                       [&](string_view p) { return contains_phrase(low, p); });
}

bool optional_phrase(string_view low) {
    return contains_any(low, {"nice to have", "nice-to-have", "a plus", "bonus", "bonus points",
                              "preferred", "desirable", "ideally", "good to have", "would be great",
                              "not required", "optional", "pluses", "plus if"});
}

bool required_phrase(string_view low) {
    return contains_any(low, {"required", "requirement", "requirements", "must", "must-have",
                              "essential", "mandatory", "minimum", "at least"});
}

// The weight a heading sets for the lines below it, or 0 if the text names no section.
double heading_weight(string_view low) {
    if (optional_phrase(low) || contains_any(low, {"plus", "extra credit"})) return kOptional;
    if (contains_any(low, {"about us", "about the company", "who we are", "benefits", "perks",
                           "what we offer", "we offer", "compensation", "salary", "pay",
                           "equal opportunity", "how to apply", "why join", "why us", "our values",
                           "our mission", "about acme", "location", "eeo"}))
        return kAbout;
    if (required_phrase(low) ||
        contains_any(low, {"qualifications", "qualification", "what you bring", "looking for",
                           "what you need", "you have", "you'll need", "you will need",
                           "who you are", "about you", "skills", "experience", "profile",
                           "competencies", "what we need", "you should have"}))
        return kRequired;
    if (contains_any(low, {"responsibilities", "what you'll do", "what you will do", "the role",
                           "duties", "day to day", "day-to-day", "your impact", "the job",
                           "role description", "job description", "overview", "summary",
                           "what you'll be doing", "tasks", "about the role", "the position"}))
        return kNormal;
    return 0;
}

// Degree levels: 1 associate, 2 bachelor, 3 master, 4 doctorate; 0 a diploma.
struct DegreeInfo {
    int level;
    bool exact;  // only this degree satisfies a posting that names it
};

DegreeInfo degree_info(string_view display) {
    static constexpr std::array<string_view, 9> kExact = {"MBA", "J.D.",  "M.D.",  "PharmD", "DDS",
                                                          "DVM", "LL.B.", "LL.M.", "PGCE"};
    const bool exact = std::find(kExact.begin(), kExact.end(), display) != kExact.end();
    return {degree_level(display), exact};
}

string degree_name(int level) {
    switch (level) {
        case 1:
            return "associate degree";
        case 2:
            return "bachelor's degree";
        case 3:
            return "master's degree";
        case 4:
            return "doctorate";
        default:
            return "diploma";
    }
}

string with_article(string_view w) {
    const char c = w.empty() ? 'x' : to_lower(w[0]);
    const bool vowel = string_view("aeiou").find(c) != string_view::npos ||
                       (w.size() > 1 && is_upper(w[0]) && (is_upper(w[1]) || w[1] == '.') &&
                        string_view("FHLMNRSX").find(w[0]) != string_view::npos);
    return string(vowel ? "an " : "a ") + string(w);
}

// Words that start a capitalised run without naming anything ("We", "Requirements").
bool common_capital(string_view lw) {
    static constexpr auto kCommon = sorted(std::to_array<string_view>({
        "a",
        "about",
        "all",
        "an",
        "and",
        "any",
        "apply",
        "are",
        "as",
        "at",
        "be",
        "benefits",
        "bonus",
        "but",
        "by",
        "can",
        "candidate",
        "candidates",
        "company",
        "competitive",
        "day",
        "degree",
        "duties",
        "each",
        "equal",
        "every",
        "excellent",
        "experience",
        "for",
        "from",
        "full",
        "good",
        "great",
        "have",
        "help",
        "high",
        "how",
        "if",
        "in",
        "is",
        "it",
        "job",
        "join",
        "just",
        "key",
        "level",
        "location",
        "looking",
        "must",
        "nice",
        "no",
        "not",
        "of",
        "on",
        "one",
        "opportunity",
        "or",
        "our",
        "part",
        "perks",
        "plus",
        "position",
        "preferred",
        "proven",
        "qualifications",
        "required",
        "requirements",
        "responsibilities",
        "role",
        "salary",
        "senior",
        "skills",
        "solid",
        "strong",
        "team",
        "that",
        "the",
        "their",
        "them",
        "there",
        "these",
        "they",
        "this",
        "time",
        "to",
        "up",
        "us",
        "we",
        "we're",
        "what",
        "when",
        "where",
        "who",
        "why",
        "will",
        "with",
        "work",
        "working",
        "years",
        "you",
        "you'll",
        "you're",
        "your",
        "remote",
        "hybrid",
        "ability",
        "knowledge",
        "understanding",
        "familiarity",
        "proficiency",
        "minimum",
        "ideal",
        "ideally",
        "please",
        "some",
        "other",
        "more",
        "most",
        "well",
    }));
    return has_word(kCommon, lw) || find_entry(kMonths, lw) != nullptr ||
           has_word(kOrgSuffixes, lw) || has_word(kPlaces, lw);
}

bool acronym_stop(string_view w) {
    static constexpr auto kStop = sorted(std::to_array<string_view>({
        "AND", "ASAP", "CEO", "CFO", "COO",  "CTO", "CV",  "DEI", "EEO", "EOE", "ETA", "FAQ", "FT",
        "FTE", "INC",  "LLC", "LTD", "NOT",  "OR",  "PTO", "PT",  "THE", "USA", "USD", "EUR", "GBP",
        "YOU", "WE",   "OUR", "KPI", "KPIS", "TBD", "N/A", "VP",  "SVP", "EVP", "AVP",
    }));
    return has_word(kStop, w);
}

struct Acc {
    PostingTerm term;
    std::vector<double> mults;
};

class Collector {
  public:
    void add(TermKind kind, string name, string display, double mult, size_t order, int level = 0,
             bool exact = false) {
        if (name.empty() || mult <= 0) return;
        // One term per name: "CCRN" the acronym and "CCRN" the certification are one.
        auto it = index_.find(name);
        if (it == index_.end()) {
            it = index_.emplace(name, accs_.size()).first;
            Acc a;
            a.term.kind = kind;
            a.term.name = std::move(name);
            a.term.display = std::move(display);
            a.term.level = level;
            a.term.exact_degree = exact;
            a.term.first = order;
            accs_.push_back(std::move(a));
        }
        accs_[it->second].mults.push_back(mult);
    }

    std::vector<PostingTerm> finish() {
        std::vector<PostingTerm> out;
        for (Acc& a : accs_) {
            std::sort(a.mults.begin(), a.mults.end(), std::greater<>());
            double w = a.mults.front();
            for (size_t i = 1; i < a.mults.size(); ++i) w += 0.25 * a.mults[i];
            w = std::min(w, 2 * a.mults.front());
            a.term.top = a.mults.front();
            a.term.mentions = static_cast<int>(a.mults.size());
            a.term.weight = base_weight(a.term.kind) * w;
            out.push_back(std::move(a.term));
        }
        std::stable_sort(out.begin(), out.end(), [](const PostingTerm& x, const PostingTerm& y) {
            if (x.weight != y.weight) return x.weight > y.weight;
            return x.first < y.first;
        });
        return out;
    }

  private:
    std::map<string, size_t> index_;
    std::vector<Acc> accs_;
};

// "5+ years", "3-5 years of experience", "at least two years": the smallest count stated.
int years_in(const Doc& d, const Sentence& s) {
    static constexpr std::array<string_view, 11> kWords = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
    const size_t n = s.toks.size();
    const string_view low = d.sentence_lower(s);
    if (!contains_phrase(low, "experience") && !contains_phrase(low, "experienced")) return -1;
    for (size_t k = 0; k < n; ++k) {
        const string_view lw = d.lword(s.toks[k]);
        int value = -1;
        size_t digits = 0;
        while (digits < lw.size() && is_digit(lw[digits])) ++digits;
        if (digits > 0 && digits <= 2) {
            value = 0;
            for (size_t i = 0; i < digits; ++i) value = value * 10 + (lw[i] - '0');
        } else if (digits == 0) {
            for (size_t i = 0; i < kWords.size(); ++i)
                if (lw == kWords[i]) value = static_cast<int>(i);
        }
        if (value < 1 || value > 40) continue;
        // "3-5 years", "3 to 5 years": the unit follows the second number.
        size_t u = k + 1;
        if (u < n && (trim(d.gap(s.toks[u])) == "-" || d.lword(s.toks[u]) == "to") && u + 1 < n &&
            is_digit(d.lword(s.toks[u + 1])[0]))
            u += d.lword(s.toks[u]) == "to" ? 2 : 1;
        const string_view rest = lw.substr(digits);
        const bool unit_inline = rest == "+years" || rest == "years" || rest == "+yrs";
        if (!unit_inline) {
            if (u >= n) continue;
            const string_view unit = d.lword(s.toks[u]);
            if (!(unit == "years" || unit == "year" || unit == "yrs" || unit == "yr")) continue;
        }
        return value;
    }
    return -1;
}

}  // namespace

int degree_level(string_view display) {
    const string d = lower_copy(display);
    const auto starts = [&](string_view p) { return d.substr(0, p.size()) == p; };
    if (starts("ph.d") || starts("dphil") || starts("doctor") || starts("ed.d") || starts("j.d") ||
        starts("m.d") || starts("pharmd") || starts("dds") || starts("dvm") || starts("dnp"))
        return 4;
    if (starts("m.") || starts("master") || starts("mba") || starts("mph") || starts("msw") ||
        starts("mfa") || starts("msn") || starts("ll.m") || starts("pgce"))
        return 3;
    if (starts("b.") || starts("bachelor") || starts("bba") || starts("bfa") || starts("bsn") ||
        starts("ll.b"))
        return 2;
    if (starts("associate") || starts("a.a.s") || starts("hnd")) return 1;
    return 0;
}

std::vector<PostingTerm> posting_terms(string_view posting) {
    string clean = sanitize(posting);
    string low = lower_copy(clean);
    // Addresses and links are not terms.
    Contacts contacts;
    find_emails(clean, contacts);
    find_urls(clean, low, contacts);
    for (const Span& sp : contacts.spans) {
        std::fill(clean.begin() + static_cast<std::ptrdiff_t>(sp.b),
                  clean.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
        std::fill(low.begin() + static_cast<std::ptrdiff_t>(sp.b),
                  low.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
    }
    Doc d;
    d.display = clean;
    d.text = std::move(clean);
    d.low = std::move(low);
    for (const Span& sp : split_sentences(d.text)) {
        std::vector<Token> toks = tokenize(d.text, sp.b, sp.e);
        if (!toks.empty()) d.sents.push_back({sp.b, sp.e, std::move(toks)});
    }

    // Words the posting capitalises mid-sentence: names, not just sentence starts.
    std::vector<string_view> mid_capitals;
    for (const Sentence& s : d.sents) {
        const size_t first = content_start(d, s);
        for (size_t k = first + 1; k < s.toks.size(); ++k)
            if (starts_capital(d.word(s.toks[k]))) mid_capitals.push_back(d.lword(s.toks[k]));
    }
    std::sort(mid_capitals.begin(), mid_capitals.end());
    mid_capitals.erase(std::unique(mid_capitals.begin(), mid_capitals.end()), mid_capitals.end());

    Collector terms;
    double section = kNormal;
    size_t order = 0;
    size_t lines_seen = 0;
    bool title_found = false;
    std::vector<SkillHit> hits;
    for (const Sentence& s : d.sents) {
        const size_t n = s.toks.size();
        const string_view slow = d.sentence_lower(s);
        const bool line_start = s.b == 0 || d.text[s.b - 1] == '\n';
        const size_t line_end = std::min(d.text.find('\n', s.b), d.text.size());
        const bool whole_line = line_start && s.e == line_end;
        if (line_start) ++lines_seen;
        double mult = section;
        // A heading alone on its line ("Requirements:", "Nice to have") sets the weight of the
        // lines below it; an inline label ("Must have: Go, SQL") only of its own line.
        const size_t label = content_start(d, s);
        const string_view line_text = trim(d.sentence_text(s));
        const bool list_item = line_text.front() == '-' || line_text.front() == '*' ||
                               line_text.front() == '+' || is_digit(line_text.front());
        if (whole_line && !list_item && n <= 8 && (label == n || label == 0)) {
            const string_view last = line_text;
            const bool heading_form = last.back() == ':' || (n <= 4 && last.back() != '.');
            const double h = heading_form ? heading_weight(slow) : 0;
            if (h > 0) {
                section = h;
                continue;
            }
        }
        if (label > 0) {
            const Token& t = s.toks[label - 1];
            const double h = heading_weight(d.low.substr(s.b, t.pos + t.len - s.b));
            if (h > 0) mult = h;
        }
        const bool title_lines = line_start && lines_seen <= 2 && n <= 14;
        if (title_lines && mult == kNormal) mult = kTitleLines;
        if (optional_phrase(slow)) {
            mult = std::min(mult, kOptional);
        } else if (required_phrase(slow)) {
            mult = std::max(mult, kRequired);
        }

        // Certifications and licences ("ACLS certification" and "ACLS" are one term).
        bool is_cert = false;
        std::vector<string> certs;
        std::vector<Span> cert_spans;
        for (const string& c : find_certifications(d, s, is_cert)) {
            const size_t at = ifind(slow, lower_copy(c), 0);
            if (at != string_view::npos) cert_spans.push_back({s.b + at, s.b + at + c.size()});
            string name = c;
            for (string_view tail :
                 {string_view(" certification"), string_view(" certificate"),
                  string_view(" certified"), string_view(" license"), string_view(" licence")}) {
                if (name.size() > tail.size() + 1 &&
                    iequals(string_view(name).substr(name.size() - tail.size()), tail))
                    name.resize(name.size() - tail.size());
            }
            certs.push_back(lower_copy(c));
            certs.push_back(lower_copy(name));
            terms.add(TermKind::Certification, lower_copy(name), name, mult, order++);
        }

        // Skills, by the lexicon ("AWS" in "AWS D1.1 certification" is the welding society).
        hits.clear();
        scan_skills(d.text, d.low, s.b, s.e, hits);
        std::erase_if(hits, [&](const SkillHit& h) {
            return std::any_of(cert_spans.begin(), cert_spans.end(),
                               [&](const Span& c) { return h.pos >= c.b && h.pos < c.e; });
        });
        for (const SkillHit& h : hits) {
            const string_view name = kSkills[h.skill].name;
            terms.add(TermKind::Skill, lower_copy(name), string(name), mult, order++);
        }
        const auto in_skill = [&](size_t pos) {
            return std::any_of(hits.begin(), hits.end(), [&](const SkillHit& h) {
                return pos >= h.pos && pos < h.pos + h.len;
            });
        };

        // The job title, from the first lines.
        const std::vector<TitleHit> titles = !title_found && (title_lines || lines_seen <= 3)
                                                 ? find_titles(d, s)
                                                 : std::vector<TitleHit>{};
        if (!titles.empty()) {
            const TitleHit& t = titles.front();
            std::vector<string_view> words;
            for (size_t i = t.first; i <= t.last; ++i) {
                const string_view lw = d.lword(s.toks[i]);
                if (words.empty() && (has_word(kSeniority, lw) || lw == "sr" || lw == "jr") &&
                    i < t.last)
                    continue;  // "Senior Data Scientist" asks for a data scientist
                words.push_back(d.word(s.toks[i]));
            }
            string display;
            for (string_view w : words)
                display += (display.empty() ? "" : " ") + title_word(lower_copy(w));
            terms.add(TermKind::Title, lower_copy(display), display, std::max(mult, kTitleLines),
                      order++);
            title_found = true;
        }

        // Degrees: the lowest one a sentence names ("Bachelor's or Master's") satisfies it.
        int min_level = 99;
        string exact_name;
        for (size_t k = 0; k < n; ++k) {
            const Degree* dg = degree_at(d, s, k);
            std::vector<string_view> found;
            if (dg != nullptr) {
                found.push_back(dg->display);
            } else if (d.word(s.toks[k]).find('/') != string_view::npos) {
                // "BS/MS in Computer Science"
                string_view w = d.word(s.toks[k]);
                while (!w.empty()) {
                    const size_t slash = w.find('/');
                    const string_view part = w.substr(0, slash);
                    for (const Degree& g : kDegrees)
                        if (g.exact ? part == g.key : lower_copy(part) == g.key)
                            found.push_back(g.display);
                    w = slash == string_view::npos ? string_view{} : w.substr(slash + 1);
                }
            }
            for (string_view disp : found) {
                const DegreeInfo info = degree_info(disp);
                if (info.exact) {
                    if (exact_name.empty()) exact_name = string(disp);
                } else if (info.level > 0) {
                    min_level = std::min(min_level, info.level);
                }
            }
        }
        if (!exact_name.empty()) {
            terms.add(TermKind::Degree, lower_copy(exact_name), with_article(exact_name), mult,
                      order++, degree_level(exact_name), true);
        } else if (min_level != 99) {
            const string name = degree_name(min_level);
            terms.add(TermKind::Degree, name, with_article(name), mult, order++, min_level);
        }

        // "5+ years of experience".
        const int years = years_in(d, s);
        if (years > 0) {
            const string name = std::to_string(years) + "+ years of experience";
            terms.add(TermKind::Years, name, name, mult, order++, years);
        }

        // Key terms: acronyms ("HIPAA", "GAAP") and capitalised runs ("Epic Systems", "Joint
        // Commission") outside the company's own paragraphs and the title lines.
        if (mult <= kAbout || title_lines) continue;
        // A line in capitals ("REQUIREMENTS AND SKILLS") names no acronyms.
        const size_t nl = line_start ? string::npos : d.text.rfind('\n', s.b);
        const size_t line_begin = line_start ? s.b : (nl == string::npos ? 0 : nl + 1);
        const string_view line = string_view(d.text).substr(line_begin, line_end - line_begin);
        const bool shouting = std::none_of(line.begin(), line.end(), is_lower);
        for (size_t k = 0; k < n; ++k) {
            const Token& t = s.toks[k];
            if (in_skill(t.pos)) continue;
            const string_view w = d.word(t);
            const string_view lw = d.lword(t);
            const bool acronym = !shouting && w.size() >= 3 && w.size() <= 6 && is_upper(w[0]) &&
                                 std::all_of(w.begin(), w.end(),
                                             [](char c) { return is_upper(c) || is_digit(c); }) &&
                                 std::count_if(w.begin(), w.end(), is_upper) >= 2;
            const auto is_acronym = [&](string_view x) {
                return !shouting && x.size() >= 3 && x.size() <= 6 && is_upper(x[0]) &&
                       std::all_of(x.begin(), x.end(),
                                   [](char c) { return is_upper(c) || is_digit(c); }) &&
                       std::count_if(x.begin(), x.end(), is_upper) >= 2 && !acronym_stop(x) &&
                       find_entry(kCertAcronyms, x) == nullptr && !place_token(x);
            };
            if (acronym) {
                if (!is_acronym(w) || degree_at(d, s, k) != nullptr ||
                    std::any_of(certs.begin(), certs.end(),
                                [&](const string& c) { return contains_phrase(c, lw); }))
                    continue;
                // "PCI DSS": adjacent acronyms are one term.
                size_t m = k + 1;
                while (m < n && m - k < 3 && space_gap(d, s.toks[m]) && !in_skill(s.toks[m].pos) &&
                       is_acronym(d.word(s.toks[m])))
                    ++m;
                string display;
                for (size_t i = k; i < m; ++i) {
                    if (i > k) display += ' ';
                    display += d.word(s.toks[i]);
                }
                terms.add(TermKind::Keyword, lower_copy(display), display, mult, order++);
                k = m - 1;
                continue;
            }
            if (!starts_capital(w) || !std::all_of(w.begin(), w.end(), [](char c) {
                    return is_alpha(c) || c == '-' || c == '&' || is_high(c);
                }))
                continue;
            if (common_capital(lw) || is_title_word(lw)) continue;
            size_t m = k + 1;
            while (m < n && m - k < 4 && space_gap(d, s.toks[m]) && !in_skill(s.toks[m].pos)) {
                const string_view mw = d.word(s.toks[m]);
                const string_view ml = d.lword(s.toks[m]);
                if (!starts_capital(mw) || common_capital(ml) || is_year_token(mw) ||
                    !std::all_of(mw.begin(), mw.end(),
                                 [](char c) { return is_alpha(c) || c == '-' || is_high(c); }))
                    break;
                ++m;
            }
            // The first word of a sentence is capitalised anyway ("Valid Class A CDL", "Clean
            // MVR"): it starts a name only if the posting capitalises it mid-sentence too.
            size_t b = k;
            if (k == label && !has_word(mid_capitals, lw)) ++b;
            if (m - b >= 2) {
                string display;
                for (size_t i = b; i < m; ++i) {
                    if (i > b) display += ' ';
                    display += d.word(s.toks[i]);
                }
                const string name = lower_copy(display);
                const bool org = has_word(kOrgSuffixes, d.lword(s.toks[m - 1]));
                const bool cert = std::any_of(certs.begin(), certs.end(), [&](const string& c) {
                    return c.find(name) != string::npos || name.find(c) != string::npos;
                });
                if (!org && !cert && display.size() <= 60)
                    terms.add(TermKind::Keyword, name, display, mult, order++);
            }
            k = m - 1;
        }
    }
    return terms.finish();
}

ResumeEvidence resume_evidence(string_view resume) {
    ResumeEvidence r;
    const Facts f = analyse(resume);
    r.text = sanitize(resume);
    r.low = lower_copy(r.text);
    std::vector<SkillHit> hits;
    scan_skills(r.text, r.low, 0, r.text.size(), hits);
    for (const SkillHit& h : hits) {
        string name = lower_copy(kSkills[h.skill].name);
        if (std::find(r.skill_names.begin(), r.skill_names.end(), name) == r.skill_names.end())
            r.skill_names.push_back(std::move(name));
    }
    for (const FoundSkill& s : f.skills) {
        string name = lower_copy(s.name);
        if (std::find(r.skill_names.begin(), r.skill_names.end(), name) == r.skill_names.end())
            r.skill_names.push_back(std::move(name));
    }
    for (const Education& e : f.education) {
        r.degree_level = std::max(r.degree_level, degree_level(e.degree));
        r.degrees.push_back(e.degree);
    }
    if (!f.years.empty()) {
        r.years = 0;
        for (char c : f.years) {
            if (!is_digit(c)) break;
            r.years = r.years * 10 + (c - '0');
        }
    } else {
        // Spanned by the roles' dates; "Present" is the latest year the resume names.
        int first = 9999;
        int last = 0;
        int latest = 0;
        const auto year_of = [](const string& s) {
            for (size_t i = 0; i + 4 <= s.size(); ++i)
                if (is_year_token(string_view(s).substr(i, 4))) return std::stoi(s.substr(i, 4));
            return 0;
        };
        for (const Role& ro : f.roles) {
            const int b = year_of(ro.start);
            const int e = year_of(ro.end);
            if (b > 0) first = std::min(first, b);
            latest = std::max({latest, b, e});
            if (e > 0) last = std::max(last, e);
        }
        for (const Role& ro : f.roles)
            if (ro.end == "Present") last = std::max(last, latest);
        if (first != 9999 && last >= first) r.years = last - first;
    }
    return r;
}

bool term_matched(const PostingTerm& t, const ResumeEvidence& r) {
    switch (t.kind) {
        case TermKind::Skill:
            return std::find(r.skill_names.begin(), r.skill_names.end(), t.name) !=
                   r.skill_names.end();
        case TermKind::Degree:
            if (t.exact_degree)
                return std::any_of(r.degrees.begin(), r.degrees.end(),
                                   [&](const string& dg) { return lower_copy(dg) == t.name; });
            return r.degree_level >= t.level;
        case TermKind::Years:
            return r.years >= t.level;
        case TermKind::Title:
        case TermKind::Certification:
        case TermKind::Keyword:
            return contains_phrase(r.low, t.name);
    }
    return false;
}

}  // namespace resumate::offline::detail
