#pragma once
// Reading a resume written in Markdown (the offline writer's output, or a user's own): its
// heading, the contact block under it, and its "## " sections, line by line. Used to read the
// facts back (read_facts) and to rearrange a resume for a posting (tailor_resume). Pure.
#include "offline/detail/text.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::offline::detail {

enum class MdKind : std::uint8_t {
    Summary,
    Skills,
    Experience,
    Education,
    Certifications,
    Projects,
    Other
};

struct MdSection {
    string heading;  // as written, without the "## "
    MdKind kind = MdKind::Other;
    size_t first = 0;  // line indexes [first, last) of the body, below the heading
    size_t last = 0;
};

struct MdResume {
    std::vector<string_view> lines;              // the input split at '\n' (no '\r')
    size_t name_line = static_cast<size_t>(-1);  // the "# " line, if any
    size_t header_end = 0;  // lines [name_line + 1, header_end) are the contact block
    std::vector<MdSection> sections;
};

// Whether the text reads as a Markdown resume: a "# " or "## " heading and at least one known
// section heading ("## Experience", "## Skills", ...).
bool is_markdown_resume(string_view text);
MdResume parse_markdown(string_view text);
MdKind section_kind(string_view heading);

// Writer placeholders: "[Your Email]", "[X]"; an escaped bracket ("\[a portal\]") is user text.
bool has_placeholder(string_view raw);
// Undoes the writer's escaping ("\[" -> "[", "&lt;" -> "<") and drops bold/italic marks.
string md_unescape(string_view raw);
// A list item's text without its marker ("- ", "* ", "• ", "1. "); empty if it is not one.
string_view list_item(string_view line);

// The sentences of a paragraph; "B.Sc. in", "e.g. x" and "Acme Inc. and" end none.
std::vector<string> md_sentences(string_view text);

// A role heading ("### Senior Engineer — Acme Corp") split into its parts.
struct MdRole {
    string title;
    string employer;
    string start;
    string end;
};
MdRole parse_role_heading(string_view heading, string_view date_line);

}  // namespace resumate::offline::detail
