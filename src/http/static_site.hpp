#pragma once
// The web app's built files (web/dist, or RESUMATE_WEB_DIR), read once at start-up and served
// from memory by the pipeline for GET/HEAD requests outside /api/:
//  - a file answers as itself; any other path answers the app's index.html (the app routes
//    in the browser), except under /assets/, where a missing file is a 404: a stale page asking
//    for a chunk that a new release removed must not get HTML in place of JavaScript;
//  - /assets/ holds content-hashed names: `Cache-Control: public, max-age=31536000,
//    immutable`; everything else (index.html, the service worker, the manifest) `no-cache`;
//  - a strong ETag per representation, and 304 for a matching If-None-Match;
//  - the precompressed `<file>.br` / `<file>.gz` beside a file (the web build writes them) when
//    the client accepts that encoding (`Vary: Accept-Encoding`);
//  - HTML pages carry a Content-Security-Policy that allows only the app's own origin.
// Only the files loaded are ever answered: a request path is a key in a table, never joined to
// a directory, so no path can reach outside the folder.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace resumate::http {

class StaticSite {
  public:
    // Loads every file under `root`. Throws std::runtime_error when `root` has no index.html.
    static std::unique_ptr<StaticSite> load(const std::filesystem::path& root);

    // Whether the pipeline answers `path` from here when no route does: any path outside /api/
    // but the operations ones (/metrics, /healthz, /readyz).
    static bool serves(std::string_view path);
    // The answer for a GET or HEAD of `req.path` (see above).
    Response answer(const Request& req) const;
    // The file at `path` (e.g. "/docs.html") as `answer` gives it, or nullopt when absent.
    std::optional<Response> file(const Request& req, std::string_view path) const;

    size_t file_count() const { return files_.size(); }
    const std::filesystem::path& root() const { return root_; }

    // The policy sent with HTML pages.
    static constexpr std::string_view kContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  private:
    struct Variant {
        std::string body;
        std::string etag;  // quoted
    };
    struct File {
        std::string content_type;
        bool immutable = false;
        Variant identity;
        std::optional<Variant> gzip;
        std::optional<Variant> brotli;
    };
    Response serve(const Request& req, const File& f) const;

    std::filesystem::path root_;
    std::map<std::string, File, std::less<>> files_;  // by URL path, e.g. "/assets/index-x.js"
};

}  // namespace resumate::http
