// jobs/: GET /api/job-applications/stats/ — the counts of the user's live applications, by
// status and by ISO week, from what JobStore::counts() aggregates in SQL.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/time.hpp"

namespace resumate::jobs {

// How many of the user's live applications have this status and this date_applied (none: the
// applications of that status without one).
struct JobStatusDay {
    std::string status;
    std::optional<util::Date> day;
    int64_t count = 0;
};

// How many of the user's live applications without a date_applied were created on this (UTC) day.
struct JobCreatedDay {
    util::Date day;
    int64_t count = 0;
};

struct JobCounts {
    std::vector<JobStatusDay> by_status_and_date;
    std::vector<JobCreatedDay> undated_by_created_day;
};

// "2026-W48": the ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday).
std::string iso_week(util::Date day);

// Python's repr of round(part / total, 3), and 0.0 when total is 0: "0.333", "1.0".
std::string rounded_rate(int64_t part, int64_t total);

// {"total", "by_status": {"Applied", "Interviewing", "Offer", "Rejected"}, "per_week": [{"week",
// "count"}, …] (oldest first, empty weeks left out), "response_rate", "offer_rate"} as JSON text.
std::string stats_json(const JobCounts& counts);

}  // namespace resumate::jobs
