#include "offline/match.hpp"

#include "offline/detail/posting.hpp"

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::offline {

namespace {

using detail::PostingTerm;
using detail::TermKind;

constexpr size_t kMaxSuggestions = 5;

// Why a missing term matters, in the posting's own terms.
std::string reason(const PostingTerm& t) {
    if (t.top >= 2) return "the posting lists it as required";
    if (t.top <= 0.5) return "the posting lists it as a plus";
    if (t.mentions >= 2) return "the posting mentions it " + std::to_string(t.mentions) + " times";
    return "the posting asks for it";
}

// A suggestion never asks for more than the user may truthfully add.
std::string suggestion(const PostingTerm& t) {
    switch (t.kind) {
        case TermKind::Skill:
        case TermKind::Keyword:
            return "Mention " + t.display + " if you have used it: " + reason(t) + ".";
        case TermKind::Title:
            return "If \"" + t.display +
                   "\" describes your work, say so in your summary: it is the posting's title.";
        case TermKind::Degree:
            return "If you hold " + t.display + ", list it under Education: " + reason(t) + ".";
        case TermKind::Certification:
            return "List " + t.display + " if you hold it: " + reason(t) + ".";
        case TermKind::Years:
            return "If you have " + t.display + ", state it in your summary: " + reason(t) + ".";
    }
    return {};
}

}  // namespace

MatchResult match_resume(std::string_view job_description, std::string_view resume_markdown) {
    MatchResult out;
    const std::vector<PostingTerm> terms = detail::posting_terms(job_description);
    if (terms.empty()) return out;
    const detail::ResumeEvidence evidence = detail::resume_evidence(resume_markdown);
    double total = 0;
    double got = 0;
    std::vector<const PostingTerm*> missing;
    for (const PostingTerm& t : terms) {
        total += t.weight;
        if (!detail::all_spaces(evidence.low) && detail::term_matched(t, evidence)) {
            got += t.weight;
            out.matched.push_back(t.name);
        } else {
            out.missing.push_back(t.name);
            missing.push_back(&t);
        }
    }
    out.score = total > 0 ? static_cast<int>(std::lround(100.0 * got / total)) : 0;
    for (const PostingTerm* t : missing) {
        if (out.suggestions.size() >= kMaxSuggestions) break;
        out.suggestions.push_back(suggestion(*t));
    }
    if (missing.empty()) {
        out.suggestions.emplace_back(
            "Your resume mentions every term the posting asks for; keep the required ones near "
            "the top.");
    }
    return out;
}

}  // namespace resumate::offline
