#pragma once
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace resumate::http {

// request.data as DRF builds it.
struct RequestData {
    boost::json::value value;  // a JSON value, or an object of strings for form bodies
    bool from_form = false;    // form/multipart input: DRF's "HTML input" rules apply
    // Top-level keys whose JSON value held a lone UTF-16 surrogate ("\ud800"), with the first
    // such code point. Python's json accepts them; DRF's CharField then refuses the field
    // ("Surrogate characters are not allowed: U+D800."). In `value` each one is U+FFFD.
    std::map<std::string, char32_t, std::less<>> surrogates;
};

// JSON request bodies may nest arrays/objects at most this deep; deeper is a 400.
inline constexpr size_t kMaxJsonDepth = 64;

// Parses the body per Content-Type: JSON, x-www-form-urlencoded, multipart/form-data.
// Empty body or no Content-Type → {}. Throws HttpError: 415 for other media types,
// 400 {"detail": "JSON parse error - ..."} for malformed JSON.
RequestData parse_request_data(const Request& req);

// parse_request_data + DRF's "Invalid data. Expected a dictionary, but got list." check.
RequestData parse_object_data(const Request& req);

// Python's json error text for invalid JSON ("Expecting value: line 1 column 14 (char 13)"),
// or empty when Python would accept the text. Beyond Python: nesting deeper than
// kMaxJsonDepth is an error too ("nesting too deep (at most 64 levels): line 1 ...").
std::string python_json_error(std::string_view text);

// Python's type name of a JSON value as DRF reports it: str, int, float, bool, list, dict,
// NoneType.
std::string_view python_type_name(const boost::json::value& v);

}  // namespace resumate::http
