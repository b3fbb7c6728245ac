#pragma once
// How well a resume answers a job posting: deterministic, explainable, pure text processing.
// The posting's skills (the offline writer's lexicon, aliases included) and key terms
// (capitalised multi-word terms and acronyms, the job title, degrees, certifications, "5+ years"
// requirements) are weighted by where they stand: the title and first lines and a
// "Requirements"/"Must have" section weigh more than a "Nice to have"/"Bonus" one, and repeated
// mentions add weight. The score is the weighted share of them the resume mentions.
#include <string>
#include <string_view>
#include <vector>

namespace resumate::offline {

struct MatchResult {
    int score = 0;                         // 0-100, the weighted share matched, rounded
    std::vector<std::string> matched;      // lower-case canonical names, heaviest first
    std::vector<std::string> missing;      // likewise
    std::vector<std::string> suggestions;  // a few short sentences; never invites inventing
};

// Thread-safe; under a few milliseconds for a one-page resume and a long posting (each text is
// read up to its first 20,000 bytes, like the writer's input).
MatchResult match_resume(std::string_view job_description, std::string_view resume_markdown);

}  // namespace resumate::offline
