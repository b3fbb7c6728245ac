#include "util/metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>

namespace resumate::util::metrics {
namespace {

// A sample value as Prometheus writes it: integers without a fraction, +Inf/-Inf/NaN spelled out.
std::string number(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : "NaN";
}

// {a="x",b="y"}: values escaped as the format asks (backslash, quote, newline).
std::string label_text(const Labels& labels) {
    if (labels.empty()) return "";
    std::string out = "{";
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i) out += ',';
        out += labels[i].first;
        out += "=\"";
        for (char c : labels[i].second) {
            if (c == '\\') {
                out += "\\\\";
            } else if (c == '"') {
                out += "\\\"";
            } else if (c == '\n') {
                out += "\\n";
            } else {
                out += c;
            }
        }
        out += '"';
    }
    out += '}';
    return out;
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
    std::sort(bounds_.begin(), bounds_.end());
}

void Histogram::observe(double value) noexcept {
    const size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                         bounds_.begin());
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    double sum = sum_.load(std::memory_order_relaxed);
    while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
    }
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot s;
    s.bounds = bounds_;
    uint64_t running = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
        running += counts_[i].load(std::memory_order_relaxed);
        s.buckets.push_back(running);
    }
    s.count = running;
    s.sum = sum_.load(std::memory_order_relaxed);
    return s;
}

std::vector<double> latency_buckets() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Exposition::Family& Exposition::family(std::string_view name, std::string_view type,
                                       std::string_view help) {
    auto it = families_.find(name);
    if (it == families_.end()) {
        it = families_.emplace(std::string(name), Family{std::string(type), std::string(help), {}})
                 .first;
        order_.emplace_back(name);
    }
    return it->second;
}

void Exposition::counter(std::string_view name, std::string_view help, const Labels& labels,
                         double value) {
    family(name, "counter", help)
        .lines.push_back(std::string(name) + label_text(labels) + ' ' + number(value));
}

void Exposition::gauge(std::string_view name, std::string_view help, const Labels& labels,
                       double value) {
    family(name, "gauge", help)
        .lines.push_back(std::string(name) + label_text(labels) + ' ' + number(value));
}

void Exposition::histogram(std::string_view name, std::string_view help, const Labels& labels,
                           const Histogram::Snapshot& h) {
    Family& f = family(name, "histogram", help);
    const std::string n(name);
    for (size_t i = 0; i < h.buckets.size(); ++i) {
        Labels with_le = labels;
        with_le.emplace_back("le", i < h.bounds.size() ? number(h.bounds[i]) : "+Inf");
        f.lines.push_back(n + "_bucket" + label_text(with_le) + ' ' + number(h.buckets[i]));
    }
    f.lines.push_back(n + "_sum" + label_text(labels) + ' ' + number(h.sum));
    f.lines.push_back(n + "_count" + label_text(labels) + ' ' + number(h.count));
}

std::string Exposition::text() const {
    std::string out;
    for (const auto& name : order_) {
        const Family& f = families_.find(name)->second;
        out += "# HELP " + name + ' ' + f.help + '\n';
        out += "# TYPE " + name + ' ' + f.type + '\n';
        for (const auto& line : f.lines) {
            out += line;
            out += '\n';
        }
    }
    return out;
}

void Registry::add(Collector collector) {
    std::lock_guard lock(mu_);
    collectors_.push_back(std::move(collector));
}

void Registry::add(std::shared_ptr<Family<Counter>> family) {
    add([family](Exposition& out) {
        out.declare(family->name(), "counter", family->help());
        family->each([&](const Labels& labels, const Counter& c) {
            out.counter(family->name(), family->help(), labels, static_cast<double>(c.value()));
        });
    });
}

void Registry::add(std::shared_ptr<Family<Gauge>> family) {
    add([family](Exposition& out) {
        out.declare(family->name(), "gauge", family->help());
        family->each([&](const Labels& labels, const Gauge& g) {
            out.gauge(family->name(), family->help(), labels, static_cast<double>(g.value()));
        });
    });
}

void Registry::add(std::shared_ptr<Family<Histogram>> family) {
    add([family](Exposition& out) {
        out.declare(family->name(), "histogram", family->help());
        family->each([&](const Labels& labels, const Histogram& h) {
            out.histogram(family->name(), family->help(), labels, h.snapshot());
        });
    });
}

std::string Registry::render() const {
    std::vector<Collector> collectors;
    {
        std::lock_guard lock(mu_);
        collectors = collectors_;
    }
    Exposition out;
    for (const auto& c : collectors) c(out);
    return out.text();
}

void collect_process(Exposition& out) {
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    // /proc/self/stat: the fields after the command name (which may hold spaces).
    std::ifstream stat("/proc/self/stat");
    std::string line;
    std::getline(stat, line);
    const size_t close = line.rfind(')');
    if (close != std::string::npos) {
        std::istringstream rest(line.substr(close + 2));
        std::vector<std::string> f{std::istream_iterator<std::string>(rest), {}};
        // rest starts at field 3 (state): utime is field 14, stime 15, starttime 22, vsize 23,
        // rss 24 → indexes 11, 12, 19, 20, 21.
        if (f.size() > 21) {
            const double utime = std::stod(f[11]), stime = std::stod(f[12]);
            out.counter("process_cpu_seconds_total",
                        "Total user and system CPU time spent in seconds.", {},
                        (utime + stime) / ticks);
            out.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", {},
                      std::stod(f[20]));
            out.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", {},
                      std::stod(f[21]) * page);
            // Boot time + start ticks: the start as Unix time.
            std::ifstream procstat("/proc/stat");
            std::string key;
            double btime = 0;
            while (procstat >> key) {
                if (key == "btime") {
                    procstat >> btime;
                    break;
                }
            }
            out.gauge("process_start_time_seconds",
                      "Start time of the process since unix epoch in seconds.", {},
                      btime + std::stod(f[19]) / ticks);
        }
    }
    if (DIR* d = opendir("/proc/self/fd")) {
        double n = 0;
        while (dirent* e = readdir(d)) {
            if (e->d_name[0] != '.') ++n;
        }
        closedir(d);
        out.gauge("process_open_fds", "Number of open file descriptors.", {}, n - 1);  // minus d
    }
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
        out.gauge("process_max_fds", "Maximum number of open file descriptors.", {},
                  static_cast<double>(lim.rlim_cur));
    }
}

}  // namespace resumate::util::metrics
