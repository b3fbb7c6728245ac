#pragma once
// Metrics in Prometheus's text exposition format (version 0.0.4): counters, gauges and
// histograms that the code updates lock-free, grouped in labelled families, and collectors that
// read other components' state when /metrics is scraped. The App owns the one Registry and hands
// it to what records into it; nothing here is process-wide.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace resumate::util::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
  public:
    void inc(uint64_t n = 1) noexcept { v_.fetch_add(n, std::memory_order_relaxed); }
    uint64_t value() const noexcept { return v_.load(std::memory_order_relaxed); }

  private:
    std::atomic<uint64_t> v_{0};
};

class Gauge {
  public:
    void add(int64_t n) noexcept { v_.fetch_add(n, std::memory_order_relaxed); }
    void set(int64_t n) noexcept { v_.store(n, std::memory_order_relaxed); }
    int64_t value() const noexcept { return v_.load(std::memory_order_relaxed); }

  private:
    std::atomic<int64_t> v_{0};
};

// Cumulative buckets are computed when rendered; each observation touches one bucket.
class Histogram {
  public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double value) noexcept;

    struct Snapshot {
        std::vector<double> bounds;     // without +Inf
        std::vector<uint64_t> buckets;  // cumulative, one per bound, then +Inf (= count)
        double sum = 0;
        uint64_t count = 0;
    };
    Snapshot snapshot() const;

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 (the +Inf bucket)
    std::atomic<double> sum_{0};
};

// Request latencies: 1 ms to 10 s.
std::vector<double> latency_buckets();

// What a collector writes at scrape time. Samples of one family may come from several
// collectors (one per database pool, say): the family's HELP and TYPE are written once.
class Exposition {
  public:
    void counter(std::string_view name, std::string_view help, const Labels& labels, double value);
    void gauge(std::string_view name, std::string_view help, const Labels& labels, double value);
    void histogram(std::string_view name, std::string_view help, const Labels& labels,
                   const Histogram::Snapshot& h);
    // A family with no sample yet (a counter by model before the first call): its HELP and
    // TYPE are written all the same, so the series' name is known from the start.
    void declare(std::string_view name, std::string_view type, std::string_view help) {
        family(name, type, help);
    }
    std::string text() const;

  private:
    struct Family {
        std::string type, help;
        std::vector<std::string> lines;
    };
    Family& family(std::string_view name, std::string_view type, std::string_view help);
    std::vector<std::string> order_;
    std::map<std::string, Family, std::less<>> families_;
};

// A family of one metric type with fixed label names; children are created on first use and
// live as long as the family (callers may keep the reference).
template <class Metric>
class Family {
  public:
    Family(
        std::string name, std::string help, std::vector<std::string> label_names,
        std::function<std::unique_ptr<Metric>()> make = [] { return std::make_unique<Metric>(); })
        : name_(std::move(name)),
          help_(std::move(help)),
          label_names_(std::move(label_names)),
          make_(std::move(make)) {}

    Metric& with(const std::vector<std::string>& values) {
        std::lock_guard lock(mu_);
        auto it = children_.find(values);
        if (it == children_.end()) it = children_.emplace(values, make_()).first;
        return *it->second;
    }
    template <class F>
    void each(F&& f) const {
        std::lock_guard lock(mu_);
        for (const auto& [values, metric] : children_) {
            Labels labels;
            for (size_t i = 0; i < label_names_.size() && i < values.size(); ++i)
                labels.emplace_back(label_names_[i], values[i]);
            f(labels, *metric);
        }
    }
    const std::string& name() const { return name_; }
    const std::string& help() const { return help_; }

  private:
    std::string name_, help_;
    std::vector<std::string> label_names_;
    std::function<std::unique_ptr<Metric>()> make_;
    mutable std::mutex mu_;
    std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

class Registry {
  public:
    using Collector = std::function<void(Exposition&)>;
    // Collectors run in the order added, on each scrape.
    void add(Collector collector);
    // Helpers that add a collector rendering a whole family.
    void add(std::shared_ptr<Family<Counter>> family);
    void add(std::shared_ptr<Family<Gauge>> family);
    void add(std::shared_ptr<Family<Histogram>> family);
    std::string render() const;

  private:
    mutable std::mutex mu_;
    std::vector<Collector> collectors_;
};

// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds, from /proc/self (Linux).
void collect_process(Exposition& out);

}  // namespace resumate::util::metrics
