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
                // The ids now, the rows a page at a time as the answer is written.
                auto session = std::make_shared<db::Session>(db);
                const int64_t uid = req.user->id;
                auto list = std::make_shared<http::IdListPager<Resume>>();
                list->ids = co_await ResumeStore(*session).list_ids(uid);
                list->fetch =
                    [session,
                     uid](const std::vector<int64_t>& ids) -> http::Task<std::vector<Resume>> {
                    co_return co_await ResumeStore(*session).fetch(uid, ids);
                };
                list->serialize = [](const Resume& row) { return json::serialize(to_json(row)); };
                co_return co_await http::id_list_response(std::move(list));
            }
            db::Session session(db);  // this request's reads follow its writes
            ResumeStore store(session);
            int64_t uid = req.user->id;
            auto rows = co_await store.list(uid, page ? db::Page{page->limit, page->offset} : db::Page{});
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
            Resume r;
            r.user_id = req.user->id;
            r.title = *in.title;
            r.content = *in.content;
            auto created = co_await ResumeStore(session, &limits).create(r);
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
