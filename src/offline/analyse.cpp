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
// Assembly: one pass over the sentences builds roles in the order the user mentions them.

void add_skill(Facts& f, string_view name, Cat cat) {
    if (f.skills.size() >= kMaxSkills) return;
    for (const FoundSkill& s : f.skills)
        if (iequals(s.name, name)) return;
    f.skills.push_back({string(name), cat});
}

size_t new_role(Facts& f) {
    if (f.roles.size() >= kMaxRoles) return f.roles.size() - 1;
    f.roles.emplace_back();
    return f.roles.size() - 1;
}

void apply_dates(Role& r, const std::optional<DateRange>& dates) {
    if (dates && r.start.empty()) {
        r.start = dates->start;
        r.end = dates->end;
    }
}

// Sentences about the job the user wants, not one they held.
bool is_target_sentence(string_view low) {
    static constexpr auto kTarget = std::to_array<string_view>({
        "seeking",
        "looking for",
        "aspiring",
        "objective",
        "want to",
        "would like",
        "hoping to",
        "targeting",
        "interested in",
        "transition into",
        "career change",
        "dream job",
        "apply for",
        "applying for",
    });
    return std::any_of(kTarget.begin(), kTarget.end(),
                       [&](string_view t) { return contains_phrase(low, t); });
}

// What the sentence pass collects for the end of the analysis: skills listed by name, and where
// employers are named (a skill inside "Swift Transportation" is no skill).
struct Pending {
    std::vector<string> listed;
    std::vector<Span> orgs;
};

// "2019 - 2024", "Mar 2019 - Present": nothing but a date range.
bool dates_only(const Doc& d, const Sentence& s) {
    for (const Token& t : s.toks) {
        const string_view lw = d.lword(t);
        if (!(is_year_token(lw) || find_entry(kMonths, lw) != nullptr || lw == "present" ||
              lw == "now" || lw == "current" || lw == "to" || lw == "since" || lw == "today"))
            return false;
    }
    return find_dates(d, s).has_value();
}

void analyse_sentence(const Doc& d, const Sentence& s, int off, Section section, Facts& f,
                      size_t& cur, Pending& pending) {
    constexpr size_t kNone = static_cast<size_t>(-1);
    const string_view low = d.sentence_lower(s);
    const size_t start = content_start(d, s);
    if (start == 0 && section_heading(d, s).has_value()) return;  // a bare heading line
    if (section == Section::Ignore) return;  // hobbies, references, spoken languages

    const std::vector<TitleHit> titles = find_titles(d, s);
    bool is_edu = false;
    const std::vector<Education> edu = find_education(d, s, section == Section::Education, is_edu);
    bool is_cert = false;
    std::vector<string> certs = find_certifications(d, s, is_cert);
    if (section == Section::Certifications) {
        // "AWS Solutions Architect, Google Data Engineer": every item of the list counts.
        // The items as written win over the acronyms found in them ("Class A CDL with HazMat
        // endorsement", not "CDL").
        is_cert = true;
        certs.clear();
        const string_view text = d.display;
        size_t b = s.toks[start].pos;
        while (b < s.e) {
            size_t e = b;
            while (e < s.e && text[e] != ',' && text[e] != ';' && text[e] != '|') ++e;
            string_view item = trim(text.substr(b, e - b));
            // Only the words: no trailing period, no leading list or heading marks.
            while (!item.empty() && !is_alnum(item.front()) && !is_high(item.front()))
                item.remove_prefix(1);
            while (!item.empty() && (item.back() == '.' || item.back() == ' '))
                item.remove_suffix(1);
            if (item.size() >= 2 && item.size() <= 80) push_unique(certs, string(item));
            b = e + 1;
        }
    }
    std::vector<string> listed;
    find_listed_skills(d, s, section == Section::Skills, listed);
    const bool is_project =
        section == Section::Projects ||
        std::any_of(kProjectMarkers.begin(), kProjectMarkers.end(),
                    [&](string_view m) { return low.find(m) != string_view::npos; });
    const bool target = section == Section::Summary || is_target_sentence(low);
    const bool structural = section == Section::Skills || section == Section::Education ||
                            section == Section::Certifications;
    std::vector<EmployerHit> employers;
    if (!is_edu && !target && !structural) {
        employers = find_employers(d, s, f.name, titles);
    } else if (!is_edu && target) {
        // "Experience includes work at Zenith Bank Plc": no role, but no skill "PLC" either.
        for (const EmployerHit& e : find_employers(d, s, f.name, titles))
            pending.orgs.push_back({s.toks[e.first].pos, s.toks[e.first].pos + e.text.size()});
    }
    // CV lines that name the employer on a line of its own, with the dates: "Max Planck
    // Institute for Molecular Genetics, Berlin (2021 - present)" under a title line.
    if (employers.empty() && titles.empty() && !is_edu && !is_cert && !target && !structural &&
        listed.empty() && start < s.toks.size() && find_dates(d, s).has_value()) {
        string cand;
        const size_t end = collect_proper(d, s, start, 6, cand);
        const bool separated = end >= s.toks.size() || !space_gap(d, s.toks[end]);
        const bool place = (cand.find(' ') == string::npos && place_token(cand));
        if (separated && !place && employer_ok(cand, f.name)) employers.push_back({start, cand});
    }

    for (const TitleHit& t : titles) push_unique(f.titles, t.text);
    for (const Education& e : edu) {
        // The same degree named twice ("MBA, INSEAD, 2013" and "Holds an MBA") is one entry.
        bool dup = false;
        for (Education& x : f.education) {
            if (dup || !iequals(x.degree, e.degree)) continue;
            if (x.institution.empty() || e.institution.empty() ||
                iequals(x.institution, e.institution)) {
                if (x.institution.empty()) x.institution = e.institution;
                if (x.year.empty()) x.year = e.year;
                dup = true;
            }
        }
        if (!dup && f.education.size() < kMaxEducation) f.education.push_back(e);
    }
    for (const string& c : certs)
        if (f.certifications.size() < kMaxCertifications) push_unique(f.certifications, c);
    for (const string& l : listed) push_unique(pending.listed, l);
    for (const EmployerHit& e : employers)
        pending.orgs.push_back({s.toks[e.first].pos, s.toks[e.first].pos + e.text.size()});

    bool present_only = false;
    std::optional<string> bullet;
    if (!is_edu && !is_cert && listed.empty() && !structural && (!target || is_project))
        bullet = find_bullet(d, s, !titles.empty() || !employers.empty(), present_only);
    // "I write poems on weekends" is not an achievement; "Built a recipe app" is.
    if (bullet && present_only && off >= 4) bullet.reset();
    if (!bullet) f.off_score += off;

    if (is_project) {
        std::optional<string> text = bullet;
        if (!text && start < s.toks.size())
            text = clean_bullet(
                string_view(d.display).substr(s.toks[start].pos, s.e - s.toks[start].pos));
        if (text && f.projects.size() < kMaxProjects && push_unique(f.projects, *text)) ++f.bullets;
        return;
    }
    if (is_edu || target || structural) return;

    const std::optional<DateRange> dates =
        (!employers.empty() || !titles.empty()) ? find_dates(d, s) : std::nullopt;
    // A line holding only dates ("Jan 2019 - Present") under a role's heading line.
    if (employers.empty() && titles.empty() && cur != kNone && f.roles[cur].start.empty() &&
        dates_only(d, s))
        apply_dates(f.roles[cur], find_dates(d, s));
    const string title = titles.empty() ? string() : titles.front().text;
    if (!employers.empty()) {
        // Several jobs in one sentence ("VP at Movile (2014-2019) and an engineering manager at
        // ThoughtWorks (2008-2014)"): each employer takes the title and dates nearest to it.
        std::vector<EmployerHit> emps = employers;
        std::stable_sort(emps.begin(), emps.end(), [](const EmployerHit& a, const EmployerHit& b) {
            return a.first < b.first;
        });
        const size_t n = s.toks.size();
        for (size_t i = 0; i < emps.size(); ++i) {
            const string& emp = emps[i].text;
            const size_t lo = i == 0 ? 0 : emps[i - 1].first + 1;
            const size_t at = emps[i].first;
            const size_t hi = i + 1 < emps.size() ? emps[i + 1].first : n;
            string own_title;
            std::optional<DateRange> own_dates;
            if (emps.size() == 1) {
                own_title = title;
                own_dates = dates;
            } else {
                for (const TitleHit& t : titles)
                    if (t.first >= lo && t.last < at) own_title = t.text;
                if (own_title.empty()) {
                    for (const TitleHit& t : titles) {
                        if (t.first > at && t.first < hi) {
                            own_title = t.text;
                            break;
                        }
                    }
                }
                const size_t b = s.toks[at].pos;
                const size_t e = hi < n ? s.toks[hi].pos : s.e;
                own_dates = find_dates(d, Sentence{b, e, {}});
                if (!own_dates && lo < at)
                    own_dates = find_dates(d, Sentence{s.toks[lo].pos, b, {}});
            }
            size_t r = kNone;
            for (size_t j = 0; j < f.roles.size() && r == kNone; ++j)
                if (same_org(f.roles[j].employer, emp)) r = j;
            if (r == kNone) {
                ++f.employers;
                if (cur != kNone && f.roles[cur].employer.empty() &&
                    (own_title.empty() || f.roles[cur].title.empty() ||
                     iequals(f.roles[cur].title, own_title))) {
                    r = cur;
                } else {
                    r = new_role(f);
                }
                if (f.roles[r].employer.empty()) f.roles[r].employer = emp;
            }
            if (!own_title.empty() && f.roles[r].title.empty()) f.roles[r].title = own_title;
            apply_dates(f.roles[r], own_dates);
            if (i == 0) cur = r;
        }
    } else if (!title.empty()) {
        if (cur == kNone) {
            cur = new_role(f);
            f.roles[cur].title = title;
        } else if (f.roles[cur].title.empty()) {
            f.roles[cur].title = title;
        } else if (!iequals(f.roles[cur].title, title)) {
            cur = new_role(f);
            if (f.roles[cur].title.empty()) f.roles[cur].title = title;
        }
        apply_dates(f.roles[cur], dates);
    }
    if (bullet) {
        if (cur == kNone) cur = new_role(f);
        Role& r = f.roles[cur];
        if (r.bullets.size() < kMaxBulletsPerRole && push_unique(r.bullets, *bullet)) ++f.bullets;
    }
}

// The writer's own placeholders ("[Your Email]", "[Skill 1]", "[X] years"), as in a resume it
// wrote that comes back: gaps, not facts. User text in brackets ("[a portal]") stays.
bool writer_placeholder(string_view inner) {
    static constexpr auto kPlaceholders = std::to_array<string_view>({
        "Your Name",
        "Your Email",
        "Your Phone",
        "LinkedIn URL",
        "Your Title",
        "X",
        "your field",
        "Job Title",
        "Company Name",
        "Start Date",
        "End Date",
        "Degree",
        "University",
        "Year",
        "Field",
    });
    if (std::find(kPlaceholders.begin(), kPlaceholders.end(), inner) != kPlaceholders.end())
        return true;
    return (inner.substr(0, 6) == "Skill " && inner.size() <= 8) ||
           inner.substr(0, 15) == "Key achievement" || inner.substr(0, 15) == "Add one or two ";
}

void blank_placeholders(string& clean, string& low) {
    for (size_t open = clean.find('['); open != string::npos; open = clean.find('[', open + 1)) {
        if (open > 0 && clean[open - 1] == '\\') continue;
        const size_t close = clean.find(']', open + 1);
        if (close == string::npos || close - open > 120) continue;
        if (!writer_placeholder(string_view(clean).substr(open + 1, close - open - 1))) continue;
        std::fill(clean.begin() + static_cast<std::ptrdiff_t>(open),
                  clean.begin() + static_cast<std::ptrdiff_t>(close + 1), ' ');
        std::fill(low.begin() + static_cast<std::ptrdiff_t>(open),
                  low.begin() + static_cast<std::ptrdiff_t>(close + 1), ' ');
    }
}

// The user's own summary: the sentences under a "Summary"/"Profile" heading, as written.
void add_summary(const Doc& d, const Sentence& s, Facts& f) {
    constexpr size_t kMaxSummaryBytes = 600;
    const size_t start = content_start(d, s);
    if (start >= s.toks.size() || (start == 0 && section_heading(d, s).has_value())) return;
    string_view text =
        trim(string_view(d.display).substr(s.toks[start].pos, s.e - s.toks[start].pos));
    while (!text.empty() && (text.front() == '-' || text.front() == '*' || text.front() == ' '))
        text.remove_prefix(1);
    if (text.size() < 12 || f.summary.size() + text.size() > kMaxSummaryBytes) return;
    // A summary the writer wrote with gaps ("[X] years") is not the user's: it is written anew.
    const string_view display = d.display;
    const size_t line_b =
        display.rfind('\n', s.b) == string_view::npos ? 0 : display.rfind('\n', s.b) + 1;
    const string_view line =
        display.substr(line_b, std::min(display.find('\n', s.b), display.size()) - line_b);
    for (size_t open = line.find('['); open != string_view::npos; open = line.find('[', open + 1)) {
        const size_t close = line.find(']', open);
        if (close != string_view::npos &&
            writer_placeholder(line.substr(open + 1, close - open - 1)))
            return;
    }
    if (!f.summary.empty()) f.summary = end_sentence(f.summary) + ' ';
    f.summary += text;
}

Facts analyse(string_view input) {
    Facts f;
    string clean = sanitize(input);
    string low = lower_copy(clean);
    const std::vector<Span> spans = split_sentences(clean);
    // Instructions aimed at the model are removed before anything reads the text, so they can
    // neither steer the output nor be echoed into it.
    const std::vector<PhraseHit> injections =
        scan_phrases(low, kInjectionPhrases, injection_index());
    for (const Span& sp : spans) {
        const bool injected =
            std::any_of(injections.begin(), injections.end(),
                        [&](const PhraseHit& h) { return h.pos >= sp.b && h.pos < sp.e; });
        if (injected) {
            std::fill(clean.begin() + static_cast<std::ptrdiff_t>(sp.b),
                      clean.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
            std::fill(low.begin() + static_cast<std::ptrdiff_t>(sp.b),
                      low.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
        }
    }
    string display = clean;
    blank_placeholders(clean, low);
    find_emails(clean, f.contacts);
    find_urls(clean, low, f.contacts);
    find_phones(clean, low, f.contacts);
    for (const Span& sp : f.contacts.spans) {
        std::fill(clean.begin() + static_cast<std::ptrdiff_t>(sp.b),
                  clean.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
        std::fill(low.begin() + static_cast<std::ptrdiff_t>(sp.b),
                  low.begin() + static_cast<std::ptrdiff_t>(sp.e), ' ');
    }
    Doc d;
    d.text = std::move(clean);
    d.display = std::move(display);
    d.low = std::move(low);
    for (const Span& sp : spans) {
        std::vector<Token> toks = tokenize(d.text, sp.b, sp.e);
        if (!toks.empty()) d.sents.push_back({sp.b, sp.e, std::move(toks)});
    }

    bool explicit_name = false;
    const std::optional<NameHit> name = find_name(d, explicit_name);
    if (name) {
        f.name = name->text;
        f.name_explicit = explicit_name;
    }
    std::optional<string> years = find_years(d, false);
    if (!years) years = find_years(d, true);
    f.years = years.value_or("");
    f.location = find_location(d);
    std::vector<SkillHit> hits;
    scan_skills(d.text, d.low, 0, d.text.size(), hits);
    Pending pending;
    // Phrase tables are scanned once over the whole text; off-topic hits are then attributed to
    // their sentences by position.
    for (const PhraseHit& h : scan_phrases(d.low, kCareerPhrases, career_index()))
        f.career_words += kCareerPhrases[h.id].weight;
    const std::vector<PhraseHit> markers = scan_phrases(d.low, kOffTopicPhrases, off_topic_index());
    size_t cur = static_cast<size_t>(-1);
    size_t m = 0;
    // A heading alone on its line ("Education") holds until the next heading; an inline label
    // ("Skills: Go, SQL", "Contact: ...") only covers its own line.
    Section section = Section::None;
    Section line_section = Section::None;
    for (const Sentence& s : d.sents) {
        int off = 0;  // hits and sentences are both in text order
        while (m < markers.size() && markers[m].pos < s.b) ++m;
        for (; m < markers.size() && markers[m].pos < s.e; ++m)
            off += kOffTopicPhrases[markers[m].id].weight;
        const bool line_start = s.b == 0 || d.text[s.b - 1] == '\n';
        const bool after_blank = s.b >= 2 && d.text[s.b - 1] == '\n' && d.text[s.b - 2] == '\n';
        // A summary is one paragraph: a blank line after its text ends it.
        if (after_blank && section == Section::Summary && !f.summary.empty())
            section = Section::None;
        if (line_start) {
            const std::optional<Section> heading = section_heading(d, s);
            const bool inline_label = content_start(d, s) > 0;
            if (heading && !inline_label) section = *heading;
            line_section = section;
            if (heading && inline_label) {
                line_section = *heading;
            } else if (inline_label && section != Section::Skills &&
                       section != Section::Certifications) {
                line_section = Section::None;  // "Internship: ..." is not part of a Projects list
            }
        }
        if (line_section == Section::Summary) add_summary(d, s, f);
        analyse_sentence(d, s, off, line_section, f, cur, pending);
    }
    const auto inside = [](const SkillHit& h, size_t b, size_t e) {
        return h.pos < e && h.pos + h.len > b;
    };
    for (const SkillHit& h : hits) {
        if (name && inside(h, name->pos, name->end)) continue;  // "Sam Jenkins"
        if (std::any_of(pending.orgs.begin(), pending.orgs.end(),
                        [&](const Span& o) { return inside(h, o.b, o.e); }))
            continue;  // "Swift Transportation", "Oracle"
        add_skill(f, kSkills[h.skill].name, kSkills[h.skill].cat);
    }
    for (const string& l : pending.listed) add_skill(f, l, Cat::Other);
    std::erase_if(f.skills, [&](const FoundSkill& sk) {
        return std::any_of(f.roles.begin(), f.roles.end(),
                           [&](const Role& r) { return iequals(r.employer, sk.name); });
    });
    return f;
}

// Career evidence against off-topic markers. Structured facts weigh most; capped so one long
// list cannot outvote a clear "write me a poem".
bool is_off_topic(const Facts& f) {
    const auto n = [](size_t v) { return static_cast<int>(std::min<size_t>(v, 100)); };
    int career = std::min(8, 2 * n(f.skills.size())) + std::min(6, 3 * n(f.titles.size())) +
                 std::min(6, 3 * n(f.employers)) + (f.years.empty() ? 0 : 3) +
                 std::min(6, 3 * n(f.education.size())) + std::min(6, 2 * n(f.bullets)) +
                 std::min(4, 2 * n(f.certifications.size())) + std::min(10, f.career_words);
    if (!f.name.empty()) career += f.name_explicit ? 3 : 1;
    const int contacts = (f.contacts.email.empty() ? 0 : 1) + (f.contacts.phone.empty() ? 0 : 1) +
                         (f.contacts.linkedin.empty() && f.contacts.github.empty() ? 0 : 1);
    career += std::min(4, 2 * contacts);
    return career < 3 || f.off_score >= career;
}

}  // namespace resumate::offline::detail
