#pragma once
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace resumate::http {

template <typename T>
using Task = boost::asio::awaitable<T>;
using Handler = std::function<Task<Response>(Request&)>;

// Who may call a route (DRF's authentication_classes + permission_classes).
enum class Access {
    Open,           // no authentication at all (simplejwt's token views)
    Anyone,         // AllowAny, but a bad token is still a 401
    Authenticated,  // IsAuthenticated
    Staff,          // IsAdminUser
};

// Turns credentials into a principal. Throws HttpError (401) for bad credentials; returns
// nullopt for an anonymous request. Implemented by the users feature.
class Authenticator {
  public:
    virtual ~Authenticator() = default;
    virtual Task<std::optional<Principal>> authenticate(const Request& req) = 0;
};

// DRF's throttles: decides, after authentication and permissions, whether a request is over
// its rates. Implemented in app/ (it needs the cache).
class Throttler {
  public:
    virtual ~Throttler() = default;
    // nullopt: go ahead; else the seconds until the caller may try again. `scope` is the
    // route's named scope (empty for none).
    virtual Task<std::optional<int64_t>> check(const Request& req, std::string_view scope) = 0;
};

class Route {
  public:
    Route& get(Handler h) { return on("GET", std::move(h)); }
    Route& post(Handler h) { return on("POST", std::move(h)); }
    Route& put(Handler h) { return on("PUT", std::move(h)); }
    Route& patch(Handler h) { return on("PATCH", std::move(h)); }
    Route& del(Handler h) { return on("DELETE", std::move(h)); }
    Route& on(std::string method, Handler h);
    // DRF's format_suffix_patterns: also answer at "<path>.json" (other formats → 404).
    Route& with_format_suffix() {
        format_suffix_ = true;
        return *this;
    }
    // DRF's ScopedRateThrottle: this route also counts against the named rate.
    Route& throttle_scope(std::string scope) {
        scope_ = std::move(scope);
        return *this;
    }

  private:
    friend class Router;
    std::vector<std::string> segments_;  // "{}" marks a parameter
    Access access_ = Access::Anyone;
    std::string name_;
    std::string description_;
    bool format_suffix_ = false;
    std::string scope_;
    std::vector<std::pair<std::string, Handler>> handlers_;
    std::string allow_ = "OPTIONS";  // e.g. "GET, POST, HEAD, OPTIONS"
};

class Router {
  public:
    // pattern like "/api/resumes/{id}/".
    Route& add(std::string_view pattern, Access access, std::string name,
               std::string description = {});
    void set_authenticator(std::shared_ptr<Authenticator> a) { authenticator_ = std::move(a); }
    void set_throttler(std::shared_ptr<Throttler> t) { throttler_ = std::move(t); }
    // The route registered with exactly this pattern (to add a throttle scope from outside).
    Route* find(std::string_view pattern);
    // The DRF request cycle: route → content negotiation → authentication → permissions →
    // method → handler. Exceptions other than HttpError propagate to the caller.
    Task<Response> dispatch(Request& req);

  private:
    struct Match {
        Route* route = nullptr;
        std::vector<std::string> params;
        std::string format;  // from a ".json" suffix
    };
    std::optional<Match> match(std::string_view path);

    std::vector<std::unique_ptr<Route>> routes_;
    std::shared_ptr<Authenticator> authenticator_;
    std::shared_ptr<Throttler> throttler_;
};

}  // namespace resumate::http
