#include "ai/ai_routes.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "ai/prompt.hpp"
#include "ai/quota_store.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/fields.hpp"
#include "resumes/resume_store.hpp"
#include "users/user_store.hpp"
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

[[noreturn]] void service_error(std::string_view message) {
    throw http::HttpError(Response::json(503, json::object{{"error", message}}));
}

std::vector<std::string> keys_for(const AiModel& m, const KeyStore& keys) {
    if (m.api_key_name.empty()) return {};
    return keys.keys(m.api_key_name);
}

bool usable(const AiModel& m, const ProviderRegistry& providers, const KeyStore& keys) {
    return m.api_provider != "auto" && providers.find(m.api_provider) &&
           (m.api_key_name.empty() || !keys_for(m, keys).empty());
}

// "Auto": the active models the caller may use whose provider is available, healthiest first:
// circuit closed, then fewest calls in flight, then lowest recent latency. The built-in
// offline model comes last — it is always "healthy", and a real model is what Auto is for —
// so it serves only when no network model can.
http::Task<std::vector<AiModel>> auto_candidates(ModelStore& store, bool logged_in, const ProviderRegistry& providers,
                                                 const KeyStore& keys) {
    auto models = co_await store.active_by_name();
    std::vector<AiModel> out;
    for (auto& m : models) {
        if (m.login_required && !logged_in) continue;
        if (usable(m, providers, keys)) out.push_back(m);
    }
    std::stable_sort(out.begin(), out.end(), [&](const AiModel& a, const AiModel& b) {
        bool ao = a.api_provider == "offline", bo = b.api_provider == "offline";
        if (ao != bo) return bo;
        auto ha = providers.health(a.api_provider), hb = providers.health(b.api_provider);
        if (ha.circuit_open != hb.circuit_open) return hb.circuit_open;
        if (ha.in_flight != hb.in_flight) return ha.in_flight < hb.in_flight;
        return ha.latency_ms < hb.latency_ms;
    });
    co_return out;
}

// Validates the admin serializer's fields into `m`.
http::Task<void> apply_model_input(const Request& req, ModelStore& store, AiModel& m, bool partial) {
    auto data = http::parse_object_data(req);
    http::ValidationErrors e;
    auto display_name = http::char_field(data, "display_name", {.max_length = 100, .partial = partial}, e);
    auto model_name = http::char_field(data, "model_name", {.max_length = 100, .partial = partial}, e);
    auto provider = http::choice_field(data, "api_provider", kProviders, {.partial = partial}, e);
    auto key_name = http::char_field(data, "api_key_name",
                                     {.required = false, .allow_blank = true, .max_length = 100, .partial = partial}, e);
    auto is_active = http::boolean_field(data, "is_active", {.required = false}, e);
    auto login_required = http::boolean_field(data, "login_required", {.required = false}, e);
    auto daily_limit = http::integer_field(data, "daily_limit", {.required = false}, e, 0, 2147483647);
    auto response_time = http::char_field(data, "response_time_info",
                                          {.required = false, .allow_blank = true, .max_length = 100}, e);
    auto description = http::char_field(data, "description", {.required = false, .allow_blank = true}, e);
    if (display_name && *display_name) {
        bool taken = co_await store.display_name_taken(**display_name, m.id);
        if (taken) e.add("display_name", "ai model with this display name already exists.");
    }
    if (key_name && *key_name && !(*key_name)->empty()) {
        for (char c : **key_name) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
                e.add("api_key_name", "Enter the name of an environment variable (letters, digits and _).");
                break;
            }
        }
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

void add_ai_routes(http::Router& router, db::Database& db, cache::Cache& cache, const ProviderRegistry& providers,
                   const KeyStore& keys) {
    router.add("/api/ai/models/", http::Access::Anyone, "AI Model List")
        .get([&db, &cache](Request&) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            auto list = co_await cache::get_or_compute(cache, kModelsCacheKey, std::chrono::hours(1),
                                                       [&session]() -> http::Task<std::string> {
                                                           auto models = co_await ModelStore(session).active_by_name();
                                                           json::array arr;
                                                           for (const auto& m : models) arr.push_back(public_json(m));
                                                           co_return json::serialize(arr);
                                                       });
            co_return http::cache_status_response(list.hit, list.value);
        });

    router.add("/api/ai/generate/", http::Access::Anyone, "Generate Resume",
               "Receives user input and a model choice, then generates and saves a resume.\n"
               "Returns the ID of the newly created resume.")
        .post([&db, &providers, &keys](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            auto data = http::parse_object_data(req);
            http::ValidationErrors errors;
            ModelStore models(session);
            auto model_field = http::char_field(data, "model", {}, errors);
            std::optional<AiModel> model;
            if (model_field && *model_field) {
                model = co_await models.find_active_by_display_name(**model_field);
                if (!model) {
                    errors.add("model", "This model is not valid or is currently disabled.");
                } else if (model->login_required && !req.user) {
                    errors.add("model", "You must be logged in to use the " + model->display_name + " model.");
                }
            }
            auto input = http::char_field(data, "user_input", {.min_length = 50}, errors);
            auto title = http::char_field(data, "title", {.required = false, .allow_null = true, .allow_blank = true, .max_length = 255}, errors);
            errors.raise_if_any();

            bool automatic = model->api_provider == "auto";
            std::vector<AiModel> candidates;
            if (automatic) {
                candidates = co_await auto_candidates(models, req.user.has_value(), providers, keys);
            } else {
                candidates.push_back(*model);
            }
            const std::string generic = "An error occurred while communicating with the AI service.";
            QuotaStore quotas(db);
            std::string subject = req.user ? "user:" + std::to_string(req.user->id) : "ip:" + req.client_ip;
            util::Date today{static_cast<int32_t>(util::now_seconds() / 86400)};
            std::optional<AiModel> served;
            GenerationResult result;
            for (const auto& candidate : candidates) {
                GenerationRequest gen;
                gen.model = &candidate;
                gen.system_instruction = system_instruction();
                gen.user_message = user_message(**input);
                gen.raw_user_input = **input;
                gen.api_keys = keys_for(candidate, keys);
                if (!candidate.api_key_name.empty() && gen.api_keys.empty()) {
                    if (automatic) continue;
                    service_error("API key '" + candidate.api_key_name + "' is not configured in the environment.");
                }
                Provider* provider = providers.find(candidate.api_provider);
                if (!provider) {
                    spdlog::error("AI model '{}' uses provider '{}', which this server does not implement",
                                  candidate.display_name, candidate.api_provider);
                    if (automatic) continue;
                    service_error(generic);
                }
                // Daily limit: take a unit before calling the provider, so that concurrent
                // requests cannot overshoot; give it back when the generation fails.
                bool reserved = false;
                if (candidate.daily_limit > 0) {
                    reserved = co_await quotas.reserve(candidate.id, subject, today, candidate.daily_limit);
                    if (!reserved) {
                        if (automatic) continue;
                        Response limited = Response::json(
                            429, json::object{{"detail", "Daily limit of " + std::to_string(candidate.daily_limit) +
                                                             " requests reached for the " + candidate.display_name +
                                                             " model."}});
                        limited.with_header("Retry-After",
                                            std::to_string(util::seconds_until_utc_midnight(util::now_seconds())));
                        co_return limited;
                    }
                }
                bool failed = false;
                try {
                    result = co_await provider->generate(gen);
                } catch (const ProviderError& e) {
                    spdlog::error("AI generation with '{}' failed: {}", candidate.display_name, e.what());
                    failed = true;
                }
                if (failed) {
                    if (reserved) co_await quotas.release(candidate.id, subject, today);
                    continue;  // Auto moves on to the next model; a single model ends below
                }
                served = candidate;
                break;
            }
            if (!served) service_error(generic);
            int64_t owner = 0;
            if (req.user) {
                owner = req.user->id;
            } else {
                owner = co_await users::UserStore(session).ensure_system_user("anonymous_user");
            }
            std::string resume_title = title && *title && !(*title)->empty() ? **title : "Untitled Resume";
            auto saved = co_await resumes::ResumeStore(session).create(owner, resume_title, result.content);
            co_return Response::json(201, json::object{{"resume_id", saved.id}, {"content", result.content}, {"model", served->display_name}});
        });

    router.add("/api/admin/ai-models/", http::Access::Staff, "AI Model Admin List")
        .get([&db](Request&) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            json::array arr;
            auto models = co_await ModelStore(session).all();
            for (const auto& m : models) arr.push_back(admin_json(m));
            co_return Response::json(200, arr);
        })
        .post([&db, &cache](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            ModelStore store(session);
            AiModel m;
            co_await apply_model_input(req, store, m, false);
            auto created = co_await store.create(m);
            co_await cache.erase(kModelsCacheKey);
            co_return Response::json(201, admin_json(created));
        });

    auto update = [&db, &cache](bool partial) {
        return [&db, &cache, partial](Request& req) -> http::Task<Response> {
            db::Session session(db);  // this request's reads follow its writes
            ModelStore store(session);
            auto m = co_await store.find(http::id_path_param(req));
            if (!m) http::throw_not_found();
            co_await apply_model_input(req, store, *m, partial);
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
            if (!co_await ModelStore(session).remove(http::id_path_param(req))) http::throw_not_found();
            co_await cache.erase(kModelsCacheKey);
            co_return Response::empty(204);
        });
}

}  // namespace resumate::ai
