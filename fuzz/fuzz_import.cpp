// The resume importer (POST /api/resumes/import/) on arbitrary bytes: as a JSON Resume document
// and as a Markdown file. Each input is either refused with a 400 (http::Error) or becomes a
// resume whose title fits the column and whose Markdown is UTF-8 with no HTML tag from the input.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/body.hpp"
#include "http/errors.hpp"
#include "resumes/import.hpp"
#include "util/utf8.hpp"

namespace {

size_t characters(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

void check(const resumate::resumes::ImportedResume& r) {
    if (characters(r.title) > 255 || r.title.empty()) std::abort();
    if (!resumate::util::is_valid_utf8(r.content)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        check(resumate::resumes::from_markdown(text));
    } catch (const resumate::http::Error&) {
    }
    if (!resumate::util::is_valid_utf8(text)) return 0;
    boost::json::parse_options opts;
    opts.max_depth = resumate::http::kMaxJsonDepth;
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(text, ec, {}, opts);
    if (ec) return 0;
    try {
        auto r = resumate::resumes::from_json_resume(doc);
        check(r);
        // Markup from the document never reaches the Markdown as a tag.
        if (r.content.find('<') != std::string::npos) std::abort();
    } catch (const resumate::http::Error&) {
    }
    return 0;
}
