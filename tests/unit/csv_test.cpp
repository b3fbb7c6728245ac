// util/csv: the RFC 4180 reader and writer, and the spreadsheet formula guard.
#include "util/csv.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Named, not anonymous: the unit tests are one translation unit.
namespace csv_unit_test {

namespace csv = resumate::util::csv;

struct ReadAll {
    std::vector<csv::Record> records;
    std::optional<csv::ReadError> error;
};

ReadAll read_all(std::string_view text) {
    ReadAll out;
    csv::Reader reader(text);
    csv::Record r;
    while (reader.next(r)) out.records.push_back(r);
    out.error = reader.error();
    return out;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, ReadsPlainAndQuotedFields) {
    auto all = read_all("a,b,c\r\n1,\"two, with comma\",\"say \"\"hi\"\"\"\r\n");
    ASSERT_FALSE(all.error);
    ASSERT_EQ(all.records.size(), 2u);
    EXPECT_EQ(all.records[0].fields, (Fields{"a", "b", "c"}));
    EXPECT_EQ(all.records[0].line, 1u);
    EXPECT_EQ(all.records[1].fields, (Fields{"1", "two, with comma", "say \"hi\""}));
    EXPECT_EQ(all.records[1].line, 2u);
}

TEST(CsvReader, AcceptsLfCrlfAndLoneCrLineEnds) {
    auto all = read_all("a\nb\r\nc\rd");
    ASSERT_FALSE(all.error);
    ASSERT_EQ(all.records.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(all.records[i].line, i + 1);
        EXPECT_EQ(all.records[i].fields, Fields{std::string(1, static_cast<char>('a' + i))});
    }
}

TEST(CsvReader, CountsPhysicalLinesInsideQuotedFields) {
    auto all = read_all("h1,h2\r\n\"one\r\ntwo\nthree\",x\r\nnext,y\n");
    ASSERT_FALSE(all.error);
    ASSERT_EQ(all.records.size(), 3u);
    EXPECT_EQ(all.records[1].line, 2u);
    EXPECT_EQ(all.records[1].fields, (Fields{"one\r\ntwo\nthree", "x"}));
    EXPECT_EQ(all.records[2].line, 5u);
    EXPECT_EQ(all.records[2].fields, (Fields{"next", "y"}));
}

TEST(CsvReader, BlankLinesAreRecordsWithoutFields) {
    auto all = read_all("a\r\n\r\n\nb\n");
    ASSERT_FALSE(all.error);
    ASSERT_EQ(all.records.size(), 4u);
    EXPECT_TRUE(all.records[1].fields.empty());
    EXPECT_TRUE(all.records[2].fields.empty());
    EXPECT_EQ(all.records[3].line, 4u);
    // A quoted empty field is a field, not a blank line.
    auto quoted = read_all("\"\"\r\n");
    ASSERT_EQ(quoted.records.size(), 1u);
    EXPECT_EQ(quoted.records[0].fields, Fields{""});
}

TEST(CsvReader, EmptyAndTrailingFields) {
    auto all = read_all(",\r\na,\r\n,b\r\na,,b");
    ASSERT_FALSE(all.error);
    ASSERT_EQ(all.records.size(), 4u);
    EXPECT_EQ(all.records[0].fields, (Fields{"", ""}));
    EXPECT_EQ(all.records[1].fields, (Fields{"a", ""}));
    EXPECT_EQ(all.records[2].fields, (Fields{"", "b"}));
    EXPECT_EQ(all.records[3].fields, (Fields{"a", "", "b"}));
    EXPECT_TRUE(read_all("").records.empty());
    auto last = read_all("x,");
    ASSERT_EQ(last.records.size(), 1u);
    EXPECT_EQ(last.records[0].fields, (Fields{"x", ""}));
}

TEST(CsvReader, RefusesUnbalancedQuotes) {
    auto open = read_all("a,b\r\nc,\"never\r\nclosed\r\n");
    ASSERT_TRUE(open.error);
    EXPECT_EQ(open.error->line, 2u);  // where the quote opened
    EXPECT_EQ(open.records.size(), 1u);

    auto inside = read_all("a\r\nb\"c\r\n");
    ASSERT_TRUE(inside.error);
    EXPECT_EQ(inside.error->line, 2u);

    auto after = read_all("\"a\"b,c\r\n");
    ASSERT_TRUE(after.error);
    EXPECT_EQ(after.error->line, 1u);

    auto space = read_all("\"a\" ,c\r\n");
    EXPECT_TRUE(space.error);
}

TEST(CsvReader, StopsAtTheFirstFault) {
    csv::Reader reader("ok\r\n\"bad\r\nmore,rows\r\n");
    csv::Record r;
    EXPECT_TRUE(reader.next(r));
    EXPECT_FALSE(reader.next(r));
    EXPECT_FALSE(reader.next(r));
    ASSERT_TRUE(reader.error());
    EXPECT_FALSE(reader.error()->message.empty());
}

TEST(CsvReader, KeepsBytesAsTheyAre) {
    const std::string text("caf\xC3\xA9,\xFF\xFE,a\0b\r\n", 13);
    auto all = read_all(text);
    ASSERT_FALSE(all.error);
    ASSERT_EQ(all.records.size(), 1u);
    EXPECT_EQ(all.records[0].fields[0], "caf\xC3\xA9");
    EXPECT_EQ(all.records[0].fields[1], "\xFF\xFE");
    EXPECT_EQ(all.records[0].fields[2], std::string("a\0b", 3));
}

TEST(CsvWriter, QuotesOnlyWhatNeedsIt) {
    std::string out;
    const std::string_view fields[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""};
    csv::append_record(out, fields);
    EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\r\n");
    std::string single;
    const std::string_view empty[] = {""};
    csv::append_record(single, empty);
    EXPECT_EQ(single, "\"\"\r\n");
}

TEST(CsvWriter, RoundTripsThroughTheReader) {
    const std::vector<std::vector<std::string>> rows = {
        {"id", "text"}, {"1", "\"quoted\", with comma\r\nand CRLF"}, {"2", ""},
        {"", ""},       {"3", "\xE2\x82\xAC uro \xF0\x9F\x98\x80"},  {""},
    };
    std::string out;
    for (const auto& r : rows) {
        std::vector<std::string_view> views(r.begin(), r.end());
        csv::append_record(out, views);
    }
    auto all = read_all(out);
    ASSERT_FALSE(all.error);
    ASSERT_EQ(all.records.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(all.records[i].fields, rows[i]) << i;
}

TEST(CsvFormulaGuard, PrefixesCellsASpreadsheetWouldRun) {
    for (std::string_view cell :
         {"=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"x\")"})
        EXPECT_EQ(csv::guard_formula(cell), "'" + std::string(cell)) << cell;
    for (std::string_view cell : {"", "Acme", "1-2", " =x", "'", "'quoted", "x=1"})
        EXPECT_EQ(csv::guard_formula(cell), cell) << cell;
    // A quote before a trigger is guarded too, so that it survives the import.
    EXPECT_EQ(csv::guard_formula("'=x"), "''=x");
    EXPECT_EQ(csv::guard_formula("''-x"), "'''-x");
}

TEST(CsvFormulaGuard, UnguardUndoesGuardExactly) {
    for (std::string_view cell : {"", "=x", "'=x", "''=x", "'", "''", "'abc", "-", "'-", "plain",
                                  "\t", "'\t", "@", "+1", "a'=b"}) {
        EXPECT_EQ(csv::unguard_formula(csv::guard_formula(cell)), cell) << cell;
    }
    EXPECT_EQ(csv::unguard_formula("'=x"), "=x");
    EXPECT_EQ(csv::unguard_formula("'abc"), "'abc");
    EXPECT_EQ(csv::unguard_formula("'"), "'");
}

}  // namespace csv_unit_test
