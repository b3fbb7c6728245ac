// jobs/: job applications as CSV — the export's rows and the import's reading and validation.
// Pure: the routes read and write the database.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/job_store.hpp"

namespace resumate::jobs {

// The export's columns, in order; the import reads the same names.
inline constexpr std::string_view kCsvColumns[] = {
    "id",           "job_title",   "company_name", "status",
    "date_applied", "resume_used", "notes",        "original_job_description",
    "created_at",   "updated_at"};

// At most this many data rows per import.
inline constexpr size_t kMaxImportRows = 5000;
// An import's answer names at most this many errors.
inline constexpr size_t kMaxImportErrors = 100;

// The header row, CRLF-terminated.
std::string csv_header();
// One application as a CSV record (CRLF-terminated): null as an empty cell, dates and times in
// ISO 8601, text cells guarded against spreadsheet formulas (util::csv::guard_formula).
void append_csv_row(std::string& out, const JobApplication& a);

struct CsvImportError {
    size_t line = 0;                    // the physical line (the header is line 1)
    std::optional<std::string> column;  // null for a fault of the line or the file
    std::string message;
    int column_index = -1;  // the column's position in the header, for ordering
};

struct CsvImport {
    std::vector<JobApplication> rows;       // without user_id
    std::vector<size_t> lines;              // each row's physical line
    std::vector<std::string> resume_cells;  // each row's resume_used as written
    int resume_column = -1;                 // its place in the header
    std::vector<CsvImportError> errors;
};

// Reads and validates a CSV upload: an optional UTF-8 byte order mark, a header row naming
// known columns (each once; id, created_at and updated_at are read and ignored), then at most
// kMaxImportRows data rows (blank lines skipped), each with as many cells as the header. Cells
// are validated as the API validates the fields (trimmed; an empty cell is null, or Applied for
// status); a cell guarded by our export has its leading quote removed first. Whether each
// resume_used is the caller's is check_resumes()'s. Errors come in line order.
CsvImport read_job_csv(std::string_view text);

// The resume ids the rows name.
std::vector<int64_t> resumes_named(const CsvImport& import);
// Records an error for each row whose resume is not among `owned` (the caller's).
void check_resumes(CsvImport& import, const std::set<int64_t>& owned);

}  // namespace resumate::jobs
