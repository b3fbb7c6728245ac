#include "http/fields.hpp"

#include <boost/json/serialize.hpp>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "util/strings.hpp"

namespace resumate::http {
namespace {

const boost::json::value* lookup(const RequestData& d, std::string_view name) {
    if (!d.value.is_object()) return nullptr;
    return d.value.as_object().if_contains(name);
}

// Python's str() of a JSON scalar, as DRF passes values through str().
std::optional<std::string> python_str(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::string:
            return std::string(v.as_string());
        case boost::json::kind::int64:
            return std::to_string(v.as_int64());
        case boost::json::kind::uint64:
            return std::to_string(v.as_uint64());
        case boost::json::kind::double_:
            return util::python_float_str(v.as_double());
        case boost::json::kind::bool_:
            return v.as_bool() ? "True" : "False";
        case boost::json::kind::null:
            return "None";
        default:
            return std::nullopt;
    }
}

// The part shared by every field: absent / null handling. Returns false when the caller is done.
template <typename T>
bool prelude(const RequestData& d, std::string_view name, const FieldRules& rules,
             ValidationErrors& errors, const boost::json::value*& v, Field<T>& out) {
    v = lookup(d, name);
    if (!v) {
        if (rules.required && !rules.partial) errors.add(name, "This field is required.");
        return false;
    }
    // HTML form input: an empty value means null for nullable fields that do not allow blank.
    if (d.from_form && v->is_string() && v->as_string().empty() && rules.allow_null &&
        !rules.allow_blank) {
        out = std::optional<T>{};
        return false;
    }
    if (v->is_null()) {
        if (!rules.allow_null)
            errors.add(name, "This field may not be null.");
        else
            out = std::optional<T>{};
        return false;
    }
    return true;
}

std::string human_length_message(bool max, size_t n) {
    return std::string(max ? "Ensure this field has no more than "
                           : "Ensure this field has at least ") +
           std::to_string(n) + (n == 1 ? " character." : " characters.");
}

}  // namespace

std::string surrogate_message(char32_t code_point) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "Surrogate characters are not allowed: U+%X.",
                  static_cast<unsigned>(code_point));
    return buf;
}

void refuse_surrogates(const RequestData& d, ValidationErrors& errors) {
    for (const auto& [key, code_point] : d.surrogates)
        errors.add(key, surrogate_message(code_point));
}

Field<std::string> char_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                              ValidationErrors& errors) {
    const boost::json::value* v = nullptr;
    Field<std::string> out;
    if (!prelude(d, name, rules, errors, v, out)) return out;
    if (v->is_bool() || v->is_array() || v->is_object()) {
        // DRF checks blank on str(data) first; str() of a list/dict is never blank.
        errors.add(name, "Not a valid string.");
        return std::nullopt;
    }
    std::string s = *python_str(*v);
    std::string trimmed(util::trim(s));
    if (trimmed.empty()) {
        if (!rules.allow_blank) {
            errors.add(name, "This field may not be blank.");
            return std::nullopt;
        }
        return std::optional<std::string>(std::string());
    }
    bool ok = true;
    size_t len = util::utf8_length(trimmed);
    if (rules.max_length && len > rules.max_length) {
        errors.add(name, human_length_message(true, rules.max_length));
        ok = false;
    }
    if (rules.min_length && len < rules.min_length) {
        errors.add(name, human_length_message(false, rules.min_length));
        ok = false;
    }
    if (trimmed.find('\0') != std::string::npos) {
        errors.add(name, "Null characters are not allowed.");
        ok = false;
    }
    if (auto it = d.surrogates.find(name); it != d.surrogates.end()) {
        errors.add(name, surrogate_message(it->second));
        ok = false;
    }
    if (!ok) return std::nullopt;
    return std::optional<std::string>(std::move(trimmed));
}

Field<std::string> choice_field(const RequestData& d, std::string_view name,
                                std::span<const std::string_view> choices, const FieldRules& rules,
                                ValidationErrors& errors) {
    const boost::json::value* v = nullptr;
    Field<std::string> out;
    if (!prelude(d, name, rules, errors, v, out)) return out;
    auto s = python_str(*v);
    if (s) {
        for (auto c : choices) {
            if (*s == c) return std::optional<std::string>(*s);
        }
    }
    std::string shown = s ? *s : boost::json::serialize(*v);
    errors.add(name, "\"" + shown + "\" is not a valid choice.");
    return std::nullopt;
}

Field<util::Date> date_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                             ValidationErrors& errors) {
    const boost::json::value* v = nullptr;
    Field<util::Date> out;
    if (!prelude(d, name, rules, errors, v, out)) return out;
    if (v->is_string()) {
        if (auto date = util::parse_date(std::string_view(v->as_string())))
            return std::optional<util::Date>(*date);
    }
    errors.add(name, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.");
    return std::nullopt;
}

Field<int64_t> pk_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                        ValidationErrors& errors) {
    const boost::json::value* v = nullptr;
    Field<int64_t> out;
    if (!prelude(d, name, rules, errors, v, out)) return out;
    if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
    if (v->is_string()) {
        std::string_view s = util::trim(std::string_view(v->as_string()));
        if (auto n = util::parse_int64(s)) return std::optional<int64_t>(*n);
        // Django's int() of a non-numeric string raises ValueError → "Incorrect type".
        if (!s.empty() && s.find_first_not_of("0123456789+-") == std::string_view::npos) {
            return std::optional<int64_t>(-1);  // numeric but out of range: no such object
        }
    }
    if (v->is_double()) {
        double x = v->as_double();
        if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9.2e18) {
            return std::optional<int64_t>(static_cast<int64_t>(x));
        }
    }
    if (v->is_uint64()) return std::optional<int64_t>(-1);
    errors.add(name, "Incorrect type. Expected pk value, received " +
                         std::string(python_type_name(*v)) + ".");
    return std::nullopt;
}

Field<int64_t> integer_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                             ValidationErrors& errors, std::optional<int64_t> min_value,
                             std::optional<int64_t> max_value) {
    const boost::json::value* v = nullptr;
    Field<int64_t> out;
    if (!prelude(d, name, rules, errors, v, out)) return out;
    // DRF: int(re.sub(r'\.0*\s*$', '', str(data))), so 3.0 is 3 but 1e16 ("1e+16") is not an
    // integer; Python's int has no range, so a huge number fails the min/max check instead.
    if (v->is_string() && util::utf8_length(v->as_string()) > 1000) {
        errors.add(name, "String value too large.");
        return std::nullopt;
    }
    std::optional<std::string> text;
    if (!v->is_bool()) text = python_str(*v);
    std::string_view t = text ? std::string_view(*text) : std::string_view();
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    if (size_t dot = t.rfind('.'); dot != std::string_view::npos &&
                                   t.find_first_not_of('0', dot + 1) == std::string_view::npos) {
        t = t.substr(0, dot);
    }
    t = util::trim(t);
    bool negative = !t.empty() && t.front() == '-';
    std::string_view digits =
        !t.empty() && (t.front() == '-' || t.front() == '+') ? t.substr(1) : t;
    if (!text || digits.empty() ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
        errors.add(name, "A valid integer is required.");
        return std::nullopt;
    }
    std::optional<int64_t> n = util::parse_int64(t);
    bool too_small = n ? (min_value && *n < *min_value) : negative;
    bool too_big = n ? (max_value && *n > *max_value) : !negative;
    if (too_small && min_value) {
        errors.add(name, "Ensure this value is greater than or equal to " +
                             std::to_string(*min_value) + ".");
        return std::nullopt;
    }
    if (too_big && max_value) {
        errors.add(
            name, "Ensure this value is less than or equal to " + std::to_string(*max_value) + ".");
        return std::nullopt;
    }
    if (!n) {  // beyond int64 with no bound to report: not an integer we can store
        errors.add(name, "A valid integer is required.");
        return std::nullopt;
    }
    return std::optional<int64_t>(*n);
}

Field<bool> boolean_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                          ValidationErrors& errors) {
    const boost::json::value* v = nullptr;
    Field<bool> out;
    if (!prelude(d, name, rules, errors, v, out)) return out;
    if (v->is_bool()) return std::optional<bool>(v->as_bool());
    if (v->is_int64() && (v->as_int64() == 0 || v->as_int64() == 1))
        return std::optional<bool>(v->as_int64() == 1);
    if (v->is_string()) {
        static constexpr std::string_view kTrue[] = {
            "t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"};
        static constexpr std::string_view kFalse[] = {"f",   "F",   "n",     "N",     "no",
                                                      "No",  "NO",  "false", "False", "FALSE",
                                                      "off", "Off", "OFF",   "0"};
        std::string_view s = v->as_string();
        for (auto t : kTrue) {
            if (s == t) return std::optional<bool>(true);
        }
        for (auto f : kFalse) {
            if (s == f) return std::optional<bool>(false);
        }
    }
    errors.add(name, "Must be a valid boolean.");
    return std::nullopt;
}

std::string invalid_pk_message(const boost::json::value& raw) {
    std::string shown = python_str(raw).value_or(boost::json::serialize(raw));
    return "Invalid pk \"" + shown + "\" - object does not exist.";
}

}  // namespace resumate::http
