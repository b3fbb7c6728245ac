
#include "util/log.hpp"
#include "util/utf8.hpp"

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace resumate::util::log {
namespace {

std::atomic<Format> g_format{Format::Text};
thread_local Tag* t_tag = nullptr;

// A JSON string literal for `s` (quotes included). Boost.JSON escapes control characters but
// copies other bytes as they are, so invalid UTF-8 (a raw request path) is replaced first: every
// line stays valid JSON.
void append_json_string(std::string& out, std::string_view s) {
    if (is_valid_utf8(s)) {
        out += boost::json::serialize(boost::json::string(s));
    } else {
        out += boost::json::serialize(boost::json::string(encode_utf8(decode_utf8_lossy(s))));
    }
}

}  // namespace

void set_format(Format format) {
    g_format.store(format, std::memory_order_relaxed);
    if (format == Format::Json) {
        // The time, level and logger come from spdlog; the payload (%v) is the rest of the
        // object, made by emit()/access().
        spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n",%v})",
                            spdlog::pattern_time_type::utc);
    } else {
        spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %n: %v", spdlog::pattern_time_type::utc);
    }
}

Format format() {
    return g_format.load(std::memory_order_relaxed);
}

RequestScope::RequestScope(Tag* tag) noexcept : previous_(t_tag) {
    t_tag = tag;
}
RequestScope::~RequestScope() {
    t_tag = previous_;
}

Tag* current_tag() noexcept {
    return t_tag;
}

std::string_view current_request_id() noexcept {
    return t_tag ? std::string_view(t_tag->request_id) : std::string_view();
}

void emit(spdlog::logger* logger, spdlog::level::level_enum level, std::string_view message) {
    if (!logger) logger = spdlog::default_logger_raw();
    const std::string_view id = current_request_id();
    if (format() == Format::Json) {
        std::string line = "\"message\":";
        append_json_string(line, message);
        line += ",\"request_id\":";
        if (id.empty()) {
            line += "null";
        } else {
            append_json_string(line, id);
        }
        logger->log(level, "{}", line);
    } else if (id.empty()) {
        logger->log(level, "{}", message);
    } else {
        logger->log(level, "{} id={}", message, id);
    }
}

void access(spdlog::logger& logger, spdlog::level::level_enum level, const Access& a) {
    if (format() == Format::Json) {
        std::string line = "\"message\":";
        append_json_string(line, fmt::format("{} {} {}", a.method, a.path, a.status));
        line += ",\"request_id\":";
        append_json_string(line, a.request_id);
        line += ",\"method\":";
        append_json_string(line, a.method);
        line += ",\"path\":";
        append_json_string(line, a.path);
        fmt::format_to(std::back_inserter(line), ",\"status\":{},\"duration_ms\":{:.3f}", a.status,
                       a.duration_ms);
        line += ",\"user_id\":";
        line += a.user_id ? std::to_string(*a.user_id) : "null";
        line += ",\"client\":";
        append_json_string(line, a.client);
        logger.log(level, "{}", line);
        return;
    }
    // The client's address first, as in nginx's and Apache's formats.
    if (a.user_id) {
        logger.log(level, "{} {} {} {} {:.3f}ms user={} id={}", a.client, a.method, a.path,
                   a.status, a.duration_ms, *a.user_id, a.request_id);
    } else {
        logger.log(level, "{} {} {} {} {:.3f}ms user=- id={}", a.client, a.method, a.path, a.status,
                   a.duration_ms, a.request_id);
    }
}

}  // namespace resumate::util::log
