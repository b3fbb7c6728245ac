// In-process timings of the resume features beyond the API's CRUD: exporting a typical one-page
// resume (the offline writer's answer to a realistic request) as PDF, DOCX, HTML and JSON Resume,
// the match score of that resume against a posting, and tailoring it with the offline model.
// Google Benchmark; `make bench` runs it after the HTTP scenarios (goal: PDF and DOCX < 50 ms).
#include <benchmark/benchmark.h>

#include <string>

#include "documents/export.hpp"
#include "offline/match.hpp"
#include "offline/writer.hpp"

namespace {

constexpr std::string_view kRequest =
    "I'm Dana Whitfield, a senior backend engineer in Denver, CO (dana.whitfield@example.com, "
    "+1 (555) 123-4567, linkedin.com/in/danawhitfield). 7 years of experience. Since 2019 I have "
    "been a Senior Software Engineer at Larkspur Analytics: I built a React dashboard used by 40 "
    "sales teams, cut PostgreSQL query latency by 40% for the reporting API, moved 12 Python "
    "services to Docker and Kubernetes, and mentored four junior engineers. From 2016 to 2019 I "
    "was a Software Engineer at Bluebird Logistics, where I wrote Go services for route "
    "planning, added Redis caching that halved page load times, and set up CI with GitHub "
    "Actions. Skills: Python, Go, JavaScript, TypeScript, PostgreSQL, Redis, Docker, "
    "Kubernetes, AWS, Terraform, Git, leadership, mentoring. BSc Computer Science, University "
    "of Colorado, 2016. AWS Certified Solutions Architect.";

constexpr std::string_view kPosting =
    "Senior Backend Engineer — Acme Payments\n\nWe are looking for a senior backend engineer "
    "to build our payment APIs.\n\nRequirements:\n- 5+ years of Python or Go\n- PostgreSQL "
    "at scale, query tuning\n- Kubernetes and Docker in production\n- AWS (ECS, RDS)\n- "
    "Mentoring engineers\n\nNice to have:\n- Rust\n- Kafka\n- Terraform\n";

const std::string& resume() {
    static const std::string r = resumate::offline::write_resume(kRequest);
    return r;
}

void export_as(benchmark::State& state, resumate::documents::Format format) {
    const std::string& md = resume();
    size_t bytes = 0;
    for (auto _ : state) {
        auto doc = resumate::documents::export_resume("Dana Whitfield — Backend", md, format);
        bytes = doc.bytes.size();
        benchmark::DoNotOptimize(doc);
    }
    state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_ExportPdf(benchmark::State& s) {
    export_as(s, resumate::documents::Format::Pdf);
}
void BM_ExportDocx(benchmark::State& s) {
    export_as(s, resumate::documents::Format::Docx);
}
void BM_ExportHtml(benchmark::State& s) {
    export_as(s, resumate::documents::Format::Html);
}
void BM_ExportJsonResume(benchmark::State& s) {
    export_as(s, resumate::documents::Format::JsonResume);
}

void BM_MatchScore(benchmark::State& state) {
    const std::string& md = resume();
    int score = 0;
    for (auto _ : state) {
        auto m = resumate::offline::match_resume(kPosting, md);
        score = m.score;
        benchmark::DoNotOptimize(m);
    }
    state.counters["score"] = score;
}

void BM_TailorOffline(benchmark::State& state) {
    const std::string& md = resume();
    for (auto _ : state) {
        auto t = resumate::offline::tailor_resume(md, kPosting);
        benchmark::DoNotOptimize(t);
    }
}

BENCHMARK(BM_ExportPdf)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExportDocx)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExportHtml)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExportJsonResume)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchScore)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TailorOffline)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
