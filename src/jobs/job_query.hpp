// jobs/: what ?status= ?search= ?ordering= ?date_applied_after= ?date_applied_before= ask of the
// job application list (django-filter's MultipleChoiceFilter and DateFilter, DRF's SearchFilter
// and OrderingFilter), and the search and ordering themselves.
//
// The database narrows the rows by owner, status and dates; the search and the ordering run
// here, on both engines alike: SQLite's LIKE and lower() know only ASCII, PostgreSQL's depend on
// the database's locale, and text ordering on its collation. Here search terms match under
// Unicode full case folding (utf8proc: "STRASSE" finds "Straße", "école" finds "ÉCOLE"), text
// sorts by code point, and NULLs sort as PostgreSQL (and so the original) sorts them: last going
// up, first going down.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "util/time.hpp"

namespace resumate::jobs {

enum class JobOrderField { DateApplied, CreatedAt, UpdatedAt, CompanyName, Status };

struct JobOrderKey {
    JobOrderField field = JobOrderField::CreatedAt;
    bool descending = false;
};

struct JobListQuery {
    std::vector<std::string> statuses;         // distinct, each one of kStatuses; empty: any status
    std::vector<std::string> terms;            // case-folded search terms; empty: no search
    std::vector<JobOrderKey> ordering;         // empty: id order; ties are always broken by id
    std::optional<util::Date> applied_after;   // inclusive
    std::optional<util::Date> applied_before;  // inclusive
    // Whether any of the five parameters was given (even empty): without one, the list is the
    // plain list.
    bool present = false;
};

// The list's parameters. Throws http::Error (400) as django-filter words it:
// {"status": ["Select a valid choice. X is not one of the available choices."]},
// {"date_applied_after": ["Enter a valid date."]}. Unknown ordering fields are dropped, as DRF's
// OrderingFilter drops them.
JobListQuery parse_list_query(const http::Request& req);

// One row the list may show: what the search and the ordering look at.
struct JobListKey {
    int64_t id = 0;
    int64_t text_bytes = 0;  // of its text columns: how much of a page it takes
    std::optional<util::Date> date_applied;
    util::Timestamp created_at;
    util::Timestamp updated_at;
    std::optional<std::string> company_name;
    std::string status;
};

// The text a search looks in.
struct JobSearchText {
    int64_t id = 0;
    std::optional<std::string> job_title;
    std::optional<std::string> company_name;
    std::optional<std::string> notes;
};

// Whether every term (case-folded, as search_terms() gives them) is in the job title, the company
// name or the notes.
bool matches_terms(const JobSearchText& row, const std::vector<std::string>& terms);

// Sorts by the query's ordering, then id.
void order_keys(std::vector<JobListKey>& rows, const JobListQuery& query);

// Unicode full case folding with NFC composition; text that is not UTF-8 is folded as its
// lossy decoding.
std::string casefold(std::string_view text);

// DRF's SearchFilter terms: NULs dropped, commas as spaces, split at (Unicode) whitespace; each
// case-folded.
std::vector<std::string> search_terms(std::string_view param);

}  // namespace resumate::jobs
