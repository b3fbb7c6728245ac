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

void analyse_sentence(const Doc& d, const Sentence& s, int off, Section section, Facts& f,
                      size_t& cur) {
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
        is_cert = true;
        if (certs.empty()) {
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
    if (!is_edu && !target && !structural) employers = find_employers(d, s, f.name, titles);

    for (const TitleHit& t : titles) push_unique(f.titles, t.text);
    for (const Education& e : edu) {
        bool dup = false;
        for (const Education& x : f.education)
            dup = dup || (iequals(x.degree, e.degree) && iequals(x.institution, e.institution));
        if (!dup && f.education.size() < kMaxEducation) f.education.push_back(e);
    }
    for (const string& c : certs)
        if (f.certifications.size() < kMaxCertifications) push_unique(f.certifications, c);
    for (const string& l : listed) add_skill(f, l, Cat::Other);

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
    const string title = titles.empty() ? string() : titles.front().text;
    if (!employers.empty()) {
        for (size_t i = 0; i < employers.size(); ++i) {
            const string& emp = employers[i].text;
            size_t r = kNone;
            for (size_t j = 0; j < f.roles.size() && r == kNone; ++j)
                if (same_org(f.roles[j].employer, emp)) r = j;
            if (r == kNone) {
                ++f.employers;
                if (cur != kNone && f.roles[cur].employer.empty() &&
                    (title.empty() || f.roles[cur].title.empty() ||
                     iequals(f.roles[cur].title, title))) {
                    r = cur;
                } else {
                    r = new_role(f);
                }
                if (f.roles[r].employer.empty()) f.roles[r].employer = emp;
            }
            if (i == 0) {
                if (!title.empty() && f.roles[r].title.empty()) f.roles[r].title = title;
                apply_dates(f.roles[r], dates);
                cur = r;
            }
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
    for (const SkillHit& h : hits) {
        if (name && h.pos < name->end && h.pos + h.len > name->pos) continue;  // "Sam Jenkins"
        add_skill(f, kSkills[h.skill].name, kSkills[h.skill].cat);
    }
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
        if (after_blank && section == Section::Summary) section = Section::None;
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
        analyse_sentence(d, s, off, line_section, f, cur);
    }
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
