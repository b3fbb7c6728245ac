#include "ai/ai_routes.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "ai/generation.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/fields.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace resumate::ai {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

json::object public_json(const AiModel& m) {
    return json::object{{"model_name", m.display_name},
                        {"login_required", m.login_required},
                        {"response_time_info", m.response_time_info},
                        {"description", m.description}};
}

json::object admin_json(const AiModel& m) {
    return json::object{{"id", m.id},
                        {"display_name", m.display_name},
                        {"model_name", m.model_name},
                        {"api_provider", m.api_provider},
                        {"api_key_name", m.api_key_name},
                        {"is_active", m.is_active},
                        {"login_required", m.login_required},
                        {"daily_limit", m.daily_limit},
                        {"response_time_info", m.response_time_info},
                        {"description", m.description},
                        {"created_at", util::to_iso8601(m.created_at)},
                        {"updated_at", util::to_iso8601(m.updated_at)}};
}

// Validates the admin serializer's fields into `m`.
http::Task<void> apply_model_input(const Request& req, ModelStore& store,
                                   const EgressPolicy& egress, AiModel& m, bool partial) {
    auto data = http::parse_object_data(req);
    http::ValidationErrors e;
    auto display_name =
        http::char_field(data, "display_name", {.max_length = 100, .partial = partial}, e);
    auto model_name =
        http::char_field(data, "model_name", {.max_length = 100, .partial = partial}, e);
    auto provider = http::choice_field(data, "api_provider", kProviders, {.partial = partial}, e);
    auto key_name = http::char_field(
        data, "api_key_name",
        {.required = false, .allow_blank = true, .max_length = 100, .partial = partial}, e);
    auto is_active = http::boolean_field(data, "is_active", {.required = false}, e);
    auto login_required = http::boolean_field(data, "login_required", {.required = false}, e);
    auto daily_limit =
        http::integer_field(data, "daily_limit", {.required = false}, e, 0, 2147483647);
    auto response_time = http::char_field(
        data, "response_time_info", {.required = false, .allow_blank = true, .max_length = 100}, e);
    auto description =
        http::char_field(data, "description", {.required = false, .allow_blank = true}, e);
    if (display_name && *display_name) {
        bool taken = co_await store.display_name_taken(**display_name, m.id);
        if (taken) e.add("display_name", "ai model with this display name already exists.");
    }
    if (key_name && *key_name && !(*key_name)->empty()) {
        for (char c : **key_name) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
                e.add("api_key_name",
                      "Enter the name of an environment variable (letters, digits and _).");
                break;
            }
        }
        if (!e.has("api_key_name")) {
            if (auto problem = egress.key_name_problem(**key_name)) e.add("api_key_name", *problem);
        }
    }
    if (model_name && *model_name && !e.has("model_name")) {
        if (auto problem = egress.model_name_problem(**model_name)) e.add("model_name", *problem);
    }
    e.raise_if_any();
    if (display_name) m.display_name = **display_name;
    if (model_name) m.model_name = **model_name;
    if (provider) m.api_provider = **provider;
    if (key_name) m.api_key_name = **key_name;
    if (is_active) m.is_active = **is_active;
    if (login_required) m.login_required = **login_required;
    if (daily_limit) m.daily_limit = **daily_limit;
    if (response_time) m.response_time_info = **response_time;
    if (description) m.description = **description;
}

constexpr std::string_view kServiceError =
    "An error occurred while communicating with the AI service.";

std::string sse_event(std::string_view name, const json::object& data) {
    return "event: " + std::string(name) + "\ndata: " + json::serialize(data) + "\n\n";
}

}  // namespace

std::vector<http::SchemaDef> AiRoutes::schemas() {
    return {
        {"AIModelSummary", R"json({
          "type": "object",
          "properties": {
            "model_name": {"type": "string", "description": "The display name to generate with"},
            "login_required": {"type": "boolean"},
            "response_time_info": {"type": "string"},
            "description": {"type": "string"}
          },
          "required": ["model_name", "login_required", "response_time_info", "description"]})json"},
        {"AIModelList", R"json({
          "type": "object",
          "properties": {
            "cache_status": {"type": "string"},
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/AIModelSummary"}}
          },
          "required": ["cache_status", "data"]})json"},
        {"GenerateRequest", R"json({
          "type": "object",
          "properties": {
            "model": {"type": "string", "description": "A model's display name (any case), or Auto"},
            "user_input": {"type": "string", "minLength": 50,
                           "description": "Your experience, skills and the job you want"},
            "title": {"type": "string", "maxLength": 255, "description": "Default: Untitled Resume"}
          },
          "required": ["model", "user_input"]})json"},
        {"TailorRequest", R"json({
          "type": "object",
          "properties": {
            "job_application": {"type": "integer",
                                "description": "One of your live applications, with a job description"},
            "model": {"type": "string", "description": "A model's display name (any case), or Auto"},
            "attach": {"type": "boolean", "default": false,
                       "description": "Make the new resume the application's resume_used"}
          },
          "required": ["job_application", "model"]})json"},
        {"GenerateResponse", R"json({
          "type": "object",
          "properties": {
            "resume_id": {"type": "integer"},
            "content": {"type": "string", "description": "Markdown"},
            "model": {"type": "string", "description": "The display name of the model that wrote it"}
          },
          "required": ["resume_id", "content", "model"]})json"},
        {"AIProvider", R"json({"type": "string",
          "enum": ["google_gemini", "open_router", "openai_compatible", "offline", "auto"]})json"},
        {"AdminAIModel", R"json({
          "type": "object",
          "properties": {
            "id": {"type": "integer", "readOnly": true},
            "display_name": {"type": "string", "maxLength": 100},
            "model_name": {"type": "string", "maxLength": 100},
            "api_provider": {"$ref": "#/components/schemas/AIProvider"},
            "api_key_name": {"type": "string", "maxLength": 100},
            "is_active": {"type": "boolean"},
            "login_required": {"type": "boolean"},
            "daily_limit": {"type": "integer", "minimum": 0, "description": "0: no limit"},
            "response_time_info": {"type": "string", "maxLength": 100},
            "description": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time", "readOnly": true},
            "updated_at": {"type": "string", "format": "date-time", "readOnly": true}
          },
          "required": ["id", "display_name", "model_name", "api_provider", "api_key_name",
                       "is_active", "login_required", "daily_limit", "response_time_info",
                       "description", "created_at", "updated_at"]})json"},
        {"AdminAIModelFields", R"json({
          "type": "object",
          "properties": {
            "display_name": {"type": "string", "maxLength": 100},
            "model_name": {"type": "string", "maxLength": 100},
            "api_provider": {"$ref": "#/components/schemas/AIProvider"},
            "api_key_name": {"type": "string", "maxLength": 100},
            "is_active": {"type": "boolean"},
            "login_required": {"type": "boolean"},
            "daily_limit": {"type": "integer", "minimum": 0},
            "response_time_info": {"type": "string", "maxLength": 100},
            "description": {"type": "string"}
          }})json"},
        {"AdminAIModelRequest", R"json({
          "allOf": [{"$ref": "#/components/schemas/AdminAIModelFields"}],
          "required": ["display_name", "model_name", "api_provider"]})json"},
    };
}

std::vector<http::RouteDef> AiRoutes::routes() {
    using http::Access;
    using http::Method;
    using http::on;
    return {
        {"/api/ai/models/",
         "AI Model List",
         Access::Anyone,
         http::kNoScope,
         {on(Method::Get, this, &AiRoutes::list_models,
             {.summary = "The active AI models, by name (cached; X-Cache-Status)",
              .response = "AIModelList"})}},
        {"/api/ai/generate/",
         "Generate Resume",
         Access::Anyone,
         http::ThrottleScope{"generate"},
         {on(Method::Post, this, &AiRoutes::generate,
             {.summary = "Write a resume from your text with a model, and save it",
              .request = "GenerateRequest",
              .response = "GenerateResponse",
              .status = 201,
              .errors = {503}})},
         false,
         "Receives user input and a model choice, then generates and saves a resume.\n"
         "Returns the ID of the newly created resume."},
        {"/api/ai/generate/stream/",
         "Generate Resume Stream",
         Access::Anyone,
         http::ThrottleScope{"generate"},
         {on(Method::Post, this, &AiRoutes::generate_stream,
             {.summary = "As generate, with the text sent as Server-Sent Events as it is written",
              .request = "GenerateRequest",
              .media = "text/event-stream",
              .errors = {503}})},
         false,
         "As Generate Resume, but the text is sent as Server-Sent Events while the model writes "
         "it:\n"
         "data: {\"delta\": ...} events, then event: done with the resume_id (or event: error).",
         /*also_accepts=*/"text/event-stream"},
        {"/api/resumes/{id}/tailor/",
         "Tailor Resume",
         Access::Authenticated,
         http::ThrottleScope{"generate"},
         {on(Method::Post, this, &AiRoutes::tailor,
             {.summary = "Rewrite one of your resumes for one of your job applications, as a new "
                         "resume",
              .request = "TailorRequest",
              .response = "GenerateResponse",
              .status = 201,
              .errors = {503}})},
         false,
         "A new resume, titled \"<title> — <company_name>\", rewritten by a model for the "
         "application's job description from the facts the resume states. Model rules, daily "
         "limits and errors as Generate Resume; with \"attach\": true the application's "
         "resume_used becomes the new resume."},
        {"/api/resumes/{id}/tailor/stream/",
         "Tailor Resume Stream",
         Access::Authenticated,
         http::ThrottleScope{"generate"},
         {on(Method::Post, this, &AiRoutes::tailor_stream,
             {.summary = "As tailor, with the text sent as Server-Sent Events as it is written",
              .request = "TailorRequest",
              .media = "text/event-stream",
              .errors = {503}})},
         false,
         "As Tailor Resume, but the text is sent as Server-Sent Events while the model writes "
         "it, as Generate Resume Stream does.",
         /*also_accepts=*/"text/event-stream"},
        {"/api/admin/ai-models/",
         "AI Model Admin List",
         Access::Staff,
         http::kNoScope,
         {on(Method::Get, this, &AiRoutes::admin_list,
             {.summary = "Every AI model (staff)", .response = "[AdminAIModel]"}),
          on(Method::Post, this, &AiRoutes::admin_create,
             {.summary = "Add an AI model (staff)",
              .request = "AdminAIModelRequest",
              .response = "AdminAIModel",
              .status = 201})}},
        {"/api/admin/ai-models/{id}/",
         "AI Model Admin Detail",
         Access::Staff,
         http::kNoScope,
         {on(Method::Get, this, &AiRoutes::admin_retrieve,
             {.summary = "One AI model (staff)", .response = "AdminAIModel"}),
          on(Method::Put, this, &AiRoutes::admin_replace,
             {.summary = "Replace an AI model's settings (staff)",
              .request = "AdminAIModelRequest",
              .response = "AdminAIModel"}),
          on(Method::Patch, this, &AiRoutes::admin_partial_update,
             {.summary = "Change some of an AI model's settings (staff)",
              .request = "AdminAIModelFields",
              .response = "AdminAIModel"}),
          on(Method::Delete, this, &AiRoutes::admin_destroy,
             {.summary = "Delete an AI model (staff)", .status = 204})}},
    };
}

http::Task<Response> AiRoutes::list_models(http::Context& ctx) {
    db::Session& session = ctx.db();
    auto list = co_await cache::get_or_compute(
        cache_, kModelsCacheKey, std::chrono::hours(1), [&session]() -> http::Task<std::string> {
            // What every instance will serve for an hour is read from the primary: a replica
            // may not have replayed yet the change that emptied the cache.
            session.pin_to_primary();
            auto models = co_await ModelStore(session).active_by_name();
            json::array arr;
            for (const auto& m : models) arr.push_back(public_json(m));
            co_return json::serialize(arr);
        });
    co_return http::cache_status_response(list.hit, list.value);
}

http::Task<Response> AiRoutes::generate(http::Context& ctx) {
    GenerationPlan plan = co_await plan_generation(ctx.request, ctx.db(), deps_);
    co_return co_await answer(ctx, std::move(plan));
}

http::Task<Response> AiRoutes::generate_stream(http::Context& ctx) {
    // Validation, the key, the provider and the daily limit answer as JSON, before the stream
    // starts.
    GenerationPlan plan = co_await plan_generation(ctx.request, ctx.db(), deps_);
    co_return stream_answer(ctx, std::move(plan));
}

http::Task<Response> AiRoutes::tailor(http::Context& ctx) {
    GenerationPlan plan = co_await plan_tailoring(ctx.request, ctx.db(), deps_, ctx.id_param());
    co_return co_await answer(ctx, std::move(plan));
}

http::Task<Response> AiRoutes::tailor_stream(http::Context& ctx) {
    GenerationPlan plan = co_await plan_tailoring(ctx.request, ctx.db(), deps_, ctx.id_param());
    co_return stream_answer(ctx, std::move(plan));
}

http::Task<Response> AiRoutes::answer(http::Context& ctx, GenerationPlan plan) {
    bool client_gone = false;
    auto served = co_await run_generation(plan, deps_, nullptr, {}, client_gone);
    if (!served) throw http::Error::upstream_unavailable(std::string(kServiceError));
    int64_t id = co_await save_generated(ctx.db(), plan, deps_, served->content);
    co_return Response::json(201, json::object{{"resume_id", id},
                                               {"content", served->content},
                                               {"model", served->model.display_name}});
}

Response AiRoutes::stream_answer(http::Context& ctx, GenerationPlan validated) {
    auto plan = std::make_shared<GenerationPlan>(std::move(validated));
    auto session = ctx.shared_db();
    Response res;
    res.status = 200;
    res.content_type = "text/event-stream; charset=utf-8";
    res.with_header("Cache-Control", "no-cache");
    res.with_header("X-Accel-Buffering", "no");  // nginx: pass events on at once
    res.stream = [plan, session, deps = deps_](http::ResponseStream& out) -> http::Task<void> {
        DeltaFn on_delta = [&out](std::string_view delta) -> Task<bool> {
            std::string event = "data: " + json::serialize(json::object{{"delta", delta}}) + "\n\n";
            co_return co_await out.write(event);
        };
        bool client_gone = false;
        auto served =
            co_await run_generation(*plan, deps, &on_delta, out.client_gone(), client_gone);
        std::string ending;
        if (served) {
            bool saved = false;
            int64_t id = 0;
            std::string refusal = "A server error occurred.";
            try {
                id = co_await save_generated(*session, *plan, deps, served->content);
                saved = true;
            } catch (const http::Error& e) {
                // Over the storage quota: the event carries the refusal's detail.
                if (e.kind() == http::ErrorKind::QuotaExceeded) refusal = e.detail();
            } catch (const std::exception& e) {
                util::log::error("saving a streamed resume failed: {}", e.what());
            }
            ending = saved ? sse_event("done", json::object{{"resume_id", id},
                                                            {"model", served->model.display_name}})
                           : sse_event("error", json::object{{"error", refusal}});
        } else if (!client_gone) {
            ending = sse_event("error", json::object{{"error", kServiceError}});
        }
        if (!ending.empty()) co_await out.write(ending);
    };
    return res;
}

http::Task<Response> AiRoutes::admin_list(http::Context& ctx) {
    json::array arr;
    ModelStore store(ctx.db());
    auto models = co_await store.list();
    for (const auto& m : models) arr.push_back(admin_json(m));
    co_return Response::json(200, arr);
}

http::Task<Response> AiRoutes::admin_create(http::Context& ctx) {
    ModelStore store(ctx.db());
    AiModel m;
    co_await apply_model_input(ctx.request, store, deps_.keys.policy(), m, false);
    auto created = co_await store.create(m);
    co_await cache_.erase(kModelsCacheKey);
    co_return Response::json(201, admin_json(created));
}

http::Task<Response> AiRoutes::admin_retrieve(http::Context& ctx) {
    ModelStore store(ctx.db());
    const int64_t id = ctx.id_param();
    auto m = co_await store.find(id);
    if (!m) http::throw_not_found();
    co_return Response::json(200, admin_json(*m));
}

http::Task<Response> AiRoutes::admin_replace(http::Context& ctx) {
    return admin_update(ctx, false);
}

http::Task<Response> AiRoutes::admin_partial_update(http::Context& ctx) {
    return admin_update(ctx, true);
}

http::Task<Response> AiRoutes::admin_update(http::Context& ctx, bool partial) {
    ModelStore store(ctx.db());
    const int64_t id = ctx.id_param();
    auto m = co_await store.find(id);
    if (!m) http::throw_not_found();
    co_await apply_model_input(ctx.request, store, deps_.keys.policy(), *m, partial);
    co_await store.update(*m);
    co_await cache_.erase(kModelsCacheKey);
    auto fresh = co_await store.find(m->id);
    co_return Response::json(200, admin_json(fresh.value()));
}

http::Task<Response> AiRoutes::admin_destroy(http::Context& ctx) {
    ModelStore store(ctx.db());
    const int64_t id = ctx.id_param();
    const bool removed = co_await store.remove(id);
    if (!removed) http::throw_not_found();
    co_await cache_.erase(kModelsCacheKey);
    co_return Response::empty(204);
}

}  // namespace resumate::ai
