#pragma once
// documents/: a resume's Markdown turned into the files people send — PDF (typeset here with
// Pango and Cairo), DOCX (Office Open XML), a printable HTML page, the Markdown itself, and
// JSON Resume 1.0.0. Pure: text in, bytes out; no I/O, no global state of ours; thread-safe.
// PDF and DOCX cost milliseconds of CPU: callers on an IO thread run them on the CPU pool.
#include <optional>
#include <string>
#include <string_view>

namespace resumate::documents {

enum class Format { Pdf, Docx, Html, Markdown, JsonResume };
enum class Paper { A4, Letter };

// The names the API takes (?format=pdf|docx|html|md|json, ?paper=a4|letter), exactly as
// written (DRF's ChoiceField); nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
std::optional<Paper> parse_paper(std::string_view name);

struct ExportOptions {
    Paper paper = Paper::A4;  // PDF and DOCX page size, the HTML page's @page size
    // JSON Resume's meta.lastModified (ISO 8601), when known.
    std::string last_modified;
};

struct Document {
    std::string bytes;
    std::string content_type;  // e.g. "application/pdf", "text/html; charset=utf-8"
    std::string extension;     // without the dot: "pdf", "docx", "html", "md", "json"
    int pages = 0;             // PDF only: the page count
};

// The resume `markdown` titled `title` in `format`. Never throws for any text (invalid UTF-8
// and control characters included); std::bad_alloc and a failure of the system libraries
// (std::runtime_error) aside.
Document export_resume(std::string_view title, std::string_view markdown, Format format,
                       const ExportOptions& options = {});

// A file name (without extension) for a resume titled `title`: UTF-8 kept, no control
// characters, quotes, slashes or other characters file systems refuse, whitespace collapsed,
// at most 100 characters; "resume" when nothing is left.
std::string safe_file_name(std::string_view title);

// `attachment; filename="<ASCII name>.<ext>"`, plus RFC 5987's
// `filename*=UTF-8''<percent-encoded name>.<ext>` when the name is not plain ASCII (the ASCII
// one then has accents stripped and other characters replaced, or is "resume").
std::string content_disposition(std::string_view title, std::string_view extension);

}  // namespace resumate::documents
