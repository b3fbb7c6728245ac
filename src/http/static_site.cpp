#include "http/static_site.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/strings.hpp"

namespace resumate::http {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A strong validator for one representation: 64-bit FNV-1a of its bytes and their length.
std::string etag_of(std::string_view bytes) {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string tag = "\"";
    for (int i = 15; i >= 0; --i) tag += kHex[(h >> (i * 4)) & 0xf];
    tag += '-' + std::to_string(bytes.size()) + '"';
    return tag;
}

std::string content_type_of(const fs::path& p) {
    const std::string ext = util::to_lower_ascii(p.extension().string());
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json";
    if (ext == ".webmanifest") return "application/manifest+json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".webp") return "image/webp";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".woff") return "font/woff";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    if (ext == ".xml") return "application/xml";
    return "application/octet-stream";
}

// Whether the client accepts `coding` (RFC 9110 §12.5.3): named, or "*", with a q above 0.
bool accepts_encoding(std::string_view header, std::string_view coding) {
    std::optional<bool> named, any;
    for (const auto& part : util::split(header, ',')) {
        std::string_view item = util::trim(std::string_view(part));
        const size_t semi = item.find(';');
        const std::string name = util::to_lower_ascii(util::trim(item.substr(0, semi)));
        bool ok = true;
        if (semi != std::string_view::npos) {
            std::string_view params = item.substr(semi + 1);
            const size_t q = params.find("q=");
            if (q != std::string_view::npos) {
                std::string_view v = util::trim(params.substr(q + 2));
                // q=0, q=0.0, q=0.000: refused; anything else is some preference.
                ok = v.find_first_not_of("0.") != std::string_view::npos;
            }
        }
        if (name == coding) named = ok;
        if (name == "*") any = ok;
    }
    if (named) return *named;
    return any.value_or(false);
}

// Whether If-None-Match names `etag` (weak comparison, as RFC 9110 §13.1.2 asks), or is "*".
bool none_match(std::string_view header, std::string_view etag) {
    for (const auto& part : util::split(header, ',')) {
        std::string_view tag = util::trim(std::string_view(part));
        if (tag == "*") return true;
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == etag) return true;
    }
    return false;
}

}  // namespace

std::unique_ptr<StaticSite> StaticSite::load(const fs::path& root) {
    if (!fs::is_regular_file(root / "index.html"))
        throw std::runtime_error("no index.html in " + root.string());
    auto site = std::unique_ptr<StaticSite>(new StaticSite());
    site->root_ = root;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        const fs::path& p = entry.path();
        const std::string ext = p.extension().string();
        if (ext == ".gz" || ext == ".br") continue;  // variants, read with their file
        std::string url = "/" + fs::relative(p, root).generic_string();
        File f;
        f.content_type = content_type_of(p);
        f.immutable = url.starts_with("/assets/");
        f.identity.body = read_file(p);
        f.identity.etag = etag_of(f.identity.body);
        auto variant = [&](const char* suffix) -> std::optional<Variant> {
            fs::path v = p;
            v += suffix;
            if (!fs::is_regular_file(v)) return std::nullopt;
            Variant out{read_file(v), {}};
            out.etag = etag_of(out.body);
            return out;
        };
        f.gzip = variant(".gz");
        f.brotli = variant(".br");
        site->files_.emplace(std::move(url), std::move(f));
    }
    return site;
}

bool StaticSite::serves(std::string_view path) {
    // The operations paths are the pipeline's: /metrics for a client not allowed to read it is
    // the 404 of an unknown path, never the app.
    if (path == "/metrics" || path == "/healthz" || path == "/readyz") return false;
    return path != "/api" && !path.starts_with("/api/");
}

Response StaticSite::answer(const Request& req) const {
    if (auto it = files_.find(req.path); it != files_.end()) return serve(req, it->second);
    if (req.path.starts_with("/assets/")) {
        Response res;
        res.status = 404;
        res.content_type = "text/plain; charset=utf-8";
        res.body = "Not found.\n";
        res.with_header("Cache-Control", "no-cache");
        return res;
    }
    return serve(req, files_.at("/index.html"));
}

std::optional<Response> StaticSite::file(const Request& req, std::string_view path) const {
    auto it = files_.find(path);
    if (it == files_.end()) return std::nullopt;
    return serve(req, it->second);
}

Response StaticSite::serve(const Request& req, const File& f) const {
    const std::string_view accept = req.header("Accept-Encoding").value_or("");
    const Variant* v = &f.identity;
    std::string_view encoding;
    if (f.brotli && accepts_encoding(accept, "br")) {
        v = &*f.brotli;
        encoding = "br";
    } else if (f.gzip && accepts_encoding(accept, "gzip")) {
        v = &*f.gzip;
        encoding = "gzip";
    }
    Response res;
    const auto inm = req.header("If-None-Match");
    const bool unchanged =
        inm && (none_match(*inm, f.identity.etag) || (f.gzip && none_match(*inm, f.gzip->etag)) ||
                (f.brotli && none_match(*inm, f.brotli->etag)));
    if (unchanged) {
        res = Response::empty(304);
    } else {
        res.status = 200;
        res.content_type = f.content_type;
        res.body = v->body;
        if (!encoding.empty()) res.with_header("Content-Encoding", std::string(encoding));
    }
    res.with_header("ETag", v->etag);
    res.with_header("Cache-Control",
                    f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
    if (f.gzip || f.brotli) res.with_header("Vary", "Accept-Encoding");
    if (f.content_type.starts_with("text/html"))
        res.with_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
    return res;
}

}  // namespace resumate::http
