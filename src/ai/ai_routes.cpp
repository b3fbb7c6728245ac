#include "ai/ai_routes.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "ai/generation.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/fields.hpp"
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

}  // namespace

void add_ai_routes(http::Router& router, db::Database& db, cache::Cache& cache,
                   const ProviderRegistry& providers, const KeyStore& keys, size_t max_input_chars,
                   users::SystemUsers& system_users, const quotas::StorageLimits& limits) {
    router.add("/api/ai/models/", http::Access::Anyone, "AI Model List")
        .get([&db, &cache](Request&) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            auto list = co_await cache::get_or_compute(
                cache, kModelsCacheKey, std::chrono::hours(1),
                [&session]() -> http::Task<std::string> {
                    auto models = co_await ModelStore(session).active_by_name();
                    json::array arr;
                    for (const auto& m : models) arr.push_back(public_json(m));
                    co_return json::serialize(arr);
                });
            co_return http::cache_status_response(list.hit, list.value);
        });

    GenerationDeps deps{db, providers, keys, max_input_chars, system_users, &limits};
    router
        .add("/api/ai/generate/", http::Access::Anyone, "Generate Resume",
             "Receives user input and a model choice, then generates and saves a resume.\n"
             "Returns the ID of the newly created resume.")
        .post([deps](Request& req) -> http::Task<Response> {
            db::Session session(deps.db);  // this request's reads follow its writes
            GenerationPlan plan = co_await plan_generation(req, session, deps);
            bool client_gone = false;
            auto served = co_await run_generation(plan, deps, nullptr, {}, client_gone);
            if (!served) {
                throw http::HttpError(Response::json(
                    503,
                    json::object{
                        {"error", "An error occurred while communicating with the AI service."}}));
            }
            int64_t id = co_await save_generated(session, plan, deps, served->content);
            co_return Response::json(201, json::object{{"resume_id", id},
                                                       {"content", served->content},
                                                       {"model", served->model.display_name}});
        });

    router
        .add(
            "/api/ai/generate/stream/", http::Access::Anyone, "Generate Resume Stream",
            "As Generate Resume, but the text is sent as Server-Sent Events while the model writes "
            "it:\n"
            "data: {\"delta\": ...} events, then event: done with the resume_id (or event: error).")
        .post([deps](Request& req) -> http::Task<Response> {
            db::Session session(deps.db);
            // Validation, the key, the provider and the daily limit answer as JSON, before the
            // stream starts.
            GenerationPlan validated = co_await plan_generation(req, session, deps);
            auto plan = std::make_shared<GenerationPlan>(std::move(validated));
            Response res;
            res.status = 200;
            res.content_type = "text/event-stream; charset=utf-8";
            res.with_header("Cache-Control", "no-cache");
            res.with_header("X-Accel-Buffering", "no");  // nginx: pass events on at once
            res.stream = [plan, deps](http::ResponseStream& out) -> http::Task<void> {
                DeltaFn on_delta = [&out](std::string_view delta) -> Task<bool> {
                    std::string event =
                        "data: " + json::serialize(json::object{{"delta", delta}}) + "\n\n";
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
                        db::Session writer(deps.db);
                        id = co_await save_generated(writer, *plan, deps, served->content);
                        saved = true;
                    } catch (http::HttpError& e) {
                        // Over the storage quota: the event carries the refusal's detail.
                        auto body = boost::json::parse(e.response().body);
                        if (auto* o = body.if_object();
                            o && o->contains("detail") && o->at("detail").is_string())
                            refusal = std::string(o->at("detail").as_string());
                    } catch (const std::exception& e) {
                        spdlog::error("saving a streamed resume failed: {}", e.what());
                    }
                    ending =
                        saved ? "event: done\ndata: " +
                                    json::serialize(json::object{
                                        {"resume_id", id}, {"model", served->model.display_name}}) +
                                    "\n\n"
                              : "event: error\ndata: " +
                                    json::serialize(json::object{{"error", refusal}}) + "\n\n";
                } else if (!client_gone) {
                    ending = "event: error\ndata: " +
                             json::serialize(json::object{
                                 {"error",
                                  "An error occurred while communicating with the AI service."}}) +
                             "\n\n";
                }
                if (!ending.empty()) co_await out.write(ending);
            };
            co_return res;
        });

    router.add("/api/admin/ai-models/", http::Access::Staff, "AI Model Admin List")
        .get([&db](Request&) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            json::array arr;
            auto models = co_await ModelStore(session).all();
            for (const auto& m : models) arr.push_back(admin_json(m));
            co_return Response::json(200, arr);
        })
        .post([&db, &cache, &keys](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            ModelStore store(session);
            AiModel m;
            co_await apply_model_input(req, store, keys.policy(), m, false);
            auto created = co_await store.create(m);
            co_await cache.erase(kModelsCacheKey);
            co_return Response::json(201, admin_json(created));
        });

    auto update = [&db, &cache, &keys](bool partial) {
        return [&db, &cache, &keys, partial](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            ModelStore store(session);
            auto m = co_await store.find(http::id_path_param(req));
            if (!m) http::throw_not_found();
            co_await apply_model_input(req, store, keys.policy(), *m, partial);
            co_await store.update(*m);
            co_await cache.erase(kModelsCacheKey);
            auto fresh = co_await store.find(m->id);
            co_return Response::json(200, admin_json(fresh.value()));
        };
    };
    router.add("/api/admin/ai-models/{id}/", http::Access::Staff, "AI Model Admin Detail")
        .get([&db](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            auto m = co_await ModelStore(session).find(http::id_path_param(req));
            if (!m) http::throw_not_found();
            co_return Response::json(200, admin_json(*m));
        })
        .put(update(false))
        .patch(update(true))
        .del([&db, &cache](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            if (!co_await ModelStore(session).remove(http::id_path_param(req)))
                http::throw_not_found();
            co_await cache.erase(kModelsCacheKey);
            co_return Response::empty(204);
        });
}

}  // namespace resumate::ai
