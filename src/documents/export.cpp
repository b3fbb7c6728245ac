#include "documents/export.hpp"

#include <utf8proc.h>

#include <cctype>
#include <cstdlib>
#include <string>

#include "documents/detail/markdown.hpp"
#include "documents/detail/writers.hpp"
#include "util/utf8.hpp"

namespace resumate::documents {
namespace {

constexpr size_t kMaxFileNameChars = 100;

// Characters a file name must not hold: quotes, slashes and what Windows refuses, and the
// invisible direction marks (U+202E turns "cv<U+202E>fdp.exe" into "cvexe.pdf" on screen).
bool refused_in_file_name(char32_t c) {
    switch (c) {
        case '"':
        case '\'':
        case '/':
        case '\\':
        case ':':
        case '*':
        case '?':
        case '<':
        case '>':
        case '|':
        case '`':
        case 0x200E:
        case 0x200F:
        case 0x061C:
            return true;
        default:
            return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
                   (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}

bool is_space(char32_t c) {
    return c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// Accents stripped ("José" → "Jose"), each run of other non-ASCII characters one "_"; "resume"
// when no letter or digit is left.
std::string ascii_file_name(const std::string& name) {
    std::string stripped = name;
    utf8proc_uint8_t* mapped = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(name.data()),
        static_cast<utf8proc_ssize_t>(name.size()), &mapped,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK));
    if (n >= 0 && mapped) stripped.assign(reinterpret_cast<const char*>(mapped), size_t(n));
    std::free(mapped);
    std::string out;
    bool alnum = false;
    for (unsigned char c : stripped) {
        if (c < 0x80) {
            out += static_cast<char>(c);
            alnum = alnum || std::isalnum(c);
        } else if (c >= 0xC0 && (out.empty() || out.back() != '_')) {
            out += '_';  // a character's first byte; its continuation bytes are skipped
        }
    }
    const size_t first = out.find_first_not_of("_ ");
    const size_t last = out.find_last_not_of("_ ");
    if (!alnum || first == std::string::npos) return "resume";
    return out.substr(first, last - first + 1);
}

// RFC 5987's value-chars: attr-char as is, every other byte %XX.
std::string rfc5987_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) ||
            std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
    if (name == "pdf") return Format::Pdf;
    if (name == "docx") return Format::Docx;
    if (name == "html") return Format::Html;
    if (name == "md") return Format::Markdown;
    if (name == "json") return Format::JsonResume;
    return std::nullopt;
}

std::optional<Paper> parse_paper(std::string_view name) {
    if (name == "a4") return Paper::A4;
    if (name == "letter") return Paper::Letter;
    return std::nullopt;
}

Document export_resume(std::string_view title, std::string_view markdown, Format format,
                       const ExportOptions& options) {
    Document doc;
    switch (format) {
        case Format::Pdf: {
            detail::PdfFile pdf =
                detail::write_pdf(title, detail::parse_markdown(markdown), options.paper);
            doc.bytes = std::move(pdf.bytes);
            doc.pages = pdf.pages;
            doc.content_type = "application/pdf";
            doc.extension = "pdf";
            break;
        }
        case Format::Docx:
            doc.bytes = detail::write_docx(title, detail::parse_markdown(markdown), options.paper);
            doc.content_type =
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            doc.extension = "docx";
            break;
        case Format::Html:
            doc.bytes = detail::write_html(title, markdown, options.paper);
            doc.content_type = "text/html; charset=utf-8";
            doc.extension = "html";
            break;
        case Format::Markdown:
            doc.bytes = std::string(markdown);
            doc.content_type = "text/markdown; charset=utf-8";
            doc.extension = "md";
            break;
        case Format::JsonResume:
            doc.bytes = detail::write_json_resume(markdown, options.last_modified);
            doc.content_type = "application/json";
            doc.extension = "json";
            break;
    }
    return doc;
}

std::string safe_file_name(std::string_view title) {
    const std::string clean = detail::clean_text(title);
    std::string out;
    size_t chars = 0;
    bool space = false;  // a space is owed before the next character
    for (size_t i = 0; i < clean.size() && chars < kMaxFileNameChars;) {
        util::DecodedChar d = util::decode_utf8_char(clean, i);
        if (d.len == 0) d = {util::kReplacementChar, 1};
        const std::string_view bytes = std::string_view(clean).substr(i, d.len);
        i += d.len;
        if (refused_in_file_name(d.cp) || is_space(d.cp)) {
            space = !out.empty();
            continue;
        }
        // No leading dot: not a hidden file.
        if (out.empty() && d.cp == '.') continue;
        if (space) {
            out += ' ';
            ++chars;
            space = false;
            if (chars >= kMaxFileNameChars) break;
        }
        out += bytes;
        ++chars;
    }
    // Windows drops trailing dots and spaces.
    while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
    return out.empty() ? std::string("resume") : out;
}

std::string content_disposition(std::string_view title, std::string_view extension) {
    const std::string name = safe_file_name(title);
    const std::string ascii = ascii_file_name(name);
    std::string header = "attachment; filename=\"" + ascii + "." + std::string(extension) + "\"";
    if (ascii != name)
        header += "; filename*=UTF-8''" + rfc5987_encode(name + "." + std::string(extension));
    return header;
}

}  // namespace resumate::documents
