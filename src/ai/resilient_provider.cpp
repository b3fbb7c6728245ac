#include "ai/resilient_provider.hpp"
#include "util/log.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

namespace resumate::ai {

namespace asio = boost::asio;

ResilientProvider::ResilientProvider(std::string name, std::shared_ptr<Provider> inner,
                                     ResilienceOptions options)
    : name_(std::move(name)), inner_(std::move(inner)), opt_(options) {}

ProviderHealth ResilientProvider::health() const {
    std::lock_guard lock(mu_);
    ProviderHealth h;
    h.circuit_open = Clock::now() < open_until_;
    h.half_open = !h.circuit_open && consecutive_failures_ >= opt_.breaker_threshold;
    h.in_flight = in_flight_.load();
    h.latency_ms = latency_ms_;
    return h;
}

std::optional<std::string> ResilientProvider::pick_key(const std::vector<std::string>& keys) {
    if (keys.empty()) return std::string();  // keyless server (e.g. a local Ollama)
    std::lock_guard lock(mu_);
    auto now = Clock::now();
    for (size_t i = 0; i < keys.size(); ++i) {
        const std::string& k = keys[(next_key_ + i) % keys.size()];
        auto it = resting_.find(k);
        if (it != resting_.end() && it->second > now) continue;
        next_key_ = (next_key_ + i + 1) % keys.size();
        return k;
    }
    return std::nullopt;
}

void ResilientProvider::rest_key(const std::string& key, std::chrono::milliseconds how_long) {
    if (key.empty()) return;
    std::lock_guard lock(mu_);
    resting_[key] = Clock::now() + how_long;
}

std::chrono::milliseconds ResilientProvider::backoff(int attempt) {
    // Exponential with up to 50% jitter, so that many clients do not retry in lockstep.
    // (A thread_local engine is not safe here: a coroutine resumes on any IO thread.)
    auto base = opt_.base_backoff * (int64_t{1} << std::min(attempt - 1, 10));
    std::lock_guard lock(mu_);
    std::uniform_int_distribution<int64_t> jitter(0, base.count() / 2);
    return std::min<std::chrono::milliseconds>(opt_.max_backoff,
                                               base + std::chrono::milliseconds(jitter(rng_)));
}

bool ResilientProvider::admit() {
    std::lock_guard lock(mu_);
    auto now = Clock::now();
    if (consecutive_failures_ < opt_.breaker_threshold) return true;
    if (now < open_until_) return false;
    if (probing_) return false;  // half-open: one probe at a time
    probing_ = true;
    return true;
}

void ResilientProvider::forget_probe() {
    std::lock_guard lock(mu_);
    probing_ = false;
}

void ResilientProvider::record(bool success, std::chrono::milliseconds latency) {
    std::lock_guard lock(mu_);
    probing_ = false;
    if (success) {
        if (consecutive_failures_ >= opt_.breaker_threshold)
            util::log::info("AI provider {}: circuit closed", name_);
        consecutive_failures_ = 0;
        double ms = static_cast<double>(latency.count());
        latency_ms_ = latency_ms_ == 0 ? ms : 0.8 * latency_ms_ + 0.2 * ms;
        return;
    }
    if (++consecutive_failures_ >= opt_.breaker_threshold) {
        open_until_ = Clock::now() + opt_.breaker_cooldown;
        util::log::warn("AI provider {}: circuit open for {} ms after {} failed generations", name_,
                        opt_.breaker_cooldown.count(), consecutive_failures_);
    }
}

Task<GenerationResult> ResilientProvider::generate(const GenerationRequest& request) {
    return run(request, nullptr);
}

Task<GenerationResult> ResilientProvider::stream(const GenerationRequest& request,
                                                 DeltaFn on_delta) {
    // A coroutine, not a plain forward: on_delta must live in this frame while run() uses it.
    co_return co_await run(request, &on_delta);
}

Task<GenerationResult> ResilientProvider::run(const GenerationRequest& request,
                                              const DeltaFn* on_delta) {
    if (!admit()) throw ProviderError(ProviderError::Kind::Unavailable, name_ + ": circuit open");
    in_flight_.fetch_add(1);
    struct InFlight {
        std::atomic<int>& n;
        ~InFlight() { n.fetch_sub(1); }
    } guard{in_flight_};

    auto started = Clock::now();
    auto deadline = started + opt_.deadline;
    std::optional<ProviderError> last;
    int attempts = 0;
    size_t key_switches = 0;
    bool delivered = false;  // some text reached the listener: no more retries
    DeltaFn relay;
    if (on_delta) {
        relay = [&delivered, on_delta](std::string_view delta) -> Task<bool> {
            delivered = true;
            co_return co_await (*on_delta)(delta);
        };
    }
    while (attempts < opt_.max_attempts) {
        auto key = pick_key(request.api_keys);
        if (!key) {
            last =
                ProviderError(ProviderError::Kind::RateLimited, name_ + ": every key is resting");
            break;
        }
        GenerationRequest attempt = request;
        attempt.api_key = *key;
        ++attempts;
        bool ok = false;
        GenerationResult result;
        try {
            if (on_delta) {
                result = co_await inner_->stream(attempt, relay);
            } else {
                result = co_await inner_->generate(attempt);
            }
            ok = true;
        } catch (const ProviderError& e) {
            last = e;
        } catch (...) {
            // Cancelled (the client went away) or a bug: not a verdict on the provider.
            forget_probe();
            throw;
        }
        if (ok) {
            record(true,
                   std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started));
            co_return result;
        }
        auto kind = last->kind();
        if (kind == ProviderError::Kind::Abandoned) {
            // Nobody is listening: neither a success nor the provider's failure.
            forget_probe();
            throw *last;
        }
        util::log::warn("AI provider {}: attempt {} failed: {}", name_, attempts, last->what());
        if (delivered) break;  // the listener has part of this answer: it cannot be retried
        if (request.api_keys.size() > 1 && (kind == ProviderError::Kind::KeyRejected ||
                                            kind == ProviderError::Kind::RateLimited)) {
            rest_key(*key, kind == ProviderError::Kind::RateLimited && last->retry_after()
                               ? std::max(*last->retry_after(), std::chrono::milliseconds(1000))
                               : opt_.key_cooldown);
            // Another key may work right away: that is not a retry of the same call.
            if (key_switches + 1 < request.api_keys.size()) {
                ++key_switches;
                --attempts;
                continue;
            }
        }
        bool retryable =
            kind == ProviderError::Kind::Transient || kind == ProviderError::Kind::RateLimited;
        if (!retryable || attempts >= opt_.max_attempts) break;
        auto delay = backoff(attempts);
        if (last->retry_after()) delay = std::max(delay, *last->retry_after());
        if (Clock::now() + delay >= deadline) break;  // no time left for another try
        util::log::debug("AI provider {}: retrying in {} ms", name_, delay.count());
        auto ex = co_await asio::this_coro::executor;
        asio::steady_timer timer(ex, delay);
        auto [waited] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (waited) {  // cancelled: the client went away
            forget_probe();
            throw boost::system::system_error(waited);
        }
        util::log::debug("AI provider {}: retrying now", name_);
    }
    record(false, {});
    throw last.value_or(ProviderError(ProviderError::Kind::Transient, name_ + ": failed"));
}

}  // namespace resumate::ai
