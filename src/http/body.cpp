#include "http/body.hpp"

#include <boost/json/parser.hpp>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "http/errors.hpp"
#include "http/form.hpp"
#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace resumate::http {
namespace {

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
    static constexpr const char* kTooDeep = "nesting too deep (at most 64 levels)";
    static_assert(kMaxJsonDepth == 64, "update kTooDeep");

    size_t skip_ws(size_t i) const {
        while (i < s_.size() && (s_[i] == ' ' || s_[i] == '\t' || s_[i] == '\n' || s_[i] == '\r'))
            ++i;
        return i;
    }

    bool match(size_t i, std::string_view lit) const { return s_.substr(i, lit.size()) == lit; }

    size_t value(size_t i, size_t depth) {
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

    // `depth`: containers around this one. Python would go on to ~1000 levels (then a
    // RecursionError, a 500 in Django); we stop at kMaxJsonDepth, as the real parser does.
    void enter(size_t i, size_t depth) const {
        if (depth >= kMaxJsonDepth) throw Failure{kTooDeep, i};
    }

    size_t object(size_t i, size_t depth) {
        enter(i, depth);
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

    size_t array(size_t i, size_t depth) {
        enter(i, depth);
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
        size_t col = last_nl == std::string_view::npos
                         ? chars + 1
                         : util::utf8_length(before.substr(last_nl + 1)) + 1;
        return std::string(what) + ": line " + std::to_string(line) + " column " +
               std::to_string(col) + " (char " + std::to_string(chars) + ")";
    }

    std::string_view s_;
};

// Python's UnicodeDecodeError text for the first invalid UTF-8 sequence, as DRF shows it
// ("'utf-8' codec can't decode byte 0xc0 in position 11: invalid start byte").
std::string utf8_error(std::string_view s) {
    const std::optional<util::Utf8Error> error = util::find_utf8_error(s);
    if (!error) return {};
    const char* reason = "invalid start byte";
    if (error->reason == util::Utf8Error::Reason::InvalidContinuationByte) {
        reason = "invalid continuation byte";
    } else if (error->reason == util::Utf8Error::Reason::UnexpectedEndOfData) {
        reason = "unexpected end of data";
    }
    char buf[160];
    if (error->len == 1) {
        std::snprintf(buf, sizeof buf, "'utf-8' codec can't decode byte 0x%02x in position %zu: %s",
                      static_cast<unsigned char>(s[error->pos]), error->pos, reason);
    } else {
        std::snprintf(buf, sizeof buf, "'utf-8' codec can't decode bytes in position %zu-%zu: %s",
                      error->pos, error->pos + error->len - 1, reason);
    }
    return std::string(buf);
}

// Builds the value Python's json.loads would, for text that PyScanner accepted but Boost.JSON
// does not: NaN / Infinity / -Infinity become doubles, and lone surrogate escapes become
// U+FFFD, recorded per top-level key so that CharFields can refuse them as DRF does.
class PyBuilder {
  public:
    PyBuilder(std::string_view s, std::map<std::string, char32_t, std::less<>>& surrogates)
        : s_(s), surrogates_(surrogates) {}

    boost::json::value run() {
        skip_ws();
        return value(nullptr);
    }

  private:
    void skip_ws() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
            ++i_;
    }
    bool take(std::string_view lit) {
        if (s_.substr(i_, lit.size()) != lit) return false;
        i_ += lit.size();
        return true;
    }

    // `key`: the top-level key this value belongs to (null at the top level itself).
    boost::json::value value(const std::string* key) {
        char c = s_[i_];
        if (c == '"') return boost::json::value(string(key));
        if (c == '{') {
            ++i_;
            boost::json::object o;
            skip_ws();
            if (take("}")) return o;
            while (true) {
                skip_ws();
                std::string k = string(key);
                skip_ws();
                ++i_;  // ':'
                skip_ws();
                o[k] = value(key ? key : &k);
                skip_ws();
                if (take("}")) return o;
                ++i_;  // ','
            }
        }
        if (c == '[') {
            ++i_;
            boost::json::array a;
            skip_ws();
            if (take("]")) return a;
            while (true) {
                skip_ws();
                a.push_back(value(key));
                skip_ws();
                if (take("]")) return a;
                ++i_;  // ','
            }
        }
        if (take("null")) return nullptr;
        if (take("true")) return true;
        if (take("false")) return false;
        if (take("NaN")) return std::numeric_limits<double>::quiet_NaN();
        if (take("Infinity")) return std::numeric_limits<double>::infinity();
        if (take("-Infinity")) return -std::numeric_limits<double>::infinity();
        size_t start = i_;
        bool integral = true;
        while (i_ < s_.size() &&
               std::string_view("+-0123456789.eE").find(s_[i_]) != std::string_view::npos) {
            if (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E') integral = false;
            ++i_;
        }
        std::string_view num = s_.substr(start, i_ - start);
        if (integral) {
            int64_t n = 0;
            if (auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
                ec == std::errc())
                return n;
            uint64_t u = 0;
            if (auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), u);
                ec == std::errc())
                return u;
        }
        return std::strtod(std::string(num).c_str(), nullptr);  // Python's float(): 1e999 → inf
    }

    unsigned hex4(size_t at) const {
        unsigned v = 0;
        for (size_t k = at; k < at + 4; ++k) {
            char h = s_[k];
            v = v * 16 + static_cast<unsigned>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        return v;
    }

    std::string string(const std::string* key) {
        std::string out;
        ++i_;  // opening quote
        while (true) {
            char c = s_[i_];
            if (c == '"') {
                ++i_;
                return out;
            }
            if (c != '\\') {
                out.push_back(c);
                ++i_;
                continue;
            }
            char e = s_[i_ + 1];
            if (e != 'u') {
                static constexpr std::string_view from = "\"\\/bfnrt", to = "\"\\/\b\f\n\r\t";
                out.push_back(to[from.find(e)]);
                i_ += 2;
                continue;
            }
            char32_t cp = hex4(i_ + 2);
            i_ += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && s_.substr(i_, 2) == "\\u") {
                char32_t low = hex4(i_ + 2);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i_ += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                if (key) surrogates_.try_emplace(*key, cp);
                cp = 0xFFFD;
            }
            util::append_utf8(out, cp);
        }
    }

    std::string_view s_;
    size_t i_ = 0;
    std::map<std::string, char32_t, std::less<>>& surrogates_;
};

RequestData parse_json(std::string_view text) {
    if (!util::is_valid_utf8(text))
        throw Error::bad_request("JSON parse error - " + utf8_error(text));
    boost::json::parse_options opts;
    opts.max_depth = kMaxJsonDepth;
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(text, ec, {}, opts);
    if (!ec) return {std::move(v), false, {}};
    std::string py = python_json_error(text);
    if (py.empty()) {
        // Valid for Python, not for Boost.JSON: NaN/Infinity or lone surrogates.
        RequestData d;
        d.value = PyBuilder(text, d.surrogates).run();
        return d;
    }
    throw Error::bad_request("JSON parse error - " + py);
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
        std::string_view part = util::trim(content_type.substr(
            pos, end == std::string_view::npos ? content_type.npos : end - pos));
        size_t eq = part.find('=');
        if (eq != std::string_view::npos &&
            util::iequals_ascii(util::trim(part.substr(0, eq)), name)) {
            std::string_view v = util::trim(part.substr(eq + 1));
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            return std::string(v);
        }
    }
    return {};
}

boost::json::object parse_multipart(std::string_view body, const std::string& boundary) {
    if (boundary.empty())
        throw Error::bad_request(
            "Multipart form parse error - Invalid boundary in multipart: None");
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

std::string python_json_error(std::string_view text) {
    return PyScanner(text).run();
}

std::string_view python_type_name(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::string:
            return "str";
        case boost::json::kind::int64:
        case boost::json::kind::uint64:
            return "int";
        case boost::json::kind::double_:
            return "float";
        case boost::json::kind::bool_:
            return "bool";
        case boost::json::kind::array:
            return "list";
        case boost::json::kind::object:
            return "dict";
        case boost::json::kind::null:
            return "NoneType";
    }
    return "object";
}

RequestData parse_request_data(const Request& req) {
    std::string_view ct = req.header("Content-Type").value_or("");
    std::string_view media = media_type_of(ct);
    if (req.body.empty() || media.empty())
        return {boost::json::object{}, media == "application/x-www-form-urlencoded", {}};
    std::string lower = util::to_lower_ascii(media);
    if (lower == "application/json" ||
        (lower.starts_with("application/") && lower.ends_with("+json"))) {
        return parse_json(req.body);
    }
    if (lower == "application/x-www-form-urlencoded") {
        auto fields = decode_form(req.body);
        if (!fields)
            throw Error::bad_request(
                "Form parse error - the body is not valid x-www-form-urlencoded data.");
        boost::json::object o;
        for (auto& [k, v] : *fields) {
            if (!util::is_valid_utf8(k) || !util::is_valid_utf8(v)) {
                throw Error::bad_request("Form parse error - the body is not valid UTF-8.");
            }
            o[k] = v;  // last occurrence wins, as QueryDict[] does
        }
        return {std::move(o), true, {}};
    }
    if (lower == "multipart/form-data") {
        boost::json::object o = parse_multipart(req.body, param_of(ct, "boundary"));
        for (auto& kv : o) {
            if (!util::is_valid_utf8(kv.value().as_string())) {
                throw Error::bad_request(
                    "Multipart form parse error - a field is not valid UTF-8.");
            }
        }
        return {std::move(o), true, {}};
    }
    // The header's bytes as Django shows them (ISO-8859-1): the JSON body stays valid UTF-8.
    throw Error::unsupported_media_type("Unsupported media type \"" + util::latin1_to_utf8(ct) +
                                        "\" in request.");
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
