#include "jobs/job_stats.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

#include "jobs/job_store.hpp"
#include "util/strings.hpp"

namespace resumate::jobs {

std::string iso_week(util::Date day) {
    // 1970-01-01 was a Thursday: ISO weekday 1 (Monday) … 7 (Sunday).
    const int64_t days = day.days;
    const int64_t weekday = ((days + 3) % 7 + 7) % 7 + 1;
    // The week belongs to the year of its Thursday.
    const int64_t thursday = days - weekday + 4;
    const std::string iso = util::to_iso_date(util::Date{static_cast<int32_t>(thursday)});
    const std::string year = iso.substr(0, iso.size() - 6);
    const auto jan1 = util::parse_date(year + "-01-01");
    const int64_t week = jan1 ? (thursday - jan1->days) / 7 + 1 : 1;
    char buf[32];
    std::snprintf(buf, sizeof buf, "-W%02d", static_cast<int>(week));
    return year + buf;
}

std::string rounded_rate(int64_t part, int64_t total) {
    if (total <= 0) return "0.0";
    // printf rounds the double exactly as Python's round() does (half to even on the binary
    // value); the shortest repr of the result is Python's.
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(part) / static_cast<double>(total));
    return util::python_float_str(std::strtod(buf, nullptr));
}

std::string stats_json(const JobCounts& counts) {
    namespace json = boost::json;
    int64_t total = 0;
    std::map<std::string, int64_t, std::less<>> by_status;
    for (auto s : kStatuses) by_status.emplace(std::string(s), 0);
    // Keyed by the week's text: "YYYY-Www" sorts as the weeks do (years of four digits).
    std::map<std::string, int64_t> per_week;
    for (const auto& r : counts.by_status_and_date) {
        total += r.count;
        if (auto it = by_status.find(r.status); it != by_status.end()) it->second += r.count;
        if (r.day) per_week[iso_week(*r.day)] += r.count;
    }
    for (const auto& r : counts.undated_by_created_day) per_week[iso_week(r.day)] += r.count;
    json::object statuses;
    for (auto s : kStatuses) statuses[s] = by_status.find(s)->second;
    json::array weeks;
    for (const auto& [week, count] : per_week)
        weeks.push_back(json::object{{"week", week}, {"count", count}});
    json::object o;
    o["total"] = total;
    o["by_status"] = std::move(statuses);
    o["per_week"] = std::move(weeks);
    const int64_t responded =
        by_status["Interviewing"] + by_status["Offer"] + by_status["Rejected"];
    // Boost.JSON writes 0.5 as 5E-1: the rates go in as Python writes them.
    std::string body = json::serialize(o);
    body.pop_back();
    body += ",\"response_rate\":" + rounded_rate(responded, total) +
            ",\"offer_rate\":" + rounded_rate(by_status["Offer"], total) + "}";
    return body;
}

}  // namespace resumate::jobs
