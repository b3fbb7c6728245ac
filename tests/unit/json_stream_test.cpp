// http::json_array_response: a list answered whole when short, page by page when long, with the
// body json::serialize would write for the whole array.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "db/run_sync.hpp"
#include "http/json_stream.hpp"

namespace resumate::http {
namespace {

namespace json = boost::json;

// Records what a streamed body writes, chunk by chunk.
class RecordingStream final : public ResponseStream {
  public:
    boost::asio::awaitable<bool> write(std::string_view bytes) override {
        chunks.emplace_back(bytes);
        co_return true;
    }
    boost::asio::cancellation_slot client_gone() override { return signal_.slot(); }
    std::vector<std::string> chunks;

  private:
    boost::asio::cancellation_signal signal_;
};

// A pager over `items` giving `per_page` of them at a time, counting its calls.
JsonPager pager_of(std::shared_ptr<json::array> items, size_t per_page,
                   std::shared_ptr<int> calls) {
    auto pos = std::make_shared<size_t>(0);
    return [items, per_page, calls, pos]() -> Task<JsonPage> {
        ++*calls;
        JsonPage page;
        for (size_t i = 0; i < per_page && *pos < items->size(); ++i, ++*pos) {
            if (!page.elements.empty()) page.elements += ',';
            page.elements += json::serialize((*items)[*pos]);
        }
        page.last = *pos >= items->size();
        co_return page;
    };
}

json::array sample(size_t n, size_t text) {
    json::array a;
    for (size_t i = 0; i < n; ++i) {
        a.push_back(json::object{
            {"id", i}, {"content", std::string(text, 'a' + static_cast<char>(i % 26)) + "\"\\é"}});
    }
    return a;
}

TEST(JsonArrayResponse, ShortListIsAnsweredWhole) {
    auto items = std::make_shared<json::array>(sample(3, 10));
    auto calls = std::make_shared<int>(0);
    Response r = db::run_sync(json_array_response(pager_of(items, 4, calls)));
    EXPECT_FALSE(r.stream);
    EXPECT_EQ(r.body, json::serialize(*items));
    EXPECT_EQ(*calls, 1);
}

TEST(JsonArrayResponse, EmptyListIsTwoBrackets) {
    auto items = std::make_shared<json::array>();
    auto calls = std::make_shared<int>(0);
    Response r = db::run_sync(json_array_response(pager_of(items, 4, calls)));
    EXPECT_EQ(r.body, "[]");
}

TEST(JsonArrayResponse, LongListIsStreamedPageByPageWithTheSameBytes) {
    for (size_t per_page : {1u, 3u, 4u, 64u}) {
        auto items = std::make_shared<json::array>(sample(50, 2000));
        auto calls = std::make_shared<int>(0);
        Response r = db::run_sync(json_array_response(pager_of(items, per_page, calls)));
        ASSERT_TRUE(r.stream);
        EXPECT_FALSE(r.stream_watches_client);
        EXPECT_EQ(r.content_type, "application/json");
        EXPECT_EQ(*calls, 1);  // nothing more is read before the body is being written
        RecordingStream out;
        db::run_sync(r.stream(out));
        std::string body;
        for (const auto& c : out.chunks) body += c;
        EXPECT_EQ(body, json::serialize(*items)) << per_page;
        EXPECT_EQ(*calls, static_cast<int>((50 + per_page - 1) / per_page));
        // One page per chunk (plus the closing bracket): a page is written before the next is read.
        EXPECT_EQ(out.chunks.size(), static_cast<size_t>(*calls) + 1);
    }
}

TEST(JsonArrayResponse, ListOverTheInlineLimitIsStreamedEvenInOnePage) {
    auto items = std::make_shared<json::array>(sample(2, 40000));
    auto calls = std::make_shared<int>(0);
    Response r = db::run_sync(json_array_response(pager_of(items, 4, calls)));
    ASSERT_TRUE(r.stream);
    RecordingStream out;
    db::run_sync(r.stream(out));
    std::string body;
    for (const auto& c : out.chunks) body += c;
    EXPECT_EQ(body, json::serialize(*items));
}

TEST(JsonArrayResponse, PageRowsFollowTheRowSize) {
    EXPECT_EQ(page_rows_for(1 << 20), 1u);
    EXPECT_EQ(page_rows_for(16 * 1024), 4u);
    EXPECT_EQ(page_rows_for(100), 64u);
    EXPECT_EQ(page_rows_for(0), 64u);
}

// An IdListPager over rows that are plain strings, recording each fetch.
std::shared_ptr<IdListPager<std::string>> string_list(
    std::vector<std::string> head, std::vector<int64_t> rest,
    std::shared_ptr<std::vector<size_t>> fetches) {
    auto list = std::make_shared<IdListPager<std::string>>();
    list->head = std::move(head);
    list->ids = std::move(rest);
    list->fetch = [fetches](const std::vector<int64_t>& ids) -> Task<std::vector<std::string>> {
        fetches->push_back(ids.size());
        std::vector<std::string> out;
        for (int64_t id : ids) out.push_back(std::string(static_cast<size_t>(id), 'x'));
        co_return out;
    };
    list->serialize = [](const std::string& row) { return json::serialize(json::value(row)); };
    return list;
}

TEST(IdListPager, AListThatIsAllHeadIsOneAnswerWithoutAFetch) {
    auto fetches = std::make_shared<std::vector<size_t>>();
    Response r = db::run_sync(id_list_response(string_list({"a", "b", "c"}, {}, fetches)));
    EXPECT_FALSE(r.stream);
    EXPECT_EQ(r.body, R"(["a","b","c"])");
    EXPECT_TRUE(fetches->empty());
}

TEST(IdListPager, AnEmptyListIsAnEmptyArray) {
    auto fetches = std::make_shared<std::vector<size_t>>();
    Response r = db::run_sync(id_list_response(string_list({}, {}, fetches)));
    EXPECT_FALSE(r.stream);
    EXPECT_EQ(r.body, "[]");
    EXPECT_TRUE(fetches->empty());
}

TEST(IdListPager, TheRestIsFetchedInPagesSizedByTheRowsSeen) {
    // Rows of 20,000 bytes: after the head, pages of 64 KiB / 20,002 = 3 rows.
    auto fetches = std::make_shared<std::vector<size_t>>();
    std::vector<int64_t> rest(7, 20000);
    Response r =
        db::run_sync(id_list_response(string_list({std::string(20000, 'x')}, rest, fetches)));
    ASSERT_TRUE(r.stream);
    RecordingStream out;
    db::run_sync(r.stream(out));
    std::string body;
    for (const auto& c : out.chunks) body += c;
    json::array expected;
    for (int i = 0; i < 8; ++i) expected.emplace_back(std::string(20000, 'x'));
    EXPECT_EQ(body, json::serialize(expected));
    EXPECT_EQ(*fetches, (std::vector<size_t>{3, 3, 1}));
}

}  // namespace
}  // namespace resumate::http
