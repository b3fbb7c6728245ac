#pragma once
// One request as a handler sees it: made once by the pipeline (http/pipeline.hpp) after the
// request passed authentication, permission and throttling, and handed to the route's handler.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "http/message.hpp"

namespace resumate::http {

class Context {
  public:
    Context(Request& request, db::Database& db, std::string_view request_id)
        : request(request), request_id_(request_id), session_(std::make_shared<db::Session>(db)) {}

    Request& request;

    // The authenticated caller; nullopt for an anonymous one (never on a route whose access is
    // Authenticated or Staff).
    const std::optional<Principal>& principal() const { return request.user; }
    // The caller of an Authenticated or Staff route.
    const Principal& user() const { return *request.user; }
    // Through the trusted proxies.
    const std::string& client_ip() const { return request.client_ip; }
    // Tells this request's lines in the logs apart.
    std::string_view request_id() const { return request_id_; }

    // This request's database session: reads issued with read intent may go to a replica until
    // the request writes; then everything goes to the primary, so it reads its own writes.
    db::Session& db() { return *session_; }
    // The same session for work that outlives the handler (a body written after it returned).
    std::shared_ptr<db::Session> shared_db() { return session_; }

    // The index-th `{…}` of the route's path as a positive id, or a 404 as Django's
    // get_object_or_404 gives for anything else.
    int64_t id_param(size_t index = 0) const { return id_path_param(request, index); }

  private:
    std::string_view request_id_;
    std::shared_ptr<db::Session> session_;
};

}  // namespace resumate::http
