#pragma once
// One resume generation, shared by POST /api/ai/generate/ (one JSON answer) and
// POST /api/ai/generate/stream/ (Server-Sent Events): validation, the choice of models, daily
// limits, the provider calls and saving the result.
#include <boost/asio/cancellation_signal.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ai/key_store.hpp"
#include "ai/model_store.hpp"
#include "ai/provider.hpp"
#include "db/database.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "quotas/storage_quota.hpp"
#include "users/system_users.hpp"
#include "util/metrics.hpp"
#include "util/time.hpp"

namespace resumate::ai {

// resumate_ai_requests_total{model,outcome}, resumate_ai_request_duration_seconds{model},
// resumate_quota_refused_total{model} and resumate_ai_circuit_state{provider}.
struct AiMetrics {
    AiMetrics(util::metrics::Registry& registry, const ProviderRegistry& providers);
    std::shared_ptr<util::metrics::Family<util::metrics::Counter>> requests;
    std::shared_ptr<util::metrics::Family<util::metrics::Histogram>> duration;
    std::shared_ptr<util::metrics::Family<util::metrics::Counter>> quota_refused;
};

struct GenerationDeps {
    db::Database& db;
    const ProviderRegistry& providers;
    const KeyStore& keys;
    size_t max_input_chars;            // user_input's max_length (Config::ai_max_input_chars)
    users::SystemUsers& system_users;  // anonymous generations belong to the anonymous account
    // A logged-in caller's storage quota: checked before any provider is called (403), and
    // again, exactly, when the resume is saved. Anonymous generations are bounded by the
    // retention period instead.
    const quotas::StorageLimits* limits = nullptr;
    AiMetrics* metrics = nullptr;
};

struct GenerationPlan {
    std::vector<AiModel> candidates;  // one model, or Auto's choice healthiest first
    bool automatic = false;
    std::string user_input;
    std::string title;               // "Untitled Resume" when none was given
    std::optional<int64_t> user_id;  // nullopt: anonymous
    std::string quota_subject;       // "user:<id>" or "ip:<address>"
    util::Date today;                // the UTC day the daily limits count in
    bool first_reserved = false;     // candidates[0]'s daily unit is already taken
    // Tailoring: user_input is the resume to rewrite for this posting (empty: a new resume).
    std::string job_description;
    std::optional<int64_t> attach_to;  // the application whose resume_used becomes the new resume
};

// Validates the request (DRF's 400 bodies) and, for a single model, everything that can fail
// before a provider is called: its key (503), its provider (503) and its daily limit (429; the
// unit is taken now, so concurrent requests cannot overshoot). Throws http::Error.
http::Task<GenerationPlan> plan_generation(const http::Request& req, db::Session& session,
                                           const GenerationDeps& deps);

// The same for POST /api/resumes/{id}/tailor/ ({"job_application", "model", "attach"?}): the
// caller's resume `resume_id` (else 404) rewritten for one of the caller's live applications
// with a job description (else 400 {"job_application": [...]}); the new resume's title is
// "<title> — <company_name>" ("<title> — tailored" without a company).
http::Task<GenerationPlan> plan_tailoring(const http::Request& req, db::Session& session,
                                          const GenerationDeps& deps, int64_t resume_id);

struct Generated {
    AiModel model;  // the one that served
    std::string content;
};

// Tries the plan's models in order until one succeeds; each failure is logged and its daily unit
// given back (failures do not use up the allowance). nullopt when none succeeded.
// With on_delta (a stream) the text is relayed as it comes; once part of an answer has been
// relayed no other model is tried, and `cancel` (the client going away) stops the call in flight,
// which sets client_gone.
http::Task<std::optional<Generated>> run_generation(const GenerationPlan& plan,
                                                    const GenerationDeps& deps,
                                                    const DeltaFn* on_delta,
                                                    boost::asio::cancellation_slot cancel,
                                                    bool& client_gone);

// Saves the generated resume for the caller (anonymous: the server's anonymous account); its id.
// A logged-in caller over the storage quota (deps.limits) gets http::Error (403) and nothing
// is saved. With plan.attach_to, that application (if still the caller's and live) then uses
// the new resume.
http::Task<int64_t> save_generated(db::Session& session, const GenerationPlan& plan,
                                   const GenerationDeps& deps, const std::string& content);

}  // namespace resumate::ai
