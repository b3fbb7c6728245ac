#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/sse.hpp"

using resumate::net::SseEvent;
using resumate::net::SseParser;

namespace {

std::vector<SseEvent> parse_whole(std::string_view stream) {
    SseParser p;
    auto events = p.feed(stream);
    auto rest = p.finish();
    events.insert(events.end(), rest.begin(), rest.end());
    return events;
}

std::vector<SseEvent> parse_split(std::string_view stream, size_t at) {
    SseParser p;
    auto events = p.feed(stream.substr(0, at));
    auto more = p.feed(stream.substr(at));
    events.insert(events.end(), more.begin(), more.end());
    auto rest = p.finish();
    events.insert(events.end(), rest.begin(), rest.end());
    return events;
}

std::vector<SseEvent> parse_bytewise(std::string_view stream) {
    SseParser p;
    std::vector<SseEvent> events;
    for (char c : stream) {
        auto more = p.feed(std::string_view(&c, 1));
        events.insert(events.end(), more.begin(), more.end());
    }
    auto rest = p.finish();
    events.insert(events.end(), rest.begin(), rest.end());
    return events;
}

// Readable failure output: "event|data|id" per event.
std::vector<std::string> flat(const std::vector<SseEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.event + "|" + e.data + "|" + e.id);
    return out;
}

// Every rule at once: BOM, all three line ends, comments, multi-line data, named events, ids,
// a field without a colon, unknown fields, an event with no data, [DONE], and a last event that
// ends at EOF.
constexpr std::string_view kStream =
    "\xEF\xBB\xBF"
    ": OPENROUTER PROCESSING\r\n"
    "\r\n"
    "data: {\"a\":1}\r\n"
    "data: {\"b\":2}\r\n"
    "\r\n"
    "event: delta\n"
    "id: 7\n"
    "data:first\n"
    "data:  second\n"
    "\n"
    "retry: 1000\r"
    "event: ignored-no-data\r"
    "\r"
    "data\r\n"
    "\r\n"
    "bogus: field\n"
    "data: [DONE]\n"
    "\n"
    "data: tail";

const std::vector<std::string> kExpected = {
    "message|{\"a\":1}\n{\"b\":2}|",
    "delta|first\n second|7",
    "message||7",
    "message|[DONE]|7",
    "message|tail|7",
};

}  // namespace

TEST(SseParser, ParsesTheReferenceStream) {
    EXPECT_EQ(flat(parse_whole(kStream)), kExpected);
}

TEST(SseParser, SplittingAtAnyByteGivesTheSameEvents) {
    for (size_t at = 0; at <= kStream.size(); ++at)
        ASSERT_EQ(flat(parse_split(kStream, at)), kExpected) << "split at byte " << at;
    EXPECT_EQ(flat(parse_bytewise(kStream)), kExpected);
}

TEST(SseParser, CrLfSplitAcrossFeedsIsOneLineEnd) {
    SseParser p;
    EXPECT_TRUE(p.feed("data: a\r").empty());
    // If the '\n' were a second line end it would dispatch "a" here, and the next data line
    // would then start a new event instead of joining it.
    EXPECT_TRUE(p.feed("\ndata: b\r").empty());
    auto events = p.feed("\n\r\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "a\nb");
    EXPECT_TRUE(p.finish().empty());
}

TEST(SseParser, LoneCrEndsALineAtOnce) {
    SseParser p;
    EXPECT_TRUE(p.feed("data: x\r").empty());
    auto events = p.feed("\r");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "x");
}

TEST(SseParser, EventsAreReturnedAsSoonAsTheyAreComplete) {
    SseParser p;
    EXPECT_TRUE(p.feed("data: one\n").empty());
    auto first = p.feed("\ndata: tw");
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].data, "one");
    auto second = p.feed("o\n\n");
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].data, "two");
}

TEST(SseParser, CommentsAreIgnored) {
    auto events = parse_whole(": OPENROUTER PROCESSING\n\n:\n\ndata: x\n: inside\ndata: y\n\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "x\ny");
}

TEST(SseParser, OnlyOneLeadingSpaceIsRemoved) {
    auto events = parse_whole("data:no-space\n\ndata:  two-spaces\n\ndata: \n\n");
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].data, "no-space");
    EXPECT_EQ(events[1].data, " two-spaces");
    EXPECT_EQ(events[2].data, "");
}

TEST(SseParser, FieldsWithoutDataAreNotDispatched) {
    SseParser p;
    EXPECT_TRUE(p.feed("event: ping\nid: 3\n\n").empty());
    auto events = p.feed("data: d\n\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].event, "message");  // the event name of the empty event does not leak
    EXPECT_EQ(events[0].id, "3");
    EXPECT_EQ(p.last_event_id(), "3");
}

TEST(SseParser, DoneIsJustData) {
    auto events = parse_whole("data: {\"x\":1}\n\ndata: [DONE]\n\n");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].event, "message");
    EXPECT_EQ(events[1].data, "[DONE]");
}

TEST(SseParser, FinishDeliversTheTrailingEvent) {
    SseParser p;
    auto first = p.feed("data: {\"candidates\":1}\r\n\r\ndata: {\"candidates\":2}\r\n");
    ASSERT_EQ(first.size(), 1u);
    auto rest = p.finish();
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].data, "{\"candidates\":2}");

    SseParser q;  // without even the final line end
    EXPECT_TRUE(q.feed("event: end\ndata: last").empty());
    auto tail = q.finish();
    ASSERT_EQ(tail.size(), 1u);
    EXPECT_EQ(tail[0].event, "end");
    EXPECT_EQ(tail[0].data, "last");
    EXPECT_TRUE(q.finish().empty());
}

TEST(SseParser, BomOnlyAtTheStart) {
    auto events = parse_whole(
        "\xEF\xBB\xBF"
        "data: a\n\n\xEF\xBB\xBF"
        "data: b\n\n");
    // A BOM later on is part of the line: "\xEF\xBB\xBFdata" is an unknown field.
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "a");
}

TEST(SseParser, NearBomPrefixIsKept) {
    // A stream that starts with the first byte of a BOM but is not one loses nothing: the byte
    // stays part of the first line, which makes its field unknown.
    auto events = parse_bytewise(
        "\xEF"
        "data: x\n\ndata: y\n\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "y");
}
