// The CSV reader and writer (util/csv) and the job applications' CSV import on arbitrary bytes.
// Invariants: records start on non-decreasing lines and stop at the first fault; what reads
// without a fault is written back and reads again as the same records; unguard_formula undoes
// guard_formula; the import either names its errors (each on a line of the file) or gives rows
// whose text is UTF-8 — it never throws.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/job_csv.hpp"
#include "util/csv.hpp"
#include "util/utf8.hpp"

namespace {

namespace csv = resumate::util::csv;

void require(bool ok) {
    if (!ok) std::abort();
}

std::vector<csv::Record> read_all(std::string_view text, bool& failed) {
    std::vector<csv::Record> out;
    csv::Reader reader(text);
    csv::Record r;
    size_t line = 1;
    while (reader.next(r)) {
        require(r.line >= line);
        line = r.line;
        out.push_back(r);
    }
    failed = reader.error().has_value();
    if (failed) {
        require(!reader.next(r));
        require(reader.error()->line >= 1 && !reader.error()->message.empty());
    }
    return out;
}

size_t lines_in(std::string_view text) {
    size_t n = 1;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')))
            ++n;
    }
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    bool failed = false;
    const auto records = read_all(text, failed);
    if (!failed) {
        std::string written;
        for (const auto& r : records) {
            std::vector<std::string_view> fields(r.fields.begin(), r.fields.end());
            csv::append_record(written, fields);
        }
        bool failed_again = false;
        const auto again = read_all(written, failed_again);
        require(!failed_again && again.size() == records.size());
        for (size_t i = 0; i < again.size(); ++i) require(again[i].fields == records[i].fields);
    }
    for (const auto& r : records) {
        for (const auto& f : r.fields) require(csv::unguard_formula(csv::guard_formula(f)) == f);
    }

    const auto import = resumate::jobs::read_job_csv(text);
    require(import.rows.size() == import.lines.size());
    require(import.rows.size() <= resumate::jobs::kMaxImportRows);
    require(import.errors.size() <= resumate::jobs::kMaxImportErrors);
    const size_t last_line = lines_in(text);
    for (const auto& e : import.errors) require(e.line >= 1 && e.line <= last_line);
    if (import.errors.empty()) {
        for (const auto& a : import.rows) {
            for (const auto* s :
                 {&a.job_title, &a.company_name, &a.notes, &a.original_job_description}) {
                if (*s) require(resumate::util::is_valid_utf8(**s));
            }
        }
    }
    return 0;
}
