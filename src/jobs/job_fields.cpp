#include "jobs/job_fields.hpp"

namespace resumate::jobs {

JobFields read_job_fields(const http::RequestData& data, http::ValidationErrors& errors) {
    const http::FieldRules text{.required = false, .allow_null = true, .allow_blank = true};
    const http::FieldRules line{
        .required = false, .allow_null = true, .allow_blank = true, .max_length = 255};
    JobFields f;
    f.job_title = http::char_field(data, "job_title", line, errors);
    f.company_name = http::char_field(data, "company_name", line, errors);
    f.original_job_description = http::char_field(data, "original_job_description", text, errors);
    f.date_applied =
        http::date_field(data, "date_applied", {.required = false, .allow_null = true}, errors);
    f.status = http::choice_field(data, "status", kStatuses, {.required = false}, errors);
    f.notes = http::char_field(data, "notes", text, errors);
    f.resume_used =
        http::pk_field(data, "resume_used", {.required = false, .allow_null = true}, errors);
    return f;
}

void apply_job_fields(const JobFields& f, JobApplication& a) {
    if (f.job_title) a.job_title = *f.job_title;
    if (f.company_name) a.company_name = *f.company_name;
    if (f.original_job_description) a.original_job_description = *f.original_job_description;
    if (f.date_applied) a.date_applied = *f.date_applied;
    if (f.status) a.status = **f.status;
    if (f.notes) a.notes = *f.notes;
    if (f.resume_used) a.resume_used = *f.resume_used;
}

}  // namespace resumate::jobs
