#include "offline/facts.hpp"

#include "offline/detail/extract.hpp"
#include "offline/detail/markdown.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::offline {

namespace {

using detail::has_placeholder;
using detail::md_unescape;
using detail::MdKind;
using detail::string;
using detail::string_view;

// Free text: the writer's own analysis.
ResumeFacts facts_of_text(string_view text) {
    const detail::Facts f = detail::analyse(text);
    ResumeFacts out;
    out.name = f.name;
    if (!f.titles.empty()) out.label = f.titles.front();
    out.email = f.contacts.email;
    out.phone = f.contacts.phone;
    out.location = f.location;
    out.linkedin = f.contacts.linkedin;
    out.github = f.contacts.github;
    out.website = f.contacts.website;
    out.summary = f.summary;
    for (const detail::Role& r : f.roles) {
        out.roles.push_back({r.title, r.employer, r.start, r.end, {}});
        // Bullets are kept Markdown-escaped ("\[a portal\]"): a bracket left bare is ours.
        for (const string& b : r.bullets)
            if (!has_placeholder(b)) out.roles.back().highlights.push_back(md_unescape(b));
    }
    for (const detail::Education& e : f.education) {
        out.education.push_back({e.degree, e.institution, e.year});
    }
    for (const detail::FoundSkill& s : f.skills) {
        out.skills.push_back({s.name, detail::group_label(s.cat)});
    }
    out.certifications = f.certifications;
    for (const string& p : f.projects)
        if (!has_placeholder(p)) out.projects.push_back(md_unescape(p));
    return out;
}

// A skill as the lexicon spells it ("postgres" -> PostgreSQL) when the item is exactly one.
void add_skill_item(string_view raw, string_view group, ResumeFacts& out) {
    raw = detail::trim(raw);
    while (!raw.empty() && (raw.back() == '.' || raw.back() == ' ')) raw.remove_suffix(1);
    if (raw.empty() || has_placeholder(raw) || raw.size() > 60) return;
    const string item = md_unescape(raw);
    if (item.empty()) return;
    string name = item;
    string category(group);
    const string low = detail::lower_copy(item);
    std::vector<detail::SkillHit> hits;
    detail::scan_skills(item, low, 0, item.size(), hits);
    if (hits.size() == 1 && hits[0].pos == 0 && hits[0].len == item.size()) {
        name = string(detail::kSkills[hits[0].skill].name);
        if (category.empty()) category = detail::group_label(detail::kSkills[hits[0].skill].cat);
    }
    if (category.empty()) category = "Other";
    for (const SkillFacts& s : out.skills)
        if (detail::iequals(s.name, name)) return;
    out.skills.push_back({name, category});
}

// "B.Sc. in Physics, MIT, 2016", "J.D. — Columbia Law School, 2006", "[Degree], [University],
// [Year]".
EducationFacts education_of(string_view line) {
    std::vector<string_view> parts;
    size_t b = 0;
    while (b <= line.size()) {
        size_t e = line.find(", ", b);
        const size_t dash = line.find(" — ", b);
        size_t step = 2;
        if (dash != string_view::npos && (e == string_view::npos || dash < e)) {
            e = dash;
            step = string_view(" — ").size();
        }
        if (e == string_view::npos) {
            parts.push_back(detail::trim(line.substr(b)));
            break;
        }
        parts.push_back(detail::trim(line.substr(b, e - b)));
        b = e + step;
    }
    EducationFacts ed;
    const auto value = [](string_view raw) {
        constexpr string_view kField = " in [Field]";
        if (raw.size() > kField.size() && raw.substr(raw.size() - kField.size()) == kField)
            raw.remove_suffix(kField.size());
        return has_placeholder(raw) ? string() : md_unescape(raw);
    };
    if (!parts.empty() && parts.size() >= 2) {
        const string_view last = parts.back();
        const bool year = last.size() >= 4 && detail::is_year_token(last.substr(last.size() - 4));
        if (year || last == "[Year]") {
            ed.year = value(last);
            parts.pop_back();
        }
    }
    if (!parts.empty()) {
        ed.degree = value(parts.front());
        string institution;
        for (size_t i = 1; i < parts.size(); ++i) {
            if (!institution.empty()) institution += ", ";
            institution += parts[i];
        }
        ed.institution = value(institution);
    }
    return ed;
}

// The summary without any sentence that still holds a placeholder.
string summary_of(const std::vector<string_view>& lines) {
    string text;
    for (string_view l : lines) {
        l = detail::trim(l);
        if (l.empty()) continue;
        if (!text.empty()) text += ' ';
        text += l;
    }
    string out;
    size_t b = 0;
    while (b < text.size()) {
        size_t e = b;
        while (e < text.size()) {
            if ((text[e] == '.' || text[e] == '!' || text[e] == '?') &&
                (e + 1 == text.size() || text[e + 1] == ' ')) {
                // "Holds a B.Sc. in ..." : a period inside an abbreviation ends nothing.
                const bool abbrev = e >= 2 && text[e - 2] == '.';
                if (!abbrev) break;
            }
            ++e;
        }
        const string_view sentence = detail::trim(string_view(text).substr(b, e + 1 - b));
        if (!sentence.empty() && !has_placeholder(sentence)) {
            if (!out.empty()) out += ' ';
            out += md_unescape(sentence);
        }
        b = e + 1;
    }
    return out;
}

ResumeFacts facts_of_markdown(string_view text) {
    const detail::MdResume md = detail::parse_markdown(text);
    ResumeFacts out;
    if (md.name_line < md.lines.size()) {
        string_view name = detail::trim(md.lines[md.name_line]);
        while (!name.empty() && name.front() == '#') name.remove_prefix(1);
        if (!has_placeholder(name)) out.name = md_unescape(name);
    }
    // The contact block: the writer's analysis of those few lines.
    string header;
    for (size_t i = md.name_line < md.lines.size() ? md.name_line + 1 : 0; i < md.header_end; ++i) {
        header += md.lines[i];
        header += '\n';
    }
    const detail::Facts h = detail::analyse(header);
    out.email = h.contacts.email;
    out.phone = h.contacts.phone;
    out.linkedin = h.contacts.linkedin;
    out.github = h.contacts.github;
    out.website = h.contacts.website;
    out.location = h.location;
    if (!h.titles.empty()) out.label = h.titles.front();
    for (const detail::MdSection& sec : md.sections) {
        std::vector<string_view> body(md.lines.begin() + static_cast<std::ptrdiff_t>(sec.first),
                                      md.lines.begin() + static_cast<std::ptrdiff_t>(sec.last));
        switch (sec.kind) {
            case MdKind::Summary:
                if (out.summary.empty()) out.summary = summary_of(body);
                break;
            case MdKind::Skills:
                for (string_view line : body) {
                    string_view item = detail::list_item(line);
                    if (item.empty()) item = detail::trim(line);
                    string group;
                    // "- **Languages:** C++, Go"
                    const size_t colon = item.find(":");
                    if (colon != string_view::npos && colon < 48) {
                        group = md_unescape(item.substr(0, colon));
                        item = item.substr(colon + 1);
                        while (!item.empty() && (item.front() == '*' || item.front() == ' '))
                            item.remove_prefix(1);
                    }
                    size_t b = 0;
                    while (b < item.size()) {
                        size_t e = item.find_first_of(",;|", b);
                        if (e == string_view::npos) e = item.size();
                        add_skill_item(item.substr(b, e - b), group, out);
                        b = e + 1;
                    }
                }
                break;
            case MdKind::Experience:
                for (size_t i = 0; i < body.size(); ++i) {
                    const string_view line = detail::trim(body[i]);
                    const bool role_heading = line.substr(0, 4) == "### ";
                    const bool bold_heading = line.size() > 4 && line.substr(0, 2) == "**" &&
                                              detail::list_item(line).empty();
                    if (role_heading || bold_heading) {
                        const string_view head = role_heading ? line.substr(4) : line;
                        size_t next = i + 1;
                        while (next < body.size() && detail::trim(body[next]).empty()) ++next;
                        const string_view date_line =
                            next < body.size() ? detail::trim(body[next]) : string_view{};
                        const string bold = role_heading ? string() : md_unescape(head);
                        const detail::MdRole r =
                            detail::parse_role_heading(role_heading ? head : bold, date_line);
                        out.roles.push_back({r.title, r.employer, r.start, r.end, {}});
                        continue;
                    }
                    const string_view item = detail::list_item(line);
                    if (item.empty() || has_placeholder(item)) continue;
                    if (out.roles.empty()) out.roles.emplace_back();
                    out.roles.back().highlights.push_back(md_unescape(item));
                }
                break;
            case MdKind::Education:
                for (string_view line : body) {
                    string_view item = detail::list_item(line);
                    if (item.empty()) item = detail::trim(line);
                    if (item.empty()) continue;
                    EducationFacts e = education_of(item);
                    if (!e.degree.empty() || !e.institution.empty() || !e.year.empty())
                        out.education.push_back(std::move(e));
                }
                break;
            case MdKind::Certifications:
            case MdKind::Projects:
                for (string_view line : body) {
                    string_view item = detail::list_item(line);
                    if (item.empty()) item = detail::trim(line);
                    if (item.empty() || has_placeholder(item)) continue;
                    (sec.kind == MdKind::Projects ? out.projects : out.certifications)
                        .push_back(md_unescape(item));
                }
                break;
            case MdKind::Other:
                break;
        }
    }
    if (out.label.empty())
        for (const RoleFacts& r : out.roles)
            if (out.label.empty()) out.label = r.title;
    return out;
}

void clear_placeholder(string& s) {
    if (has_placeholder(s)) s.clear();
}

}  // namespace

std::vector<std::string> skills_in(std::string_view text) {
    const string clean = detail::sanitize(text);
    const string low = detail::lower_copy(clean);
    std::vector<detail::SkillHit> hits;
    detail::scan_skills(clean, low, 0, clean.size(), hits);
    std::vector<std::string> out;
    for (const detail::SkillHit& h : hits) {
        const std::string name(detail::kSkills[h.skill].name);
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    return out;
}

ResumeFacts read_facts(std::string_view text) {
    ResumeFacts out =
        detail::is_markdown_resume(text) ? facts_of_markdown(text) : facts_of_text(text);
    // No [Placeholder] is ever a fact, whatever the text held.
    for (string* s : {&out.name, &out.label, &out.email, &out.phone, &out.location, &out.linkedin,
                      &out.github, &out.website, &out.summary})
        clear_placeholder(*s);
    for (RoleFacts& r : out.roles)
        for (string* s : {&r.title, &r.employer, &r.start, &r.end}) clear_placeholder(*s);
    std::erase_if(out.roles, [](const RoleFacts& r) {
        return r.title.empty() && r.employer.empty() && r.highlights.empty() && r.start.empty();
    });
    for (EducationFacts& e : out.education)
        for (string* s : {&e.degree, &e.institution, &e.year}) clear_placeholder(*s);
    std::erase_if(out.skills, [](const SkillFacts& s) { return has_placeholder(s.name); });
    std::erase_if(out.certifications, [](const string& c) { return has_placeholder(c); });
    return out;
}

}  // namespace resumate::offline
