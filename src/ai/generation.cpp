#include "ai/generation.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "ai/prompt.hpp"
#include "ai/quota_store.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/fields.hpp"
#include "jobs/job_store.hpp"
#include "resumes/resume_store.hpp"
#include "users/user_store.hpp"
#include "util/log.hpp"

namespace resumate::ai {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Response;

constexpr std::string_view kGenericError =
    "An error occurred while communicating with the AI service.";

[[noreturn]] void service_error(std::string message) {
    throw http::Error::upstream_unavailable(std::move(message));
}

std::vector<std::string> keys_for(const AiModel& m, const KeyStore& keys) {
    if (m.api_key_name.empty()) return {};
    return keys.keys(m.api_key_name);
}

bool usable(const AiModel& m, const GenerationDeps& deps) {
    return m.api_provider != "auto" && deps.providers.find(m.api_provider) &&
           (m.api_key_name.empty() || !keys_for(m, deps.keys).empty());
}

// "Auto": the active models the caller may use whose provider is available, healthiest first:
// circuit closed, then fewest calls in flight, then lowest recent latency. The built-in
// offline model comes last — it is always "healthy", and a real model is what Auto is for —
// so it serves only when no network model can.
http::Task<std::vector<AiModel>> auto_candidates(ModelStore& store, bool logged_in,
                                                 const GenerationDeps& deps) {
    auto models = co_await store.active_by_name();
    std::vector<AiModel> out;
    for (auto& m : models) {
        if (m.login_required && !logged_in) continue;
        if (usable(m, deps)) out.push_back(m);
    }
    const ProviderRegistry& providers = deps.providers;
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

http::Error daily_limit_reached(const AiModel& m) {
    return http::Error::throttled(util::seconds_until_utc_midnight(util::now_seconds()),
                                  "Daily limit of " + std::to_string(m.daily_limit) +
                                      " requests reached for the " + m.display_name + " model.");
}

}  // namespace

namespace {

// The "model" field: an active model by display name, which the caller may use.
http::Task<std::optional<AiModel>> model_field(const http::RequestData& data,
                                               const http::Request& req, ModelStore& models,
                                               http::ValidationErrors& errors) {
    auto field = http::char_field(data, "model", {}, errors);
    std::optional<AiModel> model;
    if (field && *field) {
        model = co_await models.find_active_by_display_name(**field);
        if (!model) {
            errors.add("model", "This model is not valid or is currently disabled.");
        } else if (model->login_required && !req.user) {
            errors.add("model",
                       "You must be logged in to use the " + model->display_name + " model.");
        }
    }
    co_return model;
}

// Who the plan is for, and the models it may use: Auto's candidates, or the one model once its
// key, its provider and its daily limit allow it (the unit is taken now).
http::Task<void> choose_models(GenerationPlan& plan, const AiModel& model, const http::Request& req,
                               ModelStore& models, const GenerationDeps& deps) {
    if (req.user) plan.user_id = req.user->id;
    plan.quota_subject = req.user ? "user:" + std::to_string(req.user->id) : "ip:" + req.client_ip;
    plan.today = util::Date{static_cast<int32_t>(util::now_seconds() / 86400)};
    plan.automatic = model.api_provider == "auto";
    if (plan.automatic) {
        plan.candidates = co_await auto_candidates(models, req.user.has_value(), deps);
        co_return;
    }
    if (!model.api_key_name.empty() && keys_for(model, deps.keys).empty()) {
        service_error("API key '" + model.api_key_name + "' is not configured in the environment.");
    }
    if (!deps.providers.find(model.api_provider)) {
        util::log::error("AI model '{}' uses provider '{}', which this server does not implement",
                         model.display_name, model.api_provider);
        service_error(std::string(kGenericError));
    }
    if (model.daily_limit > 0) {
        bool reserved = co_await QuotaStore(deps.db).reserve(model.id, plan.quota_subject,
                                                             plan.today, model.daily_limit);
        if (!reserved) {
            if (deps.metrics) deps.metrics->quota_refused->with({model.display_name}).inc();
            throw daily_limit_reached(model);
        }
        plan.first_reserved = true;
    }
    plan.candidates.push_back(model);
}

// A title of at most 255 characters: `title` cut (at a character boundary) so that the
// suffix fits.
std::string titled(const std::string& title, const std::string& suffix) {
    constexpr size_t kMaxChars = 255;
    auto chars = [](std::string_view s) {
        size_t n = 0;
        for (unsigned char c : s) n += (c & 0xC0) != 0x80;
        return n;
    };
    const size_t room = kMaxChars - std::min(kMaxChars, chars(suffix));
    std::string head;
    size_t n = 0;
    for (size_t i = 0; i < title.size(); ++i) {
        const auto c = static_cast<unsigned char>(title[i]);
        if ((c & 0xC0) != 0x80 && ++n > room) break;
        head.push_back(title[i]);
    }
    std::string out = head + suffix;
    while (chars(out) > kMaxChars) out.pop_back();  // a suffix longer than the limit
    return out;
}

}  // namespace

http::Task<GenerationPlan> plan_generation(const http::Request& req, db::Session& session,
                                           const GenerationDeps& deps) {
    auto data = http::parse_object_data(req);
    http::ValidationErrors errors;
    ModelStore models(session);
    auto model = co_await model_field(data, req, models, errors);
    auto input = http::char_field(data, "user_input",
                                  {.max_length = deps.max_input_chars, .min_length = 50}, errors);
    auto title = http::char_field(
        data, "title",
        {.required = false, .allow_null = true, .allow_blank = true, .max_length = 255}, errors);
    errors.raise_if_any();

    if (req.user && deps.limits) {
        // Refused before a provider is paid for and a daily unit taken.
        co_await quotas::precheck(session, req.user->id, *deps.limits, quotas::NewRow::Resume, 1);
    }

    GenerationPlan plan;
    plan.user_input = **input;
    plan.title = title && *title && !(*title)->empty() ? **title : "Untitled Resume";
    co_await choose_models(plan, *model, req, models, deps);
    co_return plan;
}

http::Task<GenerationPlan> plan_tailoring(const http::Request& req, db::Session& session,
                                          const GenerationDeps& deps, int64_t resume_id) {
    const int64_t uid = req.user.value().id;
    auto resume = co_await resumes::ResumeStore(session).find(uid, resume_id);
    if (!resume) http::throw_not_found();
    auto data = http::parse_object_data(req);
    http::ValidationErrors errors;
    ModelStore models(session);
    auto application_field = http::pk_field(data, "job_application", {}, errors);
    auto model = co_await model_field(data, req, models, errors);
    auto attach = http::boolean_field(data, "attach", {.required = false}, errors);
    std::optional<jobs::JobApplication> application;
    if (application_field && *application_field) {
        application = co_await jobs::JobStore(session).find(uid, **application_field);
        if (!application) {
            errors.add("job_application",
                       http::invalid_pk_message(data.value.as_object().at("job_application")));
        } else if (!application->original_job_description ||
                   application->original_job_description->find_first_not_of(" \t\r\n") ==
                       std::string::npos) {
            errors.add("job_application",
                       "This job application has no job description to tailor the resume to.");
        }
    }
    errors.raise_if_any();
    if (deps.limits) {
        co_await quotas::precheck(session, uid, *deps.limits, quotas::NewRow::Resume, 1);
    }

    GenerationPlan plan;
    plan.user_input = resume->content;
    plan.job_description = *application->original_job_description;
    const auto& company = application->company_name;
    plan.title =
        titled(resume->title, company && !company->empty() ? " \u2014 " + *company
                                                           : std::string(" \u2014 tailored"));
    if (attach && *attach && **attach) plan.attach_to = application->id;
    co_await choose_models(plan, *model, req, models, deps);
    co_return plan;
}

http::Task<std::optional<Generated>> run_generation(const GenerationPlan& plan,
                                                    const GenerationDeps& deps,
                                                    const DeltaFn* on_delta,
                                                    asio::cancellation_slot cancel,
                                                    bool& client_gone) {
    QuotaStore quotas(deps.db);
    bool delivered = false;
    DeltaFn relay;
    if (on_delta) {
        relay = [&delivered, on_delta](std::string_view delta) -> Task<bool> {
            bool sent = co_await (*on_delta)(delta);
            if (sent) delivered = true;
            co_return sent;
        };
    }
    for (size_t i = 0; i < plan.candidates.size(); ++i) {
        const AiModel& candidate = plan.candidates[i];
        GenerationRequest gen;
        gen.model = &candidate;
        if (plan.job_description.empty()) {
            gen.system_instruction = system_instruction();
            gen.user_message = user_message(plan.user_input);
        } else {
            gen.system_instruction = tailor_instruction();
            gen.user_message = tailor_message(plan.user_input, plan.job_description);
            gen.job_description = plan.job_description;
        }
        gen.raw_user_input = plan.user_input;
        gen.api_keys = keys_for(candidate, deps.keys);
        Provider* provider = deps.providers.find(candidate.api_provider);
        if (!provider || (!candidate.api_key_name.empty() && gen.api_keys.empty()))
            continue;  // Auto: not usable now
        bool reserved = i == 0 && plan.first_reserved;
        if (!reserved && candidate.daily_limit > 0) {
            reserved = co_await quotas.reserve(candidate.id, plan.quota_subject, plan.today,
                                               candidate.daily_limit);
            if (!reserved) continue;  // Auto: this model's allowance is used up; try the next
        }
        std::optional<GenerationResult> result;
        bool gone = false;
        bool circuit_open = false;
        std::exception_ptr unexpected;
        const auto started = std::chrono::steady_clock::now();
        try {
            if (on_delta) {
                auto ex = co_await asio::this_coro::executor;
                auto call = provider->stream(gen, relay);
                result = co_await asio::co_spawn(
                    ex, std::move(call), asio::bind_cancellation_slot(cancel, asio::use_awaitable));
            } else {
                result = co_await provider->generate(gen);
            }
        } catch (const ProviderError& e) {
            if (e.kind() == ProviderError::Kind::Abandoned) {
                gone = true;
            } else {
                circuit_open = e.kind() == ProviderError::Kind::Unavailable;
                util::log::error("AI generation with '{}' failed: {}", candidate.display_name,
                                 e.what());
            }
        } catch (const boost::system::system_error& e) {
            if (e.code() == asio::error::operation_aborted) {
                gone = true;
            } else {
                unexpected = std::current_exception();
            }
        } catch (...) {
            unexpected = std::current_exception();
        }
        if (deps.metrics) {
            const char* outcome = result         ? "ok"
                                  : gone         ? "cancelled"
                                  : circuit_open ? "circuit_open"
                                                 : "error";
            deps.metrics->requests->with({candidate.display_name, outcome}).inc();
            if (result || !gone) {
                deps.metrics->duration->with({candidate.display_name})
                    .observe(
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                            .count());
            }
        }
        if (result) {
            Generated served{candidate, std::move(result->content)};
            co_return served;
        }
        // A failure gives the unit back, unless text has already reached the client: a reader who
        // takes every delta and hangs up before the end has had the generation.
        if (reserved && !delivered)
            co_await quotas.release(candidate.id, plan.quota_subject, plan.today);
        if (unexpected) std::rethrow_exception(unexpected);
        if (gone) {
            util::log::info("AI generation with '{}' stopped: the client went away",
                            candidate.display_name);
            client_gone = true;
            co_return std::nullopt;
        }
        if (delivered)
            co_return std::nullopt;  // part of this answer went out: no other model may finish it
    }
    co_return std::nullopt;
}

http::Task<int64_t> save_generated(db::Session& session, const GenerationPlan& plan,
                                   const GenerationDeps& deps, const std::string& content) {
    const quotas::StorageLimits* limits = deps.limits;
    int64_t owner = 0;
    if (plan.user_id) {
        owner = *plan.user_id;
    } else {
        owner = co_await deps.system_users.id(deps.db, users::SystemAccount::Anonymous);
        limits = nullptr;  // the shared anonymous account: bounded by the retention period
    }
    resumes::Resume r;
    r.user_id = owner;
    r.title = plan.title;
    r.content = content;
    auto saved = co_await resumes::ResumeStore(session, limits).create(r);
    if (plan.attach_to && plan.user_id) {
        jobs::JobStore applications(session);
        auto application = co_await applications.find(*plan.user_id, *plan.attach_to);
        if (application) {  // still the caller's and live
            application->resume_used = saved.id;
            co_await applications.update(*application);
        }
    }
    co_return saved.id;
}

AiMetrics::AiMetrics(util::metrics::Registry& registry, const ProviderRegistry& providers)
    : requests(std::make_shared<util::metrics::Family<util::metrics::Counter>>(
          "resumate_ai_requests_total", "AI generations by model and outcome.",
          std::vector<std::string>{"model", "outcome"})),
      duration(std::make_shared<util::metrics::Family<util::metrics::Histogram>>(
          "resumate_ai_request_duration_seconds",
          "Time a model took to answer (or to fail), retries included.",
          std::vector<std::string>{"model"},
          [] {
              return std::make_unique<util::metrics::Histogram>(
                  std::vector<double>{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120});
          })),
      quota_refused(std::make_shared<util::metrics::Family<util::metrics::Counter>>(
          "resumate_quota_refused_total", "Generations refused by a model's daily limit.",
          std::vector<std::string>{"model"})) {
    registry.add(requests);
    registry.add(duration);
    registry.add(quota_refused);
    registry.add([&providers](util::metrics::Exposition& out) {
        for (const auto& name : providers.names()) {
            const ProviderHealth h = providers.health(name);
            out.gauge("resumate_ai_circuit_state",
                      "The provider's circuit breaker: 0 closed, 1 half-open, 2 open.",
                      {{"provider", name}},
                      h.circuit_open ? 2
                      : h.half_open  ? 1
                                     : 0);
        }
    });
}

}  // namespace resumate::ai
