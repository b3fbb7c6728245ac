#pragma once
// multipart/form-data bodies (RFC 7578 over RFC 2046) with their file parts, for routes that take
// an upload. Strict: a body that does not follow the grammar is refused, never guessed at.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::http {

struct MultipartPart {
    std::string name;                     // Content-Disposition: form-data; name="…"
    std::optional<std::string> filename;  // present for a file part (filename= or filename*=)
    std::string content_type;             // the part's Content-Type, empty when it has none
    std::string_view data;                // the part's content: a view into the body
};

inline constexpr std::size_t kMaxMultipartParts = 100;
inline constexpr std::size_t kMaxMultipartHeaderBytes = 8 * 1024;  // one part's header block

// The parts of a multipart/form-data body, in order, given the request's Content-Type (whose
// boundary parameter it reads). Throws http::Error (400 {"detail": "Multipart form parse error -
// …"}) for a missing or invalid boundary, a malformed delimiter line, a part without
// `Content-Disposition: form-data; name=…`, a folded or malformed header line, a header block
// over kMaxMultipartHeaderBytes, more than kMaxMultipartParts parts, or a body without its
// closing delimiter. A preamble before the first delimiter and an epilogue after the last are
// ignored, as RFC 2046 says.
std::vector<MultipartPart> parse_multipart_form(std::string_view content_type,
                                                std::string_view body);

// The first part named `name`, or nullptr.
const MultipartPart* find_multipart_part(const std::vector<MultipartPart>& parts,
                                         std::string_view name);

}  // namespace resumate::http
