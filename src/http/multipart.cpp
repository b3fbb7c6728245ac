#include "http/multipart.hpp"

#include <utility>

#include "http/errors.hpp"
#include "util/strings.hpp"

namespace resumate::http {
namespace multipart_detail {
namespace {

[[noreturn]] void malformed(std::string_view what) {
    throw Error::bad_request("Multipart form parse error - " + std::string(what));
}

bool is_tchar(char c) {
    // RFC 9110's token characters.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_bchar(char c) {
    // RFC 2046's boundary characters (a space only inside).
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

void skip_ows(std::string_view s, size_t& i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

struct HeaderParam {
    std::string name;  // lower case
    std::string value;
};

// `type *( OWS ";" OWS name "=" ( token / quoted-string ) )`: the type (lower case) and the
// parameters, or nullopt when the value does not follow that grammar.
std::optional<std::pair<std::string, std::vector<HeaderParam>>> split_params(std::string_view s) {
    size_t i = 0;
    skip_ows(s, i);
    const size_t type_start = i;
    while (i < s.size() && s[i] != ';' && s[i] != ' ' && s[i] != '\t') ++i;
    std::string type = util::to_lower_ascii(s.substr(type_start, i - type_start));
    std::vector<HeaderParam> params;
    while (true) {
        skip_ows(s, i);
        if (i >= s.size()) break;
        if (s[i] != ';') return std::nullopt;
        ++i;
        skip_ows(s, i);
        if (i >= s.size()) break;  // a trailing ";"
        const size_t name_start = i;
        while (i < s.size() && is_tchar(s[i])) ++i;
        if (i == name_start) return std::nullopt;
        std::string name = util::to_lower_ascii(s.substr(name_start, i - name_start));
        skip_ows(s, i);
        if (i >= s.size() || s[i] != '=') return std::nullopt;
        ++i;
        skip_ows(s, i);
        std::string value;
        if (i < s.size() && s[i] == '"') {
            ++i;
            bool closed = false;
            while (i < s.size()) {
                char c = s[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\') {
                    if (i >= s.size()) return std::nullopt;
                    c = s[i++];
                }
                if (c == '\r' || c == '\n') return std::nullopt;
                value += c;
            }
            if (!closed) return std::nullopt;
        } else {
            const size_t value_start = i;
            while (i < s.size() && is_tchar(s[i])) ++i;
            if (i == value_start) return std::nullopt;
            value.assign(s.substr(value_start, i - value_start));
        }
        params.push_back({std::move(name), std::move(value)});
    }
    return std::make_pair(std::move(type), std::move(params));
}

const std::string* param(const std::vector<HeaderParam>& params, std::string_view name) {
    for (const auto& p : params) {
        if (p.name == name) return &p.value;
    }
    return nullptr;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 8187's ext-value (`UTF-8''caf%C3%A9.csv`), UTF-8 only.
std::string decode_ext_value(std::string_view v) {
    const size_t first = v.find('\'');
    const size_t second = first == std::string_view::npos ? first : v.find('\'', first + 1);
    if (second == std::string_view::npos || !util::iequals_ascii(v.substr(0, first), "utf-8"))
        malformed("invalid filename* parameter");
    std::string out;
    for (size_t i = second + 1; i < v.size(); ++i) {
        if (v[i] != '%') {
            out += v[i];
            continue;
        }
        const int hi = i + 2 < v.size() ? hex_value(v[i + 1]) : -1;
        const int lo = i + 2 < v.size() ? hex_value(v[i + 2]) : -1;
        if (hi < 0 || lo < 0) malformed("invalid filename* parameter");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    if (!util::is_valid_utf8(out)) malformed("invalid filename* parameter");
    return out;
}

std::string boundary_of(std::string_view content_type) {
    auto parsed = split_params(content_type);
    const std::string* b = parsed ? param(parsed->second, "boundary") : nullptr;
    if (!b) malformed("Invalid boundary in multipart: None");
    bool ok = !b->empty() && b->size() <= 70 && b->back() != ' ';
    for (char c : *b) ok = ok && is_bchar(c);
    if (!ok) malformed("Invalid boundary in multipart: " + util::latin1_to_utf8(*b));
    return *b;
}

// Steps over transport padding and the CRLF that end a delimiter line.
void end_delimiter_line(std::string_view body, size_t& pos) {
    skip_ows(body, pos);
    if (body.substr(pos, 2) != "\r\n") malformed("malformed boundary line");
    pos += 2;
}

void read_headers(std::string_view block, MultipartPart& part) {
    bool disposition = false;
    size_t pos = 0;
    while (pos < block.size()) {
        size_t end = block.find("\r\n", pos);
        if (end == std::string_view::npos) end = block.size();
        std::string_view line = block.substr(pos, end - pos);
        pos = end + 2;
        if (line.empty() || line[0] == ' ' || line[0] == '\t')
            malformed("malformed part header (folded or empty line)");
        const size_t colon = line.find(':');
        if (colon == 0 || colon == std::string_view::npos) malformed("malformed part header");
        const std::string_view name = line.substr(0, colon);
        for (char c : name) {
            if (!is_tchar(c)) malformed("malformed part header");
        }
        std::string_view value = line.substr(colon + 1);
        for (char c : value) {
            if (c == '\r' || c == '\n' || c == '\0') malformed("malformed part header");
        }
        if (util::iequals_ascii(name, "Content-Disposition")) {
            if (disposition) malformed("a part has two Content-Disposition headers");
            disposition = true;
            auto parsed = split_params(value);
            if (!parsed || parsed->first != "form-data")
                malformed("a part's Content-Disposition is not form-data");
            const std::string* n = param(parsed->second, "name");
            if (!n) malformed("a part has no name");
            part.name = *n;
            if (const std::string* ext = param(parsed->second, "filename*")) {
                part.filename = decode_ext_value(*ext);
            } else if (const std::string* f = param(parsed->second, "filename")) {
                part.filename = *f;
            }
        } else if (util::iequals_ascii(name, "Content-Type")) {
            part.content_type = std::string(util::trim(value));
        } else if (util::iequals_ascii(name, "Content-Transfer-Encoding")) {
            // RFC 7578 deprecates it; an identity encoding is harmless, any other would need
            // decoding that nobody sends.
            const std::string enc = util::to_lower_ascii(util::trim(value));
            if (enc != "7bit" && enc != "8bit" && enc != "binary")
                malformed("unsupported Content-Transfer-Encoding");
        }
    }
    if (!disposition) malformed("a part has no Content-Disposition header");
}

}  // namespace
}  // namespace multipart_detail

std::vector<MultipartPart> parse_multipart_form(std::string_view content_type,
                                                std::string_view body) {
    using namespace multipart_detail;
    const std::string delimiter = "--" + boundary_of(content_type);
    const std::string next_delimiter = "\r\n" + delimiter;
    // The first delimiter opens the body or follows a preamble's CRLF.
    size_t pos = 0;
    if (body.substr(0, delimiter.size()) != delimiter) {
        pos = body.find(next_delimiter);
        if (pos == std::string_view::npos) malformed("the body has no boundary");
        pos += 2;
    }
    pos += delimiter.size();
    std::vector<MultipartPart> parts;
    while (true) {
        if (body.substr(pos, 2) == "--")
            return parts;  // the closing delimiter; the rest is epilogue
        end_delimiter_line(body, pos);
        if (parts.size() >= kMaxMultipartParts)
            malformed("more than " + std::to_string(kMaxMultipartParts) + " parts");
        MultipartPart part;
        std::string_view headers;
        if (body.substr(pos, 2) == "\r\n") {
            pos += 2;  // no header at all: refused below (no Content-Disposition)
        } else {
            const size_t end = body.find("\r\n\r\n", pos);
            if (end == std::string_view::npos) malformed("a part's headers are not terminated");
            if (end - pos > kMaxMultipartHeaderBytes) malformed("a part's headers are too large");
            headers = body.substr(pos, end - pos);
            pos = end + 4;
        }
        read_headers(headers, part);
        const size_t end = body.find(next_delimiter, pos);
        if (end == std::string_view::npos) malformed("the closing boundary is missing");
        part.data = body.substr(pos, end - pos);
        parts.push_back(std::move(part));
        pos = end + next_delimiter.size();
    }
}

const MultipartPart* find_multipart_part(const std::vector<MultipartPart>& parts,
                                         std::string_view name) {
    for (const auto& p : parts) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

}  // namespace resumate::http
