// CSV as RFC 4180 writes it: records of comma-separated fields, a field quoted when it holds a
// comma, a quote (doubled) or a line break. Reading is strict about quotes (a quote inside an
// unquoted field, text after a closing quote and an unterminated quoted field are errors) and
// lenient about line ends (CRLF, LF and a lone CR all end a record). Bytes in, bytes out: the
// text's encoding is the caller's to check.
#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::util::csv {

struct Record {
    std::size_t line = 0;             // the physical line (from 1) the record starts on
    std::vector<std::string> fields;  // a blank line has none
};

struct ReadError {
    std::size_t line = 0;  // the physical line of the fault
    std::string message;
};

// Reads one record at a time, so that a caller can stop early (a row limit) without holding
// every record. Physical lines count every line end, those inside quoted fields too.
class Reader {
  public:
    explicit Reader(std::string_view text) : text_(text) {}
    // The next record; false at the end of the text or at a fault (error() then tells).
    bool next(Record& out);
    const std::optional<ReadError>& error() const { return error_; }
    // The physical line the reader stands on.
    std::size_t line() const { return line_; }

  private:
    bool fail(std::size_t line, std::string message);
    // Steps over the line end at pos_ (CRLF, LF or CR), if any; true when there was one.
    bool skip_line_end();

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::optional<ReadError> error_;
};

// Appends one field: as it is, or quoted (quotes doubled) when it holds a comma, a quote, CR or
// LF.
void append_field(std::string& out, std::string_view field);
// Appends a record: its fields joined by commas, then CRLF. A record of one empty field is
// written `""`, so that it does not read back as a blank line.
void append_record(std::string& out, std::span<const std::string_view> fields);

// Spreadsheet formula injection (OWASP "CSV injection"): a cell that starts with = + - @, a TAB
// or a CR may run as a formula when a spreadsheet opens the file. guard_formula() prefixes such a
// cell with a single quote, and so also a cell that a single quote followed by such a cell
// would be taken for, so that unguard_formula() gives back exactly what was guarded:
// unguard_formula(guard_formula(x)) == x for every x.
bool needs_formula_guard(std::string_view cell);
std::string guard_formula(std::string_view cell);
std::string_view unguard_formula(std::string_view cell);

}  // namespace resumate::util::csv
