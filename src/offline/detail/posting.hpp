#pragma once
// What a job posting asks for, weighted by where it asks (posting.cpp), and whether a resume
// says it: shared by the match score and tailoring.
#include "offline/detail/text.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::offline::detail {

enum class TermKind : std::uint8_t { Skill, Title, Degree, Certification, Years, Keyword };

struct PostingTerm {
    TermKind kind = TermKind::Keyword;
    string name;     // lower-case canonical name: "kubernetes", "master's degree", "5+ years"
    string display;  // for sentences: "Kubernetes", "a master's degree", "5+ years"
    double weight = 0;
    double top = 0;  // the weight of its heaviest mention: >= 2 required, <= 0.5 a plus
    int mentions = 0;
    int level = 0;  // Degree: 1 associate, 2 bachelor, 3 master, 4 doctorate; Years: the years
    bool exact_degree = false;  // a professional degree (MBA, J.D.) only that degree satisfies
    size_t first = 0;           // order of first mention, for ties
};

// The terms, heaviest first (ties in order of first mention).
std::vector<PostingTerm> posting_terms(string_view posting);

// The resume side, read once: its lower-case text, skills, degrees and years.
struct ResumeEvidence {
    string low;                       // sanitised, lower case
    string text;                      // sanitised, original case
    std::vector<string> skill_names;  // lower-case canonical names
    int degree_level = 0;
    std::vector<string> degrees;  // displays ("MBA", "J.D.")
    int years = -1;               // stated or spanned by the roles' dates; -1 unknown
};

ResumeEvidence resume_evidence(string_view resume);
bool term_matched(const PostingTerm& t, const ResumeEvidence& r);
int degree_level(string_view degree_display);

}  // namespace resumate::offline::detail
