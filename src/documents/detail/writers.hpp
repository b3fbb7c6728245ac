#pragma once
// One function per output format, each from the flattened Markdown (detail/markdown.hpp) or
// the Markdown itself. Private to documents/; export.cpp is their only caller.
#include <string>
#include <string_view>
#include <vector>

#include "documents/detail/markdown.hpp"
#include "documents/export.hpp"

namespace resumate::documents::detail {

struct PdfFile {
    std::string bytes;
    int pages = 0;
};

// Typeset with Pango on a Cairo PDF surface: fonts embedded (subsets), text selectable, links
// kept as link annotations, headings in the outline.
PdfFile write_pdf(std::string_view title, const std::vector<Block>& blocks, Paper paper);

// Office Open XML (WordprocessingML) zipped with libzip.
std::string write_docx(std::string_view title, const std::vector<Block>& blocks, Paper paper);

// One standalone printable page.
std::string write_html(std::string_view title, std::string_view markdown, Paper paper);

// JSON Resume 1.0.0 from the facts the offline analysis reads in the text.
std::string write_json_resume(std::string_view markdown, std::string_view last_modified);

}  // namespace resumate::documents::detail
