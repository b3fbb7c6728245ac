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
// Rendering.

string group_label(Cat c) {
    switch (c) {
        case Cat::Lang:
            return "Languages";
        case Cat::Frame:
            return "Frameworks & Libraries";
        case Cat::Data:
            return "Data & Databases";
        case Cat::Cloud:
            return "Cloud & Infrastructure";
        case Cat::Tool:
            return "Tools & Practices";
        case Cat::Soft:
            return "Professional Skills";
        case Cat::Other:
            return "Other";
    }
    return "Other";
}

// "an MBA", "an M.Sc.", "a B.Sc.", "a Master's": by the sound of the first letter.
string article_for(string_view degree) {
    if (degree.empty()) return "a";
    const char c = degree[0];
    if (c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U') return "an";
    const bool acronym = degree.size() > 1 && (degree[1] == '.' || is_upper(degree[1]));
    return acronym && string_view("FHLMNRSX").find(c) != string_view::npos ? "an" : "a";
}

// The first sentences of the user's own summary, as written.
string user_summary(const Facts& f) {
    return end_sentence(tidy_punctuation(escape_md(f.summary)));
}

string summary_of(const Facts& f) {
    if (!f.summary.empty()) return user_summary(f);
    std::vector<string> tech;
    std::vector<string> soft;
    for (const FoundSkill& s : f.skills) {
        if (s.cat == Cat::Soft) {
            if (soft.size() < 3) {
                // Mid-sentence the soft skills read as plain words: "leadership and mentoring".
                string w = s.name;
                for (size_t i = 0; i < w.size(); ++i)
                    if ((i == 0 || w[i - 1] == ' ') && is_upper(w[i]) && i + 1 < w.size() &&
                        is_lower(w[i + 1]))
                        w[i] = to_lower(w[i]);
                soft.push_back(escape_md(w));
            }
        } else if (tech.size() < 3) {
            // "DevOps Engineer with ... in DevOps" says nothing new.
            if (!f.titles.empty() &&
                lower_copy(f.titles.front()).find(lower_copy(s.name)) != string::npos)
                continue;
            tech.push_back(escape_md(s.name));
        }
    }
    std::vector<string> sentences;
    string first = f.titles.empty() ? string("[Your Title]") : escape_md(f.titles.front());
    first += " with " + (f.years.empty() ? string("[X]") : f.years) + " years of experience";
    if (!tech.empty()) {
        first += " in " + join_and(tech);
    } else if (f.titles.empty()) {
        first += " in [your field]";
    }
    sentences.push_back(end_sentence(first));
    std::vector<string> employers;
    for (const Role& r : f.roles)
        if (!r.employer.empty() && employers.size() < 3) employers.push_back(escape_md(r.employer));
    if (!employers.empty())
        sentences.push_back(end_sentence("Experience includes work at " + join_and(employers)));
    if (!soft.empty()) {
        sentences.push_back(end_sentence("Strengths include " + join_and(soft)));
    } else if (sentences.size() < 3 && !f.education.empty() &&
               !f.education.front().degree.empty()) {
        const Education& e = f.education.front();
        const string_view unknown = "[Degree] in ";
        if (e.degree.substr(0, unknown.size()) == unknown) {
            // The kind of degree was not stated, so do not claim one.
            sentences.push_back(
                end_sentence("Background in " + escape_md(e.degree.substr(unknown.size()))));
        } else {
            const bool expected = e.year.substr(0, 8) == "Expected";
            sentences.push_back(end_sentence(string(expected ? "Pursuing " : "Holds ") +
                                             article_for(e.degree) + " " + escape_md(e.degree)));
        }
    }
    if (sentences.size() == 1)
        sentences.emplace_back(
            "[Add one or two sentences about your key strengths and the role you are targeting.]");
    string out;
    for (size_t i = 0; i < sentences.size() && i < 3; ++i) {
        if (i > 0) out += ' ';
        out += sentences[i];
    }
    return out;
}

// The degree as stated; "[Degree] in X" keeps our placeholder unescaped, and a degree whose field
// is not known gets one ("M.Sc. in [Field]").
string degree_text(const string& degree) {
    constexpr string_view kUnknown = "[Degree]";
    if (degree.empty()) return string(kUnknown);
    if (degree.substr(0, kUnknown.size()) == kUnknown)
        return string(kUnknown) + escape_md(string_view(degree).substr(kUnknown.size()));
    if (generic_degree(degree)) return escape_md(degree) + " in [Field]";
    return escape_md(degree);
}

// One line of the Education section: "B.Sc. in Physics, MIT, 2016". A degree that ends with an
// abbreviation's period ("J.D.") is set off with a dash rather than a comma.
string education_line(const Education& e) {
    const string degree = degree_text(e.degree);
    const bool dotted = !degree.empty() && degree.back() == '.';
    return degree + (dotted ? " — " : ", ") +
           (e.institution.empty() ? string("[University]") : escape_md(e.institution)) + ", " +
           (e.year.empty() ? string("[Year]") : escape_md(e.year));
}

string render(const Facts& f) {
    string out;
    out += "# " + (f.name.empty() ? string("[Your Name]") : escape_md(f.name)) + "\n\n";

    std::vector<string> contact;
    if (!f.location.empty()) contact.push_back(escape_md(f.location));
    contact.push_back(f.contacts.email.empty() ? "[Your Email]" : escape_md(f.contacts.email));
    contact.push_back(f.contacts.phone.empty() ? "[Your Phone]" : escape_md(f.contacts.phone));
    contact.push_back(f.contacts.linkedin.empty() ? "[LinkedIn URL]"
                                                  : escape_md(f.contacts.linkedin));
    if (!f.contacts.github.empty()) contact.push_back(escape_md(f.contacts.github));
    if (!f.contacts.website.empty()) contact.push_back(escape_md(f.contacts.website));
    for (const string& u : f.contacts.more_urls) contact.push_back(escape_md(u));
    for (size_t i = 0; i < contact.size(); ++i) out += (i > 0 ? " | " : "") + contact[i];
    out += "\n\n## Professional Summary\n\n" + summary_of(f) + "\n\n## Skills\n\n";

    if (f.skills.empty()) {
        out += "- [Skill 1], [Skill 2], [Skill 3]\n";
    } else {
        for (Cat c :
             {Cat::Lang, Cat::Frame, Cat::Data, Cat::Cloud, Cat::Tool, Cat::Soft, Cat::Other}) {
            std::vector<string> names;
            for (const FoundSkill& s : f.skills)
                if (s.cat == c && names.size() < kMaxSkillsPerGroup)
                    names.push_back(escape_md(s.name));
            if (names.empty()) continue;
            out += "- **" + group_label(c) + ":** ";
            for (size_t i = 0; i < names.size(); ++i) out += (i > 0 ? ", " : "") + names[i];
            out += '\n';
        }
    }

    out += "\n## Professional Experience\n\n";
    // A title mentioned on its own ("Product Manager | email") yields an empty role; it only
    // helps when nothing more specific exists.
    std::vector<Role> roles;
    for (const Role& r : f.roles)
        if (!r.employer.empty() || !r.bullets.empty() || !r.start.empty()) roles.push_back(r);
    if (roles.empty() && !f.roles.empty()) roles.push_back(f.roles.front());
    if (roles.empty()) roles.emplace_back();
    for (size_t i = 0; i < roles.size(); ++i) {
        const Role& r = roles[i];
        if (i > 0) out += '\n';
        out += "### " + (r.title.empty() ? string("[Job Title]") : escape_md(r.title)) + " — " +
               (r.employer.empty() ? string("[Company Name]") : escape_md(r.employer)) + "\n";
        out += (r.start.empty() ? string("[Start Date]") : r.start) + " – " +
               (r.end.empty() ? string("[End Date]") : r.end) + "\n\n";
        if (r.bullets.empty()) {
            out += "- [Key achievement: what you did, how, and the measurable result]\n";
        } else {
            for (const string& b : r.bullets) out += "- " + b + "\n";
        }
    }

    out += "\n## Education\n\n";
    if (f.education.empty()) {
        out += "[Degree], [University], [Year]\n";
    } else {
        for (size_t i = 0; i < f.education.size(); ++i) {
            if (i > 0) out += '\n';
            out += education_line(f.education[i]) + "\n";
        }
    }
    if (!f.certifications.empty()) {
        out += "\n## Certifications\n\n";
        for (const string& c : f.certifications)
            out += "- " + tidy_punctuation(escape_md(c)) + "\n";
    }
    if (!f.projects.empty()) {
        out += "\n## Projects\n\n";
        for (const string& p : f.projects) out += "- " + p + "\n";
    }
    return out;
}

}  // namespace resumate::offline::detail
