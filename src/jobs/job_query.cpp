#include "jobs/job_query.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "http/errors.hpp"
#include "http/form.hpp"
#include "jobs/job_store.hpp"
#include "util/strings.hpp"

namespace resumate::jobs {
namespace list_query {
namespace {

// Python's str.isspace() (what str.split() splits at).
bool is_python_space(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::optional<JobOrderField> order_field(std::string_view name) {
    if (name == "date_applied") return JobOrderField::DateApplied;
    if (name == "created_at") return JobOrderField::CreatedAt;
    if (name == "updated_at") return JobOrderField::UpdatedAt;
    if (name == "company_name") return JobOrderField::CompanyName;
    if (name == "status") return JobOrderField::Status;
    return std::nullopt;
}

// Django's DateField: surrounding whitespace stripped, empty is no filter.
std::optional<util::Date> date_param(const std::optional<std::string>& raw, std::string_view name,
                                     http::ValidationErrors& errors) {
    if (!raw) return std::nullopt;
    std::string_view v = util::trim(*raw);
    if (v.empty()) return std::nullopt;
    auto d = util::parse_date(v);
    if (!d) errors.add(name, "Enter a valid date.");
    return d;
}

// Ascending order with NULL after every value; `a` before `b`: < 0.
template <typename T, typename Less>
int compare_optional(const std::optional<T>& a, const std::optional<T>& b, Less less) {
    if (!a || !b) return a ? -1 : b ? 1 : 0;
    if (less(*a, *b)) return -1;
    if (less(*b, *a)) return 1;
    return 0;
}

int compare_on(const JobListKey& a, const JobListKey& b, JobOrderField field) {
    switch (field) {
        case JobOrderField::DateApplied:
            return compare_optional(a.date_applied, b.date_applied,
                                    [](util::Date x, util::Date y) { return x.days < y.days; });
        case JobOrderField::CreatedAt:
            return a.created_at < b.created_at ? -1 : b.created_at < a.created_at ? 1 : 0;
        case JobOrderField::UpdatedAt:
            return a.updated_at < b.updated_at ? -1 : b.updated_at < a.updated_at ? 1 : 0;
        case JobOrderField::CompanyName:
            // std::string compares as unsigned bytes: UTF-8 in code point order.
            return compare_optional(a.company_name, b.company_name, std::less<std::string>());
        case JobOrderField::Status:
            return a.status.compare(b.status) < 0 ? -1 : a.status == b.status ? 0 : 1;
    }
    return 0;
}

char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// `term` (folded) in ASCII text, without folding a copy of it.
bool ascii_contains(std::string_view text, std::string_view term) {
    if (term.size() > text.size()) return false;
    return std::search(text.begin(), text.end(), term.begin(), term.end(),
                       [](char t, char f) { return ascii_lower(t) == f; }) != text.end();
}

}  // namespace
}  // namespace list_query

std::string casefold(std::string_view text) {
    if (list_query::is_ascii(text)) return util::to_lower_ascii(text);
    if (!util::is_valid_utf8(text))
        return casefold(util::encode_utf8(util::decode_utf8_lossy(text)));
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
        static_cast<utf8proc_ssize_t>(text.size()), &out,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
    if (n < 0) return std::string(text);
    return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

std::vector<std::string> search_terms(std::string_view param) {
    std::u32string text = util::decode_utf8_lossy(param);
    std::vector<std::string> terms;
    std::u32string term;
    auto flush = [&] {
        if (!term.empty()) terms.push_back(casefold(util::encode_utf8(term)));
        term.clear();
    };
    for (char32_t c : text) {
        if (c == 0) continue;
        if (c == U',' || list_query::is_python_space(c)) {
            flush();
        } else {
            term += c;
        }
    }
    flush();
    return terms;
}

JobListQuery parse_list_query(const http::Request& req) {
    JobListQuery q;
    if (req.query.empty()) return q;
    auto params = http::decode_form(req.query);
    if (!params) return q;
    http::ValidationErrors errors;
    bool status_given = false;
    std::optional<std::string> search, ordering, after, before;
    for (auto& [key, value] : *params) {
        if (key == "status") {
            status_given = true;
            // MultipleChoiceField stops at the first value that is not a choice.
            if (errors.has("status")) continue;
            const bool valid =
                std::find(std::begin(kStatuses), std::end(kStatuses), value) != std::end(kStatuses);
            if (!valid) {
                errors.add("status", "Select a valid choice. " +
                                         util::encode_utf8(util::decode_utf8_lossy(value)) +
                                         " is not one of the available choices.");
            } else if (std::find(q.statuses.begin(), q.statuses.end(), value) == q.statuses.end()) {
                q.statuses.push_back(value);
            }
        } else if (key == "search") {
            search = std::move(value);  // QueryDict[]: the last one
        } else if (key == "ordering") {
            ordering = std::move(value);
        } else if (key == "date_applied_after") {
            after = std::move(value);
        } else if (key == "date_applied_before") {
            before = std::move(value);
        }
    }
    q.present = status_given || search || ordering || after || before;
    q.applied_after = list_query::date_param(after, "date_applied_after", errors);
    q.applied_before = list_query::date_param(before, "date_applied_before", errors);
    errors.raise_if_any();
    if (search) q.terms = search_terms(*search);
    if (ordering) {
        for (const auto& part : util::split(*ordering, ',')) {
            std::string_view term = util::trim(part);
            const bool descending = !term.empty() && term.front() == '-';
            if (descending) term.remove_prefix(1);
            if (auto field = list_query::order_field(term))
                q.ordering.push_back({*field, descending});
        }
    }
    return q;
}

bool matches_terms(const JobSearchText& row, const std::vector<std::string>& terms) {
    // Each field as it is when it is ASCII (most are), else folded once.
    std::string_view fields[3];
    std::string folded[3];
    bool ascii[3] = {};
    size_t n = 0;
    for (const auto* s : {&row.job_title, &row.company_name, &row.notes}) {
        if (!*s || (*s)->empty()) continue;
        ascii[n] = list_query::is_ascii(**s);
        if (ascii[n]) {
            fields[n] = **s;
        } else {
            folded[n] = casefold(**s);
            fields[n] = folded[n];
        }
        ++n;
    }
    for (const auto& term : terms) {
        bool found = false;
        for (size_t i = 0; i < n && !found; ++i) {
            found = ascii[i] ? list_query::ascii_contains(fields[i], term)
                             : fields[i].find(term) != std::string_view::npos;
        }
        if (!found) return false;
    }
    return true;
}

void order_keys(std::vector<JobListKey>& rows, const JobListQuery& query) {
    std::sort(rows.begin(), rows.end(), [&](const JobListKey& a, const JobListKey& b) {
        for (const JobOrderKey& key : query.ordering) {
            const int c = list_query::compare_on(a, b, key.field);
            if (c != 0) return key.descending ? c > 0 : c < 0;
        }
        return a.id < b.id;
    });
}

}  // namespace resumate::jobs
