// jobs/: the writable fields of a job application as the API reads them (the original's
// serializer: every field optional), shared by the JSON routes and the CSV import.
#pragma once
#include <cstdint>
#include <string>

#include "http/body.hpp"
#include "http/fields.hpp"
#include "jobs/job_store.hpp"

namespace resumate::jobs {

struct JobFields {
    http::Field<std::string> job_title;
    http::Field<std::string> company_name;
    http::Field<std::string> original_job_description;
    http::Field<util::Date> date_applied;
    http::Field<std::string> status;
    http::Field<std::string> notes;
    // The type is checked here; whether it is one of the caller's resumes is the caller's check.
    http::Field<int64_t> resume_used;
};

// Reads the fields `data` holds, recording DRF's messages in `errors`.
JobFields read_job_fields(const http::RequestData& data, http::ValidationErrors& errors);

// Sets on `a` the fields that were given.
void apply_job_fields(const JobFields& fields, JobApplication& a);

}  // namespace resumate::jobs
