#include "util/csv.hpp"

namespace resumate::util::csv {

bool Reader::fail(std::size_t line, std::string message) {
    error_ = ReadError{line, std::move(message)};
    pos_ = text_.size();
    return false;
}

bool Reader::skip_line_end() {
    if (pos_ >= text_.size()) return false;
    if (text_[pos_] == '\r') {
        ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    } else if (text_[pos_] == '\n') {
        ++pos_;
    } else {
        return false;
    }
    ++line_;
    return true;
}

bool Reader::next(Record& out) {
    out.fields.clear();
    out.line = line_;
    if (error_ || pos_ >= text_.size()) return false;
    if (skip_line_end()) return true;  // a blank line
    const std::size_t n = text_.size();
    while (true) {
        std::string field;
        if (text_[pos_] == '"') {
            const std::size_t opened = line_;
            ++pos_;
            while (true) {
                if (pos_ >= n) return fail(opened, "A quoted field is not closed.");
                const char c = text_[pos_];
                if (c == '"') {
                    if (pos_ + 1 < n && text_[pos_ + 1] == '"') {
                        field += '"';
                        pos_ += 2;
                        continue;
                    }
                    ++pos_;
                    break;
                }
                if (c == '\r' || c == '\n') {
                    // Kept as written; counted as one line (CRLF too).
                    const std::size_t from = pos_;
                    skip_line_end();
                    field.append(text_.substr(from, pos_ - from));
                    continue;
                }
                // Up to the next quote or line end at once.
                std::size_t end = text_.find_first_of("\"\r\n", pos_);
                if (end == std::string_view::npos) end = n;
                field.append(text_.substr(pos_, end - pos_));
                pos_ = end;
            }
            if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\r' && text_[pos_] != '\n')
                return fail(line_, "Unexpected text after a closing quote.");
        } else {
            std::size_t end = text_.find_first_of(",\"\r\n", pos_);
            if (end == std::string_view::npos) end = n;
            if (end < n && text_[end] == '"')
                return fail(line_,
                            "A quote inside an unquoted field (quote the field and double "
                            "the quote).");
            field.assign(text_.substr(pos_, end - pos_));
            pos_ = end;
        }
        out.fields.push_back(std::move(field));
        if (pos_ >= n) return true;
        if (text_[pos_] == ',') {
            ++pos_;
            if (pos_ >= n || text_[pos_] == '\r' || text_[pos_] == '\n') {
                // A trailing comma: one more, empty, field.
                out.fields.emplace_back();
                skip_line_end();
                return true;
            }
            continue;
        }
        skip_line_end();
        return true;
    }
}

void append_field(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(field);
        return;
    }
    out.reserve(out.size() + field.size() + 2);
    out += '"';
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

void append_record(std::string& out, std::span<const std::string_view> fields) {
    if (fields.size() == 1 && fields[0].empty()) {
        out += "\"\"\r\n";
        return;
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        append_field(out, fields[i]);
    }
    out += "\r\n";
}

bool needs_formula_guard(std::string_view cell) {
    // A chain of quotes ending in a trigger character would read back one quote short.
    std::size_t i = 0;
    while (i < cell.size() && cell[i] == '\'') ++i;
    if (i == cell.size()) return false;
    const char c = cell[i];
    const bool trigger = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    return trigger;
}

std::string guard_formula(std::string_view cell) {
    if (!needs_formula_guard(cell)) return std::string(cell);
    std::string out;
    out.reserve(cell.size() + 1);
    out += '\'';
    out.append(cell);
    return out;
}

std::string_view unguard_formula(std::string_view cell) {
    if (!cell.empty() && cell[0] == '\'' && needs_formula_guard(cell.substr(1)))
        return cell.substr(1);
    return cell;
}

}  // namespace resumate::util::csv
