#pragma once
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "http/body.hpp"
#include "http/errors.hpp"
#include "util/time.hpp"

namespace resumate::http {

// DRF serializer field semantics, one function per field kind. Each reads `name` from the
// request data, records DRF's messages in `errors` and returns what validated:
//   nullopt            → absent (or invalid; then an error was recorded)
//   Value{nullopt}     → explicit null (only when allow_null)
//   Value{x}           → the cleaned value
template <typename T>
using Field = std::optional<std::optional<T>>;

struct FieldRules {
    bool required = true;
    bool allow_null = false;
    bool allow_blank = false;
    size_t max_length = 0;  // 0 = none; counted in characters like Python's len()
    size_t min_length = 0;
    bool partial = false;  // PATCH: absent required fields are fine
};

Field<std::string> char_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                              ValidationErrors& errors);
// ChoiceField: value must be one of `choices` (compared as Python's str(value)).
Field<std::string> choice_field(const RequestData& d, std::string_view name,
                                std::span<const std::string_view> choices, const FieldRules& rules,
                                ValidationErrors& errors);
inline Field<std::string> choice_field(const RequestData& d, std::string_view name,
                                       std::initializer_list<std::string_view> choices,
                                       const FieldRules& rules, ValidationErrors& errors) {
    return choice_field(d, name, std::span<const std::string_view>(choices.begin(), choices.size()),
                        rules, errors);
}
// DateField with ISO input ("YYYY-MM-DD").
Field<util::Date> date_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                             ValidationErrors& errors);
// PrimaryKeyRelatedField's type check; existence is the caller's (it needs the database).
// On a type error records "Incorrect type. Expected pk value, received <type>."
Field<int64_t> pk_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                        ValidationErrors& errors);
// IntegerField.
Field<int64_t> integer_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                             ValidationErrors& errors, std::optional<int64_t> min_value = {},
                             std::optional<int64_t> max_value = {});
// BooleanField (DRF's accepted spellings).
Field<bool> boolean_field(const RequestData& d, std::string_view name, const FieldRules& rules,
                          ValidationErrors& errors);

// DRF's CharField message for a lone UTF-16 surrogate ("\ud800") in a JSON string.
std::string surrogate_message(char32_t code_point);
// For a body read as a whole document rather than field by field: each top-level key whose value
// held a lone surrogate anywhere gets surrogate_message().
void refuse_surrogates(const RequestData& d, ValidationErrors& errors);

// The text DRF shows for a pk that does not resolve: Invalid pk "7" - object does not exist.
std::string invalid_pk_message(const boost::json::value& raw);

}  // namespace resumate::http
