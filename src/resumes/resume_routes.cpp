#include "resumes/resume_routes.hpp"

#include <boost/json.hpp>

#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/fields.hpp"
#include "http/json_stream.hpp"
#include "http/pagination.hpp"
#include "resumes/resume_store.hpp"
#include "util/strings.hpp"

namespace resumate::resumes {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

json::object to_json(const Resume& r) {
    return json::object{{"id", r.id},
                        {"user", r.username},
                        {"title", r.title},
                        {"content", r.content},
                        {"created_at", util::to_iso8601(r.created_at)},
                        {"updated_at", util::to_iso8601(r.updated_at)}};
}

// GET /api/resumes/ without ?limit=: the ids first (one small query), then the rows a page at a
// time as the answer is written, so one answer never holds the whole list.
struct ListState {
    ListState(db::Database& db, int64_t uid) : session(db), user_id(uid) {}
    db::Session session;
    int64_t user_id;
    std::vector<int64_t> ids;
    size_t pos = 0;
    size_t rows = http::kFirstPageRows;
};

http::Task<http::JsonPage> next_page(std::shared_ptr<ListState> state) {
    ListState& s = *state;
    http::JsonPage page;
    size_t n = std::min(s.rows, s.ids.size() - s.pos);
    if (n > 0) {
        std::vector<int64_t> wanted(s.ids.begin() + static_cast<std::ptrdiff_t>(s.pos),
                                    s.ids.begin() + static_cast<std::ptrdiff_t>(s.pos + n));
        auto found = co_await ResumeStore(s.session).fetch(s.user_id, wanted);
        size_t largest = 0;
        for (auto& r : found) {
            size_t before = page.elements.size();
            if (before) page.elements += ',';
            page.elements += json::serialize(to_json(r));
            largest = std::max(largest, page.elements.size() - before);
            r = Resume{};  // let go of the row as soon as it is written out
        }
        s.pos += n;
        s.rows = http::page_rows_for(largest);
    }
    page.last = s.pos >= s.ids.size();
    co_return page;
}

struct ResumeInput {
    std::optional<std::string> title;
    std::optional<std::string> content;
};

ResumeInput validate(const Request& req, bool partial) {
    auto data = http::parse_object_data(req);
    http::ValidationErrors errors;
    ResumeInput in;
    auto title = http::char_field(data, "title", {.max_length = 255, .partial = partial}, errors);
    auto content = http::char_field(data, "content", {.partial = partial}, errors);
    errors.raise_if_any();
    if (title) in.title = **title;
    if (content) in.content = **content;
    return in;
}

}  // namespace

void add_resume_routes(http::Router& router, db::Database& db,
                       const quotas::StorageLimits& limits) {
    router.add("/api/resumes/", http::Access::Authenticated, "Resume List")
        .with_format_suffix()
        .get([&db](Request& req) -> http::Task<Response> {
            auto page = http::page_request(req);
            if (!page) {
                auto state = std::make_shared<ListState>(db, req.user->id);
                state->ids = co_await ResumeStore(state->session).list_ids(state->user_id);
                // Not a coroutine lambda: next_page owns its copy of the state. Built outside the
                // co_await: GCC 12 destroys a temporary with a non-trivial capture twice there.
                http::JsonPager pager = [state] { return next_page(state); };
                co_return co_await http::json_array_response(std::move(pager));
            }
            db::Session session(db);  // this request's reads follow its writes
            ResumeStore store(session);
            int64_t uid = req.user->id;
            auto rows = co_await store.list(uid, page ? Page{page->limit, page->offset} : Page{});
            json::array arr;
            arr.reserve(rows.size());
            for (const auto& r : rows) arr.push_back(to_json(r));
            if (!page) co_return Response::json(200, arr);
            int64_t count = co_await store.count(uid);
            co_return Response::json(200, http::page_envelope(req, *page, count, std::move(arr)));
        })
        .post([&db, &limits](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            auto in = validate(req, false);
            auto created =
                co_await ResumeStore(session, &limits).create(req.user->id, *in.title, *in.content);
            co_return Response::json(201, to_json(created));
        });

    auto update = [&db, &limits](bool partial) {
        return [&db, &limits, partial](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            ResumeStore store(session, &limits);
            auto existing = co_await store.find(req.user->id, http::id_path_param(req));
            if (!existing) http::throw_not_found();
            auto in = validate(req, partial);
            if (in.title) existing->title = *in.title;
            if (in.content) existing->content = *in.content;
            co_await store.update(*existing);
            auto fresh = co_await store.find(req.user->id, existing->id);
            if (!fresh) http::throw_not_found();
            co_return Response::json(200, to_json(*fresh));
        };
    };

    router.add("/api/resumes/{id}/", http::Access::Authenticated, "Resume Instance")
        .with_format_suffix()
        .get([&db](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            auto r = co_await ResumeStore(session).find(req.user->id, http::id_path_param(req));
            if (!r) http::throw_not_found();
            co_return Response::json(200, to_json(*r));
        })
        .put(update(false))
        .patch(update(true))
        .del([&db](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            if (!co_await ResumeStore(session).remove(req.user->id, http::id_path_param(req)))
                http::throw_not_found();
            co_return Response::empty(204);
        });
}

}  // namespace resumate::resumes
