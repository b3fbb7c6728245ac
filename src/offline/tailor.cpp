#include "offline/detail/extract.hpp"
#include "offline/detail/markdown.hpp"
#include "offline/detail/posting.hpp"
#include "offline/writer.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// Tailoring a resume to a posting: only reordering what the resume says, plus one summary
// sentence that names skills the resume already lists.

namespace resumate::offline {

namespace {

using detail::MdKind;
using detail::PostingTerm;
using detail::string;
using detail::string_view;
using detail::TermKind;

constexpr size_t kSummarySkills = 5;
constexpr string_view kKeySkills = "Key skills for this role: ";

// How much of what the posting asks for a line mentions.
class Relevance {
  public:
    explicit Relevance(const std::vector<PostingTerm>& terms) : terms_(terms) {}

    double of(string_view raw) const { return score(detail::md_unescape(raw)); }

    // One item of a list ("Go"): scored as a list item, where a short name counts as a skill.
    double of_item(string_view raw) const { return score(", " + detail::md_unescape(raw) + ","); }

  private:
    double score(const string& text) const {
        const string low = detail::lower_copy(text);
        hits_.clear();
        detail::scan_skills(text, low, 0, text.size(), hits_);
        double sum = 0;
        for (const PostingTerm& t : terms_) {
            bool mentioned = false;
            switch (t.kind) {
                case TermKind::Skill:
                    mentioned = std::any_of(hits_.begin(), hits_.end(), [&](const auto& h) {
                        return detail::lower_copy(detail::kSkills[h.skill].name) == t.name;
                    });
                    break;
                case TermKind::Title:
                case TermKind::Certification:
                case TermKind::Keyword:
                    mentioned = detail::contains_phrase(low, t.name);
                    break;
                case TermKind::Degree:
                case TermKind::Years:
                    break;
            }
            if (mentioned) sum += t.weight;
        }
        return sum;
    }

    const std::vector<PostingTerm>& terms_;
    mutable std::vector<detail::SkillHit> hits_;
};

// Sorts the contents of the given lines by relevance, most relevant first, keeping ties (and
// the lines' slots) in place.
void reorder(std::vector<string>& lines, const std::vector<size_t>& slots, const Relevance& rel) {
    if (slots.size() < 2) return;
    std::vector<std::pair<double, string>> items;
    for (size_t i : slots) items.emplace_back(rel.of(lines[i]), lines[i]);
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t k = 0; k < slots.size(); ++k) lines[slots[k]] = std::move(items[k].second);
}

// "- **Languages:** C++, Go, Python" with the posting's skills first.
string reorder_skill_line(string_view line, const Relevance& rel) {
    size_t body = 0;
    const size_t colon = line.find(':');
    if (colon != string_view::npos && colon < 60) {
        body = colon + 1;
        while (body < line.size() && (line[body] == '*' || line[body] == ' ')) ++body;
    } else {
        const string_view item = detail::list_item(line);
        body = item.empty() ? 0 : static_cast<size_t>(item.data() - line.data());
    }
    std::vector<string_view> items;
    size_t b = body;
    while (b <= line.size()) {
        size_t e = line.find(", ", b);
        if (e == string_view::npos) e = line.size();
        items.push_back(line.substr(b, e - b));
        if (e == line.size()) break;
        b = e + 2;
    }
    if (items.size() < 2) return string(line);
    std::vector<std::pair<double, string_view>> scored;
    for (string_view it : items) scored.emplace_back(rel.of_item(it), it);
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& c) { return a.first > c.first; });
    string out(line.substr(0, body));
    for (size_t i = 0; i < scored.size(); ++i) {
        if (i > 0) out += ", ";
        out += scored[i].second;
    }
    return out;
}

bool role_heading(string_view line) {
    line = detail::trim(line);
    return line.substr(0, 4) == "### " ||
           (line.size() > 4 && line.substr(0, 2) == "**" && detail::list_item(line).empty());
}

}  // namespace

std::string tailor_resume(std::string_view resume_markdown, std::string_view job_description) {
    if (detail::all_spaces(detail::trim(resume_markdown))) return std::string(kOffTopicAnswer);
    string resume;
    if (detail::is_markdown_resume(resume_markdown)) {
        if (detail::is_off_topic(detail::analyse(resume_markdown)))
            return std::string(kOffTopicAnswer);
        resume = string(resume_markdown);
    } else {
        resume = write_resume(resume_markdown);
        if (resume == kOffTopicAnswer) return resume;
    }
    const std::vector<PostingTerm> terms = detail::posting_terms(job_description);
    if (terms.empty()) return resume;
    const Relevance rel(terms);
    const detail::ResumeEvidence evidence = detail::resume_evidence(resume);

    const detail::MdResume md = detail::parse_markdown(resume);
    std::vector<string> lines(md.lines.begin(), md.lines.end());
    std::vector<bool> dropped(lines.size(), false);  // summary lines merged into its first
    for (const detail::MdSection& sec : md.sections) {
        switch (sec.kind) {
            case MdKind::Skills: {
                std::vector<size_t> slots;
                for (size_t i = sec.first; i < sec.last; ++i) {
                    if (detail::trim(lines[i]).empty()) continue;
                    lines[i] = reorder_skill_line(lines[i], rel);
                    slots.push_back(i);
                }
                reorder(lines, slots, rel);
                break;
            }
            case MdKind::Experience:
            case MdKind::Projects: {
                // Each role's bullets among themselves; the roles keep their order.
                std::vector<size_t> slots;
                for (size_t i = sec.first; i <= sec.last; ++i) {
                    const bool end = i == sec.last || role_heading(lines[i]);
                    if (end) {
                        reorder(lines, slots, rel);
                        slots.clear();
                        continue;
                    }
                    if (!detail::list_item(lines[i]).empty()) slots.push_back(i);
                }
                break;
            }
            case MdKind::Summary: {
                // The skills the posting asks for that the resume already names, heaviest
                // first: nothing new, only brought forward.
                std::vector<string> named;
                for (const PostingTerm& t : terms) {
                    if (t.kind != TermKind::Skill || named.size() >= kSummarySkills) continue;
                    if (detail::term_matched(t, evidence)) named.push_back(t.display);
                }
                const string key_skills =
                    named.empty()
                        ? string()
                        : detail::end_sentence(string(kKeySkills) + detail::join_and(named));
                std::vector<size_t> slots;
                bool listed = false;
                for (size_t i = sec.first; i < sec.last; ++i) {
                    const string_view l = detail::trim(lines[i]);
                    if (l.empty()) continue;
                    slots.push_back(i);
                    listed = listed || !detail::list_item(l).empty();
                }
                if (slots.empty()) break;
                if (listed) {
                    // A summary written as a list keeps its form: its items reordered, the
                    // skills line (ours) last.
                    std::vector<size_t> items;
                    size_t ours = lines.size();
                    for (size_t i : slots) {
                        if (detail::list_item(lines[i]).rfind(kKeySkills, 0) == 0) {
                            ours = i;
                        } else {
                            items.push_back(i);
                        }
                    }
                    reorder(lines, items, rel);
                    if (ours < lines.size()) dropped[ours] = true;
                    if (!key_skills.empty() && !items.empty()) {
                        lines[items.back()] += "\n- " + key_skills;
                    } else if (!key_skills.empty() && ours < lines.size()) {
                        lines[ours] = "- " + key_skills;
                        dropped[ours] = false;
                    }
                    break;
                }
                string text;
                for (size_t i : slots) {
                    if (!text.empty()) text += ' ';
                    text += detail::trim(lines[i]);
                }
                std::vector<std::pair<double, string>> scored;
                for (string& sentence : detail::md_sentences(text)) {
                    if (sentence.rfind(kKeySkills, 0) == 0) continue;  // ours, from before
                    const double score = rel.of(sentence);
                    scored.emplace_back(score, std::move(sentence));
                }
                std::stable_sort(scored.begin(), scored.end(),
                                 [](const auto& a, const auto& b) { return a.first > b.first; });
                string summary;
                for (const auto& [score, sentence] : scored) {
                    if (!summary.empty()) summary += ' ';
                    summary += sentence;
                }
                if (!key_skills.empty()) summary += (summary.empty() ? "" : " ") + key_skills;
                lines[slots.front()] = summary;
                for (size_t k = 1; k < slots.size(); ++k) dropped[slots[k]] = true;
                break;
            }
            case MdKind::Education:
            case MdKind::Certifications:
            case MdKind::Other:
                break;
        }
    }
    string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (dropped[i]) continue;
        if (!out.empty() || i > 0) out += '\n';
        out += lines[i];
    }
    return out;
}

}  // namespace resumate::offline
