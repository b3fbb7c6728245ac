#pragma once
// POST /api/resumes/import/: a resume from a JSON Resume document (jsonresume.org schema 1.0.0)
// or a Markdown file, as the Markdown resume it will be stored as. Pure: nothing is saved here.
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace resumate::resumes {

struct ImportedResume {
    std::string title;    // at most 255 characters
    std::string content;  // Markdown
};

// The title when the document names none.
inline constexpr std::string_view kImportedTitle = "Imported Resume";

// A JSON Resume document as Markdown: basics, work, volunteer, education, awards, certificates,
// publications, skills, languages, interests, references and projects, each in its own section.
// Title: basics.name and basics.label, else kImportedTitle. A value of the wrong type, a date
// that is not YYYY, YYYY-MM or YYYY-MM-DD, or a document with nothing a resume shows throws
// http::Error (400) naming each problem by its path ("work[1].startDate").
ImportedResume from_json_resume(const boost::json::value& document);

// A Markdown file as it is. Title: its first heading, else kImportedTitle. Text that is not
// UTF-8, holds a NUL, or is blank throws http::Error (400 {"file": [...]}).
ImportedResume from_markdown(std::string_view text);

}  // namespace resumate::resumes
