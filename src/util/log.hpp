#pragma once
#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <string_view>

// Every log line of the server goes through here (a `make test` check refuses direct spdlog
// logging calls elsewhere), so that each line
//  - names the request it belongs to: the line of code that logs may run inside a request's
//    coroutine after any number of suspensions; the server resumes a connection's coroutines
//    through an executor that marks the thread with the connection's Tag (see RequestScope),
//    and the request's id is read from there on the logging thread;
//  - has the configured shape: text, or with RESUMATE_LOG_FORMAT=json one JSON object per line
//    ({"time", "level", "logger", "message", "request_id", and the access log's fields}).
// The loggers are asynchronous (App::configure_logging): what a line says is decided here, on
// the thread that logs; only the writing happens later.
namespace resumate::util::log {

enum class Format { Text, Json };

// Sets the loggers' pattern for `format` (called once at start-up, before serving).
void set_format(Format format);
Format format();

// What a connection's executor puts in place while the connection's code runs: the id of the
// request it is serving (empty between requests).
struct Tag {
    std::string request_id;
};

// Marks this thread as running the code of `tag`'s connection until the scope ends (nests).
class RequestScope {
  public:
    explicit RequestScope(Tag* tag) noexcept;
    ~RequestScope();
    RequestScope(const RequestScope&) = delete;
    RequestScope& operator=(const RequestScope&) = delete;

  private:
    Tag* previous_;
};

// The tag of the connection this thread runs code for, or nullptr.
Tag* current_tag() noexcept;
// Its request id, or "".
std::string_view current_request_id() noexcept;

// One line at `level` on `logger` (the default logger when null), with the current request id.
void emit(spdlog::logger* logger, spdlog::level::level_enum level, std::string_view message);

template <class... Args>
void at(spdlog::level::level_enum level, fmt::format_string<Args...> f, Args&&... args) {
    spdlog::logger* logger = spdlog::default_logger_raw();
    if (!logger->should_log(level)) return;
    emit(logger, level, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
    at(spdlog::level::debug, f, std::forward<Args>(args)...);
}
template <class... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
    at(spdlog::level::info, f, std::forward<Args>(args)...);
}
template <class... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
    at(spdlog::level::warn, f, std::forward<Args>(args)...);
}
template <class... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
    at(spdlog::level::err, f, std::forward<Args>(args)...);
}
template <class... Args>
void critical(fmt::format_string<Args...> f, Args&&... args) {
    at(spdlog::level::critical, f, std::forward<Args>(args)...);
}

// One access-log line: text "client method path status 1.234ms user=… id=…", or in JSON these
// as fields (user_id null when anonymous).
struct Access {
    std::string_view client;
    std::string_view method;
    std::string_view path;
    unsigned status = 0;
    double duration_ms = 0;
    std::optional<long long> user_id;
    std::string_view request_id;
};
void access(spdlog::logger& logger, spdlog::level::level_enum level, const Access& a);

}  // namespace resumate::util::log
