// The HTML: one standalone page that prints like the PDF (print CSS, the chosen paper size). The
// body is cmark-gfm's safe rendering; the page loads nothing and runs nothing (its own
// Content-Security-Policy says so too).
#include <string>

#include "documents/detail/writers.hpp"

namespace resumate::documents::detail {
namespace {

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f2f2f2; color: #1a1a1a;
  font: 10pt/1.35 "DejaVu Sans", "Helvetica Neue", Arial, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; }
main { background: #fff; margin: 24px auto; padding: 13mm 15mm; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 17pt; margin: 0 0 3pt; }
h2 { font-size: 11pt; color: #17325f; margin: 9pt 0 3pt; padding-bottom: 1.5pt; border-bottom: 0.6pt solid #a0a8b4; }
h3 { font-size: 10pt; margin: 6pt 0 1pt; }
h4, h5, h6 { font-size: 10pt; margin: 4pt 0 1pt; }
p { margin: 0 0 3.5pt; }
ul, ol { margin: 0 0 4pt; padding-left: 14pt; }
li { margin: 0 0 1.5pt; }
li > p { margin: 0; }
a { color: #0a57c7; text-decoration: none; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt; }
pre { background: #f2f2f2; padding: 3pt 4pt; white-space: pre-wrap; }
blockquote { margin: 0 0 4pt; padding-left: 8pt; border-left: 1.5pt solid #a0a8b4; color: #4d4d4d; }
hr { border: 0; border-top: 0.6pt solid #a0a8b4; margin: 4pt 0 6pt; }
table { border-collapse: collapse; margin: 0 0 4pt; }
th, td { border: 0.5pt solid #c8ccd2; padding: 1.5pt 4pt; text-align: left; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
li, tr, pre, blockquote { break-inside: avoid; page-break-inside: avoid; }
@media print {
  body { background: #fff; }
  main { margin: 0; padding: 0; box-shadow: none; }
  a { color: inherit; }
}
)css";

}  // namespace

std::string write_html(std::string_view title, std::string_view markdown, Paper paper) {
    const std::string page_size = paper == Paper::Letter ? "letter" : "A4";
    const std::string width = paper == Paper::Letter ? "215.9mm" : "210mm";
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">\n"
        "<meta name=\"generator\" content=\"ResuMate\">\n<title>";
    html += html_escape(clean_text(title));
    html += "</title>\n<style>";
    html += kStyle;
    html += "main { max-width: " + width + "; }\n@page { size: " + page_size +
            "; margin: 13mm 15mm; }\n</style>\n</head>\n<body>\n<main>\n";
    html += markdown_to_html(markdown);
    html += "</main>\n</body>\n</html>\n";
    return html;
}

}  // namespace resumate::documents::detail
