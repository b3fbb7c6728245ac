#pragma once
// What a resume says, read with the same analysis the offline writer uses: for exports
// (JSON Resume), the match score and tailoring. Pure, deterministic, thread-safe; it only
// reports what the text states (no [Placeholder] is ever a fact).
#include <string>
#include <string_view>
#include <vector>

namespace resumate::offline {

struct RoleFacts {
    std::string title;
    std::string employer;
    std::string start;  // as written ("2019", "Mar 2019"); empty when not stated
    std::string end;    // "Present" for a current role
    std::vector<std::string> highlights;
};

struct EducationFacts {
    std::string degree;
    std::string institution;
    std::string year;
};

struct SkillFacts {
    std::string name;      // canonical name ("PostgreSQL")
    std::string category;  // the writer's group: "Languages", "Data & Databases", …
};

struct ResumeFacts {
    std::string name;
    std::string label;  // the headline title, when one is stated
    std::string email;
    std::string phone;
    std::string location;
    std::string linkedin;
    std::string github;
    std::string website;
    std::string summary;
    std::vector<RoleFacts> roles;
    std::vector<EducationFacts> education;
    std::vector<SkillFacts> skills;
    std::vector<std::string> certifications;
    std::vector<std::string> projects;
};

// The facts of a resume in Markdown (as the writer or a user wrote it) or of free text. The
// summary is the resume's own ("Summary"/"Professional Summary" section), without a sentence
// that still holds a [Placeholder].
ResumeFacts read_facts(std::string_view text);

// The skills of the writer's lexicon a text names, by their canonical names ("postgres" ->
// "PostgreSQL"), once each, in order of first mention.
std::vector<std::string> skills_in(std::string_view text);

}  // namespace resumate::offline
