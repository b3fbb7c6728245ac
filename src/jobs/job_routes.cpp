#include "jobs/job_routes.hpp"

#include <boost/json.hpp>

#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/fields.hpp"
#include "http/json_stream.hpp"
#include "http/pagination.hpp"
#include "jobs/job_store.hpp"
#include "resumes/resume_store.hpp"
#include "util/strings.hpp"

namespace resumate::jobs {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

void set_opt(json::value& slot, const std::optional<std::string>& s) {
    if (s)
        slot = *s;
    else
        slot = nullptr;
}

// `sp`: lists build every row in one monotonic arena instead of a malloc per string.
json::object to_json(const JobApplication& a, json::storage_ptr sp = {}) {
    json::object o(sp);
    o.reserve(13);
    o["id"] = a.id;
    set_opt(o["job_title"], a.job_title);
    set_opt(o["company_name"], a.company_name);
    set_opt(o["original_job_description"], a.original_job_description);
    if (a.date_applied)
        o["date_applied"] = util::to_iso_date(*a.date_applied);
    else
        o["date_applied"] = nullptr;
    o["status"] = a.status;
    set_opt(o["notes"], a.notes);
    o["is_deleted"] = a.is_deleted;
    o["is_example"] = a.is_example;
    o["created_at"] = util::to_iso8601(a.created_at);
    o["updated_at"] = util::to_iso8601(a.updated_at);
    o["user"] = a.user_id;
    if (a.resume_used)
        o["resume_used"] = *a.resume_used;
    else
        o["resume_used"] = nullptr;
    return o;
}

json::array to_json(const std::vector<JobApplication>& v, json::storage_ptr sp = {}) {
    json::array arr(sp);
    arr.reserve(v.size());
    for (const auto& a : v) arr.push_back(to_json(a, sp));
    return arr;
}

// Applies the request's fields to `a` (all optional, as the original's serializer).
// is_deleted and is_example are read-only here: only the server changes them.
http::Task<void> apply_input(const Request& req, db::Database& db, JobApplication& a) {
    auto data = http::parse_object_data(req);
    http::ValidationErrors errors;
    const http::FieldRules text{.required = false, .allow_null = true, .allow_blank = true};
    const http::FieldRules line{
        .required = false, .allow_null = true, .allow_blank = true, .max_length = 255};
    auto job_title = http::char_field(data, "job_title", line, errors);
    auto company_name = http::char_field(data, "company_name", line, errors);
    auto description = http::char_field(data, "original_job_description", text, errors);
    auto date_applied =
        http::date_field(data, "date_applied", {.required = false, .allow_null = true}, errors);
    auto status = http::choice_field(data, "status", kStatuses, {.required = false}, errors);
    auto notes = http::char_field(data, "notes", text, errors);
    auto resume_used =
        http::pk_field(data, "resume_used", {.required = false, .allow_null = true}, errors);
    if (resume_used && *resume_used) {
        // Stricter than the original: only the caller's own resumes.
        int64_t rid = **resume_used;
        bool owned = false;
        if (rid > 0) owned = co_await resumes::ResumeStore(db).exists(req.user->id, rid);
        if (!owned) {
            errors.add("resume_used",
                       http::invalid_pk_message(data.value.as_object().at("resume_used")));
        }
    }
    errors.raise_if_any();
    if (job_title) a.job_title = *job_title;
    if (company_name) a.company_name = *company_name;
    if (description) a.original_job_description = *description;
    if (date_applied) a.date_applied = *date_applied;
    if (status) a.status = **status;
    if (notes) a.notes = *notes;
    if (resume_used) a.resume_used = *resume_used;
}

}  // namespace

std::vector<http::SchemaDef> JobRoutes::schemas() {
    return {
        {"JobStatus",
         R"json({"type": "string", "enum": ["Applied", "Interviewing", "Offer", "Rejected"]})json"},
        {"JobApplication", R"json({
          "type": "object",
          "properties": {
            "id": {"type": "integer", "readOnly": true},
            "user": {"type": "integer", "readOnly": true},
            "job_title": {"type": ["string", "null"], "maxLength": 255},
            "company_name": {"type": ["string", "null"], "maxLength": 255},
            "original_job_description": {"type": ["string", "null"]},
            "resume_used": {"type": ["integer", "null"], "description": "One of your resumes"},
            "date_applied": {"type": ["string", "null"], "format": "date"},
            "status": {"$ref": "#/components/schemas/JobStatus"},
            "notes": {"type": ["string", "null"]},
            "is_deleted": {"type": "boolean", "readOnly": true},
            "is_example": {"type": "boolean", "readOnly": true},
            "created_at": {"type": "string", "format": "date-time", "readOnly": true},
            "updated_at": {"type": "string", "format": "date-time", "readOnly": true}
          },
          "required": ["id", "user", "job_title", "company_name", "original_job_description",
                       "resume_used", "date_applied", "status", "notes", "is_deleted",
                       "is_example", "created_at", "updated_at"]})json"},
        {"JobApplicationRequest", R"json({
          "type": "object",
          "description": "Every field is optional; a PUT keeps the fields it does not send.",
          "properties": {
            "job_title": {"type": ["string", "null"], "maxLength": 255},
            "company_name": {"type": ["string", "null"], "maxLength": 255},
            "original_job_description": {"type": ["string", "null"]},
            "resume_used": {"type": ["integer", "null"]},
            "date_applied": {"type": ["string", "null"], "format": "date"},
            "status": {"$ref": "#/components/schemas/JobStatus"},
            "notes": {"type": ["string", "null"]}
          }})json"},
        {"ExampleJobApplicationList", R"json({
          "type": "object",
          "properties": {
            "cache_status": {"type": "string",
                             "enum": ["MISS (Response from database)", "HIT (Response from Redis cache)"]},
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/JobApplication"}}
          },
          "required": ["cache_status", "data"]})json"},
    };
}

std::vector<http::RouteDef> JobRoutes::routes() {
    using http::Access;
    using http::Method;
    using http::on;
    return {
        {"/api/job-applications/",
         "Job Application List",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::list,
             {.summary = "Your job applications (not deleted)",
              .response = "[JobApplication]",
              .paginated = true}),
          on(Method::Post, this, &JobRoutes::create,
             {.summary = "Track a job application",
              .request = "JobApplicationRequest",
              .response = "JobApplication",
              .status = 201})}},
        {"/api/job-applications/{id}/",
         "Job Application Detail",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::retrieve,
             {.summary = "One of your job applications", .response = "JobApplication"}),
          on(Method::Put, this, &JobRoutes::update,
             {.summary = "Change a job application (fields not sent are kept)",
              .request = "JobApplicationRequest",
              .response = "JobApplication"}),
          on(Method::Patch, this, &JobRoutes::update,
             {.summary = "Change some fields of a job application",
              .request = "JobApplicationRequest",
              .response = "JobApplication"}),
          on(Method::Delete, this, &JobRoutes::destroy,
             {.summary = "Delete a job application (kept, marked deleted)", .status = 204})}},
        {"/api/example-job-applications/",
         "Example Job Application List",
         Access::Anyone,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::list_examples,
             {.summary = "The example board shown to visitors (cached; X-Cache-Status)",
              .response = "ExampleJobApplicationList"})}},
        {"/api/example-job-applications/{id}/",
         "Example Job Application Detail",
         Access::Anyone,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::retrieve_example,
             {.summary = "One example job application", .response = "JobApplication"})}},
    };
}

http::Task<Response> JobRoutes::list(http::Context& ctx) {
    const int64_t uid = ctx.user().id;
    auto page = http::page_request(ctx.request);
    if (!page) {
        // The first rows and the ids of the rest now, the rest a page at a time as the answer
        // is written.
        auto session = ctx.shared_db();
        auto list = std::make_shared<http::IdListPager<JobApplication>>();
        auto head = co_await JobStore(*session).list_head(uid);
        list->head = std::move(head.rows);
        list->ids = std::move(head.rest);
        list->fetch =
            [session,
             uid](const std::vector<int64_t>& ids) -> http::Task<std::vector<JobApplication>> {
            co_return co_await JobStore(*session).fetch(uid, ids);
        };
        list->serialize = [](const JobApplication& row) { return json::serialize(to_json(row)); };
        co_return co_await http::id_list_response(std::move(list));
    }
    JobStore store(ctx.db());
    auto rows = co_await store.list(uid, db::Page{page->limit, page->offset});
    int64_t count = co_await store.count(uid);
    co_return Response::json(200, http::page_envelope(ctx.request, *page, count, to_json(rows)));
}

http::Task<Response> JobRoutes::create(http::Context& ctx) {
    JobApplication a;
    a.user_id = ctx.user().id;
    co_await apply_input(ctx.request, ctx.db(), a);
    JobStore store(ctx.db(), &limits_);
    auto created = co_await store.create(a);
    co_return Response::json(201, to_json(created));
}

http::Task<Response> JobRoutes::retrieve(http::Context& ctx) {
    JobStore store(ctx.db());
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto a = co_await store.find(uid, id);
    if (!a) http::throw_not_found();
    co_return Response::json(200, to_json(*a));
}

http::Task<Response> JobRoutes::update(http::Context& ctx) {
    JobStore store(ctx.db(), &limits_);
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto a = co_await store.find(uid, id);
    if (!a) http::throw_not_found();
    co_await apply_input(ctx.request, ctx.db(), *a);
    co_await store.update(*a);
    if (a->is_example) co_await cache_.erase(kExamplesCacheKey);
    auto fresh = co_await store.find(uid, a->id);
    if (!fresh) http::throw_not_found();
    co_return Response::json(200, to_json(*fresh));
}

http::Task<Response> JobRoutes::destroy(http::Context& ctx) {
    JobStore store(ctx.db());
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto a = co_await store.find(uid, id);
    if (!a) http::throw_not_found();
    const bool deleted = co_await store.remove(uid, a->id);
    if (!deleted) http::throw_not_found();
    if (a->is_example) co_await cache_.erase(kExamplesCacheKey);
    co_return Response::empty(204);
}

http::Task<Response> JobRoutes::list_examples(http::Context& ctx) {
    db::Session& session = ctx.db();
    auto list = co_await cache::get_or_compute(
        cache_, kExamplesCacheKey, std::chrono::hours(1), [&session]() -> http::Task<std::string> {
            // What every instance will serve for an hour is read from the primary: a replica
            // may not have replayed yet the change that emptied the cache.
            session.pin_to_primary();
            auto rows = co_await JobStore(session).examples();
            co_return json::serialize(to_json(rows));
        });
    co_return http::cache_status_response(list.hit, list.value);
}

http::Task<Response> JobRoutes::retrieve_example(http::Context& ctx) {
    JobStore store(ctx.db());
    const int64_t id = ctx.id_param();
    auto a = co_await store.example(id);
    if (!a) http::throw_not_found();
    co_return Response::json(200, to_json(*a));
}

}  // namespace resumate::jobs
