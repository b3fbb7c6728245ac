#include "http/body.hpp"

#include <boost/json/parser.hpp>

#include "http/errors.hpp"
#include "http/form.hpp"
#include "util/strings.hpp"

namespace resumate::http {
namespace {

constexpr size_t kMaxJsonDepth = 64;

// A recursive-descent walk that mirrors CPython's json scanner closely enough to report the
// same first error with the same position.
class PyScanner {
public:
    explicit PyScanner(std::string_view s) : s_(s) {}

    std::string run() {
        try {
            size_t i = skip_ws(0);
            i = value(i, 0);
            i = skip_ws(i);
            if (i != s_.size()) return message("Extra data", i);
            return {};
        } catch (const Failure& f) {
            return message(f.what, f.pos);
        }
    }

private:
    struct Failure {
        const char* what;
        size_t pos;
    };

    size_t skip_ws(size_t i) const {
        while (i < s_.size() && (s_[i] == ' ' || s_[i] == '\t' || s_[i] == '\n' || s_[i] == '\r')) ++i;
        return i;
    }

    bool match(size_t i, std::string_view lit) const { return s_.substr(i, lit.size()) == lit; }

    size_t value(size_t i, int depth) {
        if (depth > 900) throw Failure{"Expecting value", i};  // Python would hit RecursionError
        if (i >= s_.size()) throw Failure{"Expecting value", i};
        char c = s_[i];
        if (c == '"') return string(i);
        if (c == '{') return object(i, depth);
        if (c == '[') return array(i, depth);
        if (match(i, "null")) return i + 4;
        if (match(i, "true")) return i + 4;
        if (match(i, "false")) return i + 5;
        if (match(i, "NaN")) return i + 3;
        if (match(i, "Infinity")) return i + 8;
        if (match(i, "-Infinity")) return i + 9;
        size_t j = i;
        if (j < s_.size() && s_[j] == '-') ++j;
        if (j < s_.size() && s_[j] == '0') {
            ++j;
        } else if (j < s_.size() && s_[j] >= '1' && s_[j] <= '9') {
            while (j < s_.size() && isdigit(s_[j])) ++j;
        } else {
            throw Failure{"Expecting value", i};
        }
        if (j + 1 < s_.size() && s_[j] == '.' && isdigit(s_[j + 1])) {
            j += 2;
            while (j < s_.size() && isdigit(s_[j])) ++j;
        }
        if (j < s_.size() && (s_[j] == 'e' || s_[j] == 'E')) {
            size_t k = j + 1;
            if (k < s_.size() && (s_[k] == '+' || s_[k] == '-')) ++k;
            if (k < s_.size() && isdigit(s_[k])) {
                while (k < s_.size() && isdigit(s_[k])) ++k;
                j = k;
            }
        }
        return j;
    }

    static bool isdigit(char c) { return c >= '0' && c <= '9'; }

    size_t string(size_t start) {
        size_t i = start + 1;
        while (true) {
            if (i >= s_.size()) throw Failure{"Unterminated string starting at", start};
            auto c = static_cast<unsigned char>(s_[i]);
            if (c == '"') return i + 1;
            if (c < 0x20) throw Failure{"Invalid control character at", i};
            if (c == '\\') {
                if (i + 1 >= s_.size()) throw Failure{"Unterminated string starting at", start};
                char e = s_[i + 1];
                if (e == 'u') {
                    for (size_t k = i + 2; k < i + 6; ++k) {
                        if (k >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[k]))) {
                            throw Failure{"Invalid \\uXXXX escape", i + 1};
                        }
                    }
                    i += 6;
                    continue;
                }
                if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    throw Failure{"Invalid \\escape", i};
                }
                i += 2;
                continue;
            }
            ++i;
        }
    }

    size_t object(size_t i, int depth) {
        i = skip_ws(i + 1);
        if (i < s_.size() && s_[i] == '}') return i + 1;
        while (true) {
            if (i >= s_.size() || s_[i] != '"') {
                throw Failure{"Expecting property name enclosed in double quotes", i};
            }
            i = skip_ws(string(i));
            if (i >= s_.size() || s_[i] != ':') throw Failure{"Expecting ':' delimiter", i};
            i = skip_ws(i + 1);
            i = skip_ws(value(i, depth + 1));
            if (i < s_.size() && s_[i] == '}') return i + 1;
            if (i >= s_.size() || s_[i] != ',') throw Failure{"Expecting ',' delimiter", i};
            i = skip_ws(i + 1);
        }
    }

    size_t array(size_t i, int depth) {
        i = skip_ws(i + 1);
        if (i < s_.size() && s_[i] == ']') return i + 1;
        while (true) {
            i = skip_ws(value(i, depth + 1));
            if (i < s_.size() && s_[i] == ']') return i + 1;
            if (i >= s_.size() || s_[i] != ',') throw Failure{"Expecting ',' delimiter", i};
            i = skip_ws(i + 1);
        }
    }

    std::string message(const char* what, size_t pos) const {
        // Python counts positions in characters of the decoded text.
        std::string_view before = s_.substr(0, pos);
        size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
        size_t last_nl = before.rfind('\n');
        size_t chars = util::utf8_length(before);
        size_t col = last_nl == std::string_view::npos ? chars + 1
                                                       : util::utf8_length(before.substr(last_nl + 1)) + 1;
        return std::string(what) + ": line " + std::to_string(line) + " column " + std::to_string(col) +
               " (char " + std::to_string(chars) + ")";
    }

    std::string_view s_;
};

std::string utf8_error(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
        std::string_view rest = s.substr(i, std::min<size_t>(4, s.size() - i));
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) continue;
        size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (len && util::is_valid_utf8(s.substr(i, std::min(len, s.size() - i))) && i + len <= s.size()) {
            i += len - 1;
            continue;
        }
        char buf[160];
        std::snprintf(buf, sizeof buf, "'utf-8' codec can't decode byte 0x%02x in position %zu: %s", c, i,
                      len == 0 ? "invalid start byte" : "invalid continuation byte");
        (void)rest;
        return buf;
    }
    return {};
}

boost::json::value parse_json(std::string_view text) {
    if (!util::is_valid_utf8(text)) throw_detail(400, "JSON parse error - " + utf8_error(text));
    boost::json::parse_options opts;
    opts.max_depth = kMaxJsonDepth;
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(text, ec, {}, opts);
    if (!ec) return v;
    std::string py = python_json_error(text);
    if (py.empty()) {
        if (ec == boost::json::error::too_deep) {
            py = "nesting too deep (at most " + std::to_string(kMaxJsonDepth) + " levels)";
        } else {
            py = "unsupported JSON (" + ec.message() + ")";
        }
    }
    throw_detail(400, "JSON parse error - " + py);
}

std::string_view media_type_of(std::string_view content_type) {
    size_t semi = content_type.find(';');
    return util::trim(content_type.substr(0, semi));
}

std::string param_of(std::string_view content_type, std::string_view name) {
    size_t pos = 0;
    while ((pos = content_type.find(';', pos)) != std::string_view::npos) {
        ++pos;
        size_t end = content_type.find(';', pos);
        std::string_view part = util::trim(content_type.substr(pos, end == std::string_view::npos ? content_type.npos : end - pos));
        size_t eq = part.find('=');
        if (eq != std::string_view::npos && util::iequals_ascii(util::trim(part.substr(0, eq)), name)) {
            std::string_view v = util::trim(part.substr(eq + 1));
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            return std::string(v);
        }
    }
    return {};
}

boost::json::object parse_multipart(std::string_view body, const std::string& boundary) {
    if (boundary.empty()) throw_detail(400, "Multipart form parse error - Invalid boundary in multipart: None");
    boost::json::object out;
    std::string delim = "--" + boundary;
    size_t pos = body.find(delim);
    if (pos == std::string_view::npos) return out;
    pos += delim.size();
    while (pos < body.size()) {
        if (body.substr(pos, 2) == "--") break;  // closing delimiter
        if (body.substr(pos, 2) == "\r\n") pos += 2;
        size_t header_end = body.find("\r\n\r\n", pos);
        if (header_end == std::string_view::npos) break;
        std::string_view headers = body.substr(pos, header_end - pos);
        size_t next = body.find("\r\n" + delim, header_end + 4);
        if (next == std::string_view::npos) break;
        std::string_view content = body.substr(header_end + 4, next - header_end - 4);
        std::string name;
        bool is_file = false;
        for (auto& line : util::split(headers, '\n')) {
            std::string_view l = util::trim(line);
            if (l.size() > 20 && util::iequals_ascii(l.substr(0, 20), "content-disposition:")) {
                std::string disposition = ";" + std::string(l.substr(20));
                name = param_of(disposition, "name");
                is_file = !param_of(disposition, "filename").empty();
            }
        }
        if (!name.empty() && !is_file) out[name] = content;
        pos = next + 2 + delim.size();
    }
    return out;
}

}  // namespace

std::string python_json_error(std::string_view text) { return PyScanner(text).run(); }

std::string_view python_type_name(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::string: return "str";
        case boost::json::kind::int64:
        case boost::json::kind::uint64: return "int";
        case boost::json::kind::double_: return "float";
        case boost::json::kind::bool_: return "bool";
        case boost::json::kind::array: return "list";
        case boost::json::kind::object: return "dict";
        case boost::json::kind::null: return "NoneType";
    }
    return "object";
}

RequestData parse_request_data(const Request& req) {
    std::string_view ct = req.header("Content-Type").value_or("");
    std::string_view media = media_type_of(ct);
    if (req.body.empty() || media.empty()) return {boost::json::object{}, media == "application/x-www-form-urlencoded"};
    std::string lower = util::to_lower_ascii(media);
    if (lower == "application/json" || (lower.starts_with("application/") && lower.ends_with("+json"))) {
        return {parse_json(req.body), false};
    }
    if (lower == "application/x-www-form-urlencoded") {
        auto fields = decode_form(req.body);
        if (!fields) throw_detail(400, "Form parse error - the body is not valid x-www-form-urlencoded data.");
        boost::json::object o;
        for (auto& [k, v] : *fields) {
            if (!util::is_valid_utf8(k) || !util::is_valid_utf8(v)) {
                throw_detail(400, "Form parse error - the body is not valid UTF-8.");
            }
            o[k] = v;  // last occurrence wins, as QueryDict[] does
        }
        return {std::move(o), true};
    }
    if (lower == "multipart/form-data") {
        boost::json::object o = parse_multipart(req.body, param_of(ct, "boundary"));
        for (auto& kv : o) {
            if (!util::is_valid_utf8(kv.value().as_string())) {
                throw_detail(400, "Multipart form parse error - a field is not valid UTF-8.");
            }
        }
        return {std::move(o), true};
    }
    throw_detail(415, "Unsupported media type \"" + std::string(ct) + "\" in request.");
}

RequestData parse_object_data(const Request& req) {
    RequestData d = parse_request_data(req);
    if (d.value.is_object()) return d;
    ValidationErrors e;
    if (d.value.is_null()) {
        e.add("non_field_errors", "No data provided");
    } else {
        e.add("non_field_errors", "Invalid data. Expected a dictionary, but got " +
                                      std::string(python_type_name(d.value)) + ".");
    }
    e.raise();
}

}  // namespace resumate::http
