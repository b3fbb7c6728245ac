// util::metrics: Prometheus's text format as the exposition writes it.
#include "util/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace m = resumate::util::metrics;

TEST(Metrics, HistogramBucketsAreCumulativeWithInfEqualToCount) {
    m::Histogram h({0.1, 1, 0.5});  // unsorted on purpose
    for (double v : {0.05, 0.1, 0.2, 0.7, 3.0, 0.1}) h.observe(v);
    auto s = h.snapshot();
    EXPECT_EQ(s.bounds, (std::vector<double>{0.1, 0.5, 1}));
    // le is inclusive: 0.1 falls in the 0.1 bucket.
    EXPECT_EQ(s.buckets, (std::vector<uint64_t>{3, 4, 5, 6}));
    EXPECT_EQ(s.count, 6u);
    EXPECT_NEAR(s.sum, 4.15, 1e-9);
}

TEST(Metrics, ConcurrentObservationsAreAllCounted) {
    m::Histogram h(m::latency_buckets());
    m::Counter c;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) {
                h.observe(0.5);
                c.inc();
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(h.snapshot().count, 40000u);
    EXPECT_DOUBLE_EQ(h.snapshot().sum, 20000);
    EXPECT_EQ(c.value(), 40000u);
}

TEST(Metrics, ExpositionWritesHelpAndTypeOnceAndEscapesLabelValues) {
    m::Registry r;
    auto family = std::make_shared<m::Family<m::Counter>>(
        "x_requests_total", "Requests.", std::vector<std::string>{"route", "status"});
    family->with({"/a/", "200"}).inc(3);
    family->with({"/b/\"q\"\\\n", "500"}).inc();
    r.add(family);
    r.add([](m::Exposition& out) {
        out.gauge("x_pool", "Pool.", {{"pool", "primary"}}, 2);
        out.gauge("x_pool", "Pool.", {{"pool", "replica1"}}, 0.5);
        m::Histogram h({1});
        h.observe(2);
        out.histogram("x_seconds", "Time.", {{"route", "/a/"}}, h.snapshot());
    });
    EXPECT_EQ(r.render(),
              "# HELP x_requests_total Requests.\n"
              "# TYPE x_requests_total counter\n"
              "x_requests_total{route=\"/a/\",status=\"200\"} 3\n"
              "x_requests_total{route=\"/b/\\\"q\\\"\\\\\\n\",status=\"500\"} 1\n"
              "# HELP x_pool Pool.\n"
              "# TYPE x_pool gauge\n"
              "x_pool{pool=\"primary\"} 2\n"
              "x_pool{pool=\"replica1\"} 0.5\n"
              "# HELP x_seconds Time.\n"
              "# TYPE x_seconds histogram\n"
              "x_seconds_bucket{route=\"/a/\",le=\"1\"} 0\n"
              "x_seconds_bucket{route=\"/a/\",le=\"+Inf\"} 1\n"
              "x_seconds_sum{route=\"/a/\"} 2\n"
              "x_seconds_count{route=\"/a/\"} 1\n");
}

TEST(Metrics, AFamilyWithoutSamplesIsStillDeclared) {
    m::Registry r;
    r.add(std::make_shared<m::Family<m::Counter>>("x_refused_total", "Refused.",
                                                  std::vector<std::string>{"model"}));
    EXPECT_EQ(r.render(), "# HELP x_refused_total Refused.\n# TYPE x_refused_total counter\n");
}

TEST(Metrics, ProcessMetricsComeFromProc) {
    m::Exposition out;
    m::collect_process(out);
    const std::string text = out.text();
    for (const char* name : {"process_cpu_seconds_total ", "process_resident_memory_bytes ",
                             "process_virtual_memory_bytes ", "process_open_fds ",
                             "process_max_fds ", "process_start_time_seconds "}) {
        EXPECT_NE(text.find(std::string("\n") + name), std::string::npos) << name << "\n" << text;
    }
}
