#include "jobs/job_csv.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "jobs/job_fields.hpp"
#include "util/csv.hpp"
#include "util/strings.hpp"

namespace resumate::jobs {
namespace job_csv {
namespace {

namespace json = boost::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Columns the import reads and drops: the database sets them.
bool ignored_column(std::string_view name) {
    return name == "id" || name == "created_at" || name == "updated_at";
}

bool known_column(std::string_view name) {
    return std::find(std::begin(kCsvColumns), std::end(kCsvColumns), name) != std::end(kCsvColumns);
}

std::string_view or_empty(const std::optional<std::string>& s) {
    return s ? std::string_view(*s) : std::string_view();
}

// The physical line of byte `pos`: 1 + the line ends before it (CRLF counted once).
size_t line_of(std::string_view text, size_t pos) {
    size_t line = 1;
    for (size_t i = 0; i < pos && i < text.size(); ++i) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')))
            ++line;
    }
    return line;
}

struct Collector {
    CsvImport& out;
    bool full() const { return out.errors.size() >= kMaxImportErrors; }
    void add(size_t line, std::optional<std::string> column, std::string message,
             int column_index = -1) {
        if (full()) return;
        out.errors.push_back({line, std::move(column), std::move(message), column_index});
    }
};

void sort_errors(std::vector<CsvImportError>& errors) {
    std::stable_sort(
        errors.begin(), errors.end(), [](const CsvImportError& a, const CsvImportError& b) {
            return a.line != b.line ? a.line < b.line : a.column_index < b.column_index;
        });
}

}  // namespace
}  // namespace job_csv

std::string csv_header() {
    std::string out;
    util::csv::append_record(out, kCsvColumns);
    return out;
}

void append_csv_row(std::string& out, const JobApplication& a) {
    using util::csv::guard_formula;
    const std::string id = std::to_string(a.id);
    const std::string title = guard_formula(job_csv::or_empty(a.job_title));
    const std::string company = guard_formula(job_csv::or_empty(a.company_name));
    const std::string status = guard_formula(a.status);
    const std::string date = a.date_applied ? util::to_iso_date(*a.date_applied) : std::string();
    const std::string resume = a.resume_used ? std::to_string(*a.resume_used) : std::string();
    const std::string notes = guard_formula(job_csv::or_empty(a.notes));
    const std::string description = guard_formula(job_csv::or_empty(a.original_job_description));
    const std::string created = util::to_iso8601(a.created_at);
    const std::string updated = util::to_iso8601(a.updated_at);
    const std::string_view cells[] = {id,     title, company,     status,  date,
                                      resume, notes, description, created, updated};
    util::csv::append_record(out, cells);
}

CsvImport read_job_csv(std::string_view text) {
    CsvImport out;
    job_csv::Collector errors{out};
    if (text.starts_with(job_csv::kBom)) text.remove_prefix(job_csv::kBom.size());
    if (auto bad = util::find_utf8_error(text)) {
        errors.add(job_csv::line_of(text, bad->pos), std::nullopt,
                   "The file is not valid UTF-8 text.");
        return out;
    }
    util::csv::Reader reader(text);
    util::csv::Record record;
    // The header: the first line that is not blank.
    bool have_header = false;
    while (reader.next(record)) {
        if (!record.fields.empty()) {
            have_header = true;
            break;
        }
    }
    if (!have_header) {
        if (const auto& e = reader.error()) {
            errors.add(e->line, std::nullopt, e->message);
        } else {
            errors.add(1, std::nullopt, "The file has no header row.");
        }
        return out;
    }
    const size_t header_line = record.line;
    std::vector<std::string> columns;
    for (size_t i = 0; i < record.fields.size(); ++i) {
        std::string name = util::to_lower_ascii(util::trim(record.fields[i]));
        const int index = static_cast<int>(i);
        if (!job_csv::known_column(name)) {
            errors.add(header_line, name, "Unknown column.", index);
        } else if (std::find(columns.begin(), columns.end(), name) != columns.end()) {
            errors.add(header_line, name, "Duplicate column.", index);
        }
        if (name == "resume_used") out.resume_column = index;
        columns.push_back(std::move(name));
    }
    if (!out.errors.empty()) return out;

    size_t data_rows = 0;
    while (!errors.full() && reader.next(record)) {
        if (record.fields.empty()) continue;  // a blank line
        if (++data_rows > kMaxImportRows) {
            out.errors.clear();
            out.rows.clear();
            out.lines.clear();
            errors.add(record.line, std::nullopt,
                       "Too many rows: at most " + std::to_string(kMaxImportRows) +
                           " rows can be imported at once.");
            return out;
        }
        if (record.fields.size() != columns.size()) {
            errors.add(record.line, std::nullopt,
                       "Expected " + std::to_string(columns.size()) + " fields, found " +
                           std::to_string(record.fields.size()) + ".");
            continue;
        }
        // The row as a form would send it, for the API's own field rules: an empty cell is
        // null (status: not given, so Applied).
        http::RequestData data;
        data.from_form = true;
        boost::json::object& o = data.value.emplace_object();
        for (size_t i = 0; i < columns.size(); ++i) {
            if (job_csv::ignored_column(columns[i])) continue;
            std::string_view cell = util::trim(util::csv::unguard_formula(record.fields[i]));
            if (!cell.empty()) {
                o[columns[i]] = cell;
            } else if (columns[i] != "status") {
                o[columns[i]] = nullptr;
            }
        }
        http::ValidationErrors field_errors;
        JobFields fields = read_job_fields(data, field_errors);
        if (!field_errors.empty()) {
            for (const auto& [name, messages] : field_errors.object()) {
                const auto at = std::find(columns.begin(), columns.end(), name);
                const int index = static_cast<int>(at - columns.begin());
                for (const auto& m : messages.as_array())
                    errors.add(record.line, std::string(name), std::string(m.as_string()), index);
            }
            continue;
        }
        JobApplication a;
        apply_job_fields(fields, a);
        out.rows.push_back(std::move(a));
        out.lines.push_back(record.line);
        out.resume_cells.emplace_back(
            out.resume_column < 0
                ? std::string_view()
                : util::trim(util::csv::unguard_formula(record.fields[out.resume_column])));
    }
    if (const auto& e = reader.error(); e && !errors.full()) {
        errors.add(e->line, std::nullopt, e->message);
    }
    job_csv::sort_errors(out.errors);
    return out;
}

std::vector<int64_t> resumes_named(const CsvImport& import) {
    std::vector<int64_t> ids;
    for (const auto& a : import.rows) {
        if (a.resume_used && *a.resume_used > 0) ids.push_back(*a.resume_used);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

void check_resumes(CsvImport& import, const std::set<int64_t>& owned) {
    job_csv::Collector errors{import};
    for (size_t i = 0; i < import.rows.size(); ++i) {
        const auto& r = import.rows[i].resume_used;
        if (!r || owned.contains(*r)) continue;
        // As the API words it, with the cell as written (pk_field reads a number out of range
        // as -1).
        errors.add(import.lines[i], std::string("resume_used"),
                   http::invalid_pk_message(boost::json::value(import.resume_cells[i])),
                   import.resume_column);
    }
    job_csv::sort_errors(import.errors);
}

}  // namespace resumate::jobs
