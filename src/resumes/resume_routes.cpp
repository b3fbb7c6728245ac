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

std::vector<http::SchemaDef> ResumeRoutes::schemas() {
    return {
        {"Resume", R"json({
          "type": "object",
          "properties": {
            "id": {"type": "integer", "readOnly": true},
            "user": {"type": "string", "description": "The owner's username", "readOnly": true},
            "title": {"type": "string", "maxLength": 255},
            "content": {"type": "string", "description": "Markdown"},
            "created_at": {"type": "string", "format": "date-time", "readOnly": true},
            "updated_at": {"type": "string", "format": "date-time", "readOnly": true}
          },
          "required": ["id", "user", "title", "content", "created_at", "updated_at"]})json"},
        {"ResumeRequest", R"json({
          "type": "object",
          "properties": {"title": {"type": "string", "maxLength": 255},
                         "content": {"type": "string"}},
          "required": ["title", "content"]})json"},
        {"ResumePatchRequest", R"json({
          "type": "object",
          "properties": {"title": {"type": "string", "maxLength": 255},
                         "content": {"type": "string"}}})json"},
    };
}

std::vector<http::RouteDef> ResumeRoutes::routes() {
    using http::Access;
    using http::Method;
    using http::on;
    return {
        {"/api/resumes/",
         "Resume List",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &ResumeRoutes::list,
             {.summary = "Your resumes, last changed first",
              .response = "[Resume]",
              .paginated = true}),
          on(Method::Post, this, &ResumeRoutes::create,
             {.summary = "Add a resume",
              .request = "ResumeRequest",
              .response = "Resume",
              .status = 201})},
         /*format_suffix=*/true},
        {"/api/resumes/{id}/",
         "Resume Instance",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &ResumeRoutes::retrieve,
             {.summary = "One of your resumes", .response = "Resume"}),
          on(Method::Put, this, &ResumeRoutes::replace,
             {.summary = "Replace a resume's title and content",
              .request = "ResumeRequest",
              .response = "Resume"}),
          on(Method::Patch, this, &ResumeRoutes::partial_update,
             {.summary = "Change a resume's title or content",
              .request = "ResumePatchRequest",
              .response = "Resume"}),
          on(Method::Delete, this, &ResumeRoutes::destroy,
             {.summary = "Delete a resume (applications that used it keep existing)",
              .status = 204})},
         /*format_suffix=*/true},
    };
}

http::Task<Response> ResumeRoutes::list(http::Context& ctx) {
    const int64_t uid = ctx.user().id;
    auto page = http::page_request(ctx.request);
    if (!page) {
        // The first rows and the ids of the rest now, the rest a page at a time as the answer
        // is written.
        auto session = ctx.shared_db();
        auto list = std::make_shared<http::IdListPager<Resume>>();
        auto head = co_await ResumeStore(*session).list_head(uid);
        list->head = std::move(head.rows);
        list->ids = std::move(head.rest);
        list->fetch = [session,
                       uid](const std::vector<int64_t>& ids) -> http::Task<std::vector<Resume>> {
            co_return co_await ResumeStore(*session).fetch(uid, ids);
        };
        list->serialize = [](const Resume& row) { return json::serialize(to_json(row)); };
        co_return co_await http::id_list_response(std::move(list));
    }
    ResumeStore store(ctx.db());
    auto rows = co_await store.list(uid, db::Page{page->limit, page->offset});
    json::array arr;
    arr.reserve(rows.size());
    for (const auto& r : rows) arr.push_back(to_json(r));
    int64_t count = co_await store.count(uid);
    co_return Response::json(200, http::page_envelope(ctx.request, *page, count, std::move(arr)));
}

http::Task<Response> ResumeRoutes::create(http::Context& ctx) {
    auto in = validate(ctx.request, false);
    ResumeStore store(ctx.db(), &limits_);
    Resume r;
    r.user_id = ctx.user().id;
    r.title = *in.title;
    r.content = *in.content;
    auto created = co_await store.create(r);
    co_return Response::json(201, to_json(created));
}

http::Task<Response> ResumeRoutes::retrieve(http::Context& ctx) {
    ResumeStore store(ctx.db());
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto r = co_await store.find(uid, id);
    if (!r) http::throw_not_found();
    co_return Response::json(200, to_json(*r));
}

http::Task<Response> ResumeRoutes::replace(http::Context& ctx) {
    return update(ctx, false);
}

http::Task<Response> ResumeRoutes::partial_update(http::Context& ctx) {
    return update(ctx, true);
}

http::Task<Response> ResumeRoutes::update(http::Context& ctx, bool partial) {
    ResumeStore store(ctx.db(), &limits_);
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto existing = co_await store.find(uid, id);
    if (!existing) http::throw_not_found();
    auto in = validate(ctx.request, partial);
    if (in.title) existing->title = *in.title;
    if (in.content) existing->content = *in.content;
    co_await store.update(*existing);
    auto fresh = co_await store.find(uid, existing->id);
    if (!fresh) http::throw_not_found();
    co_return Response::json(200, to_json(*fresh));
}

http::Task<Response> ResumeRoutes::destroy(http::Context& ctx) {
    ResumeStore store(ctx.db());
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    const bool removed = co_await store.remove(uid, id);
    if (!removed) http::throw_not_found();
    co_return Response::empty(204);
}

}  // namespace resumate::resumes
