#include "jobs/job_routes.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <memory>
#include <set>

#include "db/in_list.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/fields.hpp"
#include "http/json_stream.hpp"
#include "http/multipart.hpp"
#include "http/pagination.hpp"
#include "jobs/job_csv.hpp"
#include "jobs/job_fields.hpp"
#include "jobs/job_query.hpp"
#include "jobs/job_stats.hpp"
#include "jobs/job_store.hpp"
#include "offline/match.hpp"
#include "resumes/resume_store.hpp"
#include "util/strings.hpp"

namespace resumate::jobs {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

void set_opt(json::value& slot, const std::optional<std::string>& s) {
    if (s)
        slot = *s;
    else
        slot = nullptr;
}

// `sp`: lists build every row in one monotonic arena instead of a malloc per string.
json::object to_json(const JobApplication& a, json::storage_ptr sp = {}) {
    json::object o(sp);
    o.reserve(13);
    o["id"] = a.id;
    set_opt(o["job_title"], a.job_title);
    set_opt(o["company_name"], a.company_name);
    set_opt(o["original_job_description"], a.original_job_description);
    if (a.date_applied)
        o["date_applied"] = util::to_iso_date(*a.date_applied);
    else
        o["date_applied"] = nullptr;
    o["status"] = a.status;
    set_opt(o["notes"], a.notes);
    o["is_deleted"] = a.is_deleted;
    o["is_example"] = a.is_example;
    o["created_at"] = util::to_iso8601(a.created_at);
    o["updated_at"] = util::to_iso8601(a.updated_at);
    o["user"] = a.user_id;
    if (a.resume_used)
        o["resume_used"] = *a.resume_used;
    else
        o["resume_used"] = nullptr;
    return o;
}

json::array to_json(const std::vector<JobApplication>& v, json::storage_ptr sp = {}) {
    json::array arr(sp);
    arr.reserve(v.size());
    for (const auto& a : v) arr.push_back(to_json(a, sp));
    return arr;
}

// Applies the request's fields to `a` (all optional, as the original's serializer).
// is_deleted and is_example are read-only here: only the server changes them.
http::Task<void> apply_input(const Request& req, db::Database& db, JobApplication& a) {
    auto data = http::parse_object_data(req);
    http::ValidationErrors errors;
    JobFields fields = read_job_fields(data, errors);
    if (fields.resume_used && *fields.resume_used) {
        // Stricter than the original: only the caller's own resumes.
        int64_t rid = **fields.resume_used;
        bool owned = false;
        if (rid > 0) owned = co_await resumes::ResumeStore(db).exists(req.user->id, rid);
        if (!owned) {
            errors.add("resume_used",
                       http::invalid_pk_message(data.value.as_object().at("resume_used")));
        }
    }
    errors.raise_if_any();
    apply_job_fields(fields, a);
}

// A search reads the text of at most about this much of the list at once.
constexpr int64_t kSearchBatchBytes = 4 * 1024 * 1024;

// Keeps the rows (in id order) whose job title, company name or notes hold every term. Their
// text is read a batch of consecutive ids at a time, so that a search holds a few MiB of it
// whatever the user keeps.
http::Task<void> keep_matches(JobStore& store, int64_t user_id,
                              const std::vector<std::string>& terms,
                              std::vector<JobListKey>& keys) {
    std::vector<JobListKey> kept;
    size_t pos = 0;
    while (pos < keys.size()) {
        size_t end = pos;
        int64_t bytes = 0;
        while (end < keys.size() &&
               (end == pos || bytes + keys[end].text_bytes <= kSearchBatchBytes))
            bytes += keys[end++].text_bytes;
        auto texts = co_await store.search_text(user_id, keys[pos].id, keys[end - 1].id);
        // Both in id order; a row of the range that the filters left out is skipped.
        size_t k = pos;
        for (const auto& t : texts) {
            while (k < end && keys[k].id < t.id) ++k;
            if (k < end && keys[k].id == t.id && matches_terms(t, terms))
                kept.push_back(std::move(keys[k]));
        }
        pos = end;
    }
    keys = std::move(kept);
}

// The rows of `ids` (any number), live or deleted, in the order of `ids`.
http::Task<std::vector<JobApplication>> fetch_in_order(JobStore& store, int64_t user_id,
                                                       const std::vector<int64_t>& ids,
                                                       bool deleted) {
    std::vector<JobApplication> out;
    out.reserve(ids.size());
    for (size_t pos = 0; pos < ids.size(); pos += db::kMaxInList) {
        const auto end =
            ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), pos + db::kMaxInList));
        std::vector<int64_t> chunk(ids.begin() + static_cast<std::ptrdiff_t>(pos), end);
        std::vector<JobApplication> rows;
        if (deleted) {
            rows = co_await store.fetch_deleted(user_id, chunk);
        } else {
            rows = co_await store.fetch(user_id, chunk);
        }
        for (auto& a : rows) out.push_back(std::move(a));
    }
    co_return out;
}

// A list whose order is known by id (`keys`, in list order): one page of it for ?limit=, else
// all of it as the plain list is written: the first rows (up to db::kListHeadBytes of text, at
// most db::kMaxInList) read now, the rest a page at a time as the answer goes out.
http::Task<Response> ordered_list(http::Context& ctx, const std::vector<JobListKey>& keys,
                                  bool deleted, std::optional<http::PageRequest> page) {
    const int64_t uid = ctx.user().id;
    const auto count = static_cast<int64_t>(keys.size());
    if (page) {
        std::vector<int64_t> ids;
        if (page->offset < count) {
            const int64_t end = page->offset + std::min(page->limit, count - page->offset);
            for (int64_t i = page->offset; i < end; ++i)
                ids.push_back(keys[static_cast<size_t>(i)].id);
        }
        JobStore store(ctx.db());
        auto rows = co_await fetch_in_order(store, uid, ids, deleted);
        co_return Response::json(200,
                                 http::page_envelope(ctx.request, *page, count, to_json(rows)));
    }
    size_t head = 0;
    int64_t before = 0;
    while (head < keys.size() && head < db::kMaxInList && before < db::kListHeadBytes)
        before += keys[head++].text_bytes;
    auto session = ctx.shared_db();
    auto list = std::make_shared<http::IdListPager<JobApplication>>();
    std::vector<int64_t> head_ids;
    for (size_t i = 0; i < head; ++i) head_ids.push_back(keys[i].id);
    if (!head_ids.empty()) {
        JobStore store(*session);
        list->head = co_await fetch_in_order(store, uid, head_ids, deleted);
    }
    for (size_t i = head; i < keys.size(); ++i) list->ids.push_back(keys[i].id);
    list->fetch = [session, uid, deleted](
                      const std::vector<int64_t>& ids) -> http::Task<std::vector<JobApplication>> {
        JobStore store(*session);
        co_return co_await fetch_in_order(store, uid, ids, deleted);
    };
    list->serialize = [](const JobApplication& row) { return json::serialize(to_json(row)); };
    co_return co_await http::id_list_response(std::move(list));
}

// The CSV export, read a page of rows at a time as it is written.
struct CsvExport {
    std::shared_ptr<db::Session> session;
    int64_t user_id = 0;
    std::vector<int64_t> ids;
    size_t pos = 0;
    size_t rows = 16;
    bool done() const { return pos >= ids.size(); }
};

// Appends the next page's records to `out`.
http::Task<void> next_csv_rows(std::shared_ptr<CsvExport> s, std::string& out) {
    const size_t n = std::min(s->rows, s->ids.size() - s->pos);
    if (n == 0) co_return;
    std::vector<int64_t> wanted(s->ids.begin() + static_cast<std::ptrdiff_t>(s->pos),
                                s->ids.begin() + static_cast<std::ptrdiff_t>(s->pos + n));
    s->pos += n;
    auto found = co_await JobStore(*s->session).fetch(s->user_id, wanted);
    size_t largest = 0;
    for (const auto& a : found) {
        const size_t before = out.size();
        append_csv_row(out, a);
        largest = std::max(largest, out.size() - before);
    }
    if (!found.empty()) s->rows = http::page_rows_for(largest);
}

http::Task<void> write_csv_pages(std::shared_ptr<CsvExport> s, std::shared_ptr<std::string> first,
                                 http::ResponseStream& out) {
    std::string chunk = std::move(*first);
    if (!co_await out.write(chunk)) co_return;
    while (!s->done()) {
        chunk.clear();
        co_await next_csv_rows(s, chunk);
        if (chunk.empty()) continue;
        if (!co_await out.write(chunk)) co_return;
    }
}

// The CSV text of an import: a text/csv body, or the multipart field `file`.
std::string_view upload_text(const Request& req) {
    const std::string_view type = req.header("Content-Type").value_or("");
    const std::string media = util::to_lower_ascii(util::trim(type.substr(0, type.find(';'))));
    std::string_view text;
    if (media.empty()) {
        http::throw_validation("file", "No file was submitted.");
    } else if (media == "text/csv") {
        text = req.body;
    } else if (media == "multipart/form-data") {
        const auto parts = http::parse_multipart_form(type, req.body);
        const http::MultipartPart* part = http::find_multipart_part(parts, "file");
        if (!part) http::throw_validation("file", "No file was submitted.");
        text = part->data;
    } else {
        throw http::Error::unsupported_media_type("Unsupported media type \"" +
                                                  util::latin1_to_utf8(type) + "\" in request.");
    }
    if (text.empty()) http::throw_validation("file", "The submitted file is empty.");
    return text;
}

void raise_import_errors(const CsvImport& import) {
    if (import.errors.empty()) return;
    json::array errors;
    for (const auto& e : import.errors) {
        json::object o;
        o["line"] = static_cast<int64_t>(e.line);
        if (e.column) {
            o["column"] = *e.column;
        } else {
            o["column"] = nullptr;
        }
        o["message"] = e.message;
        errors.push_back(std::move(o));
    }
    json::object body;
    body["errors"] = std::move(errors);
    throw http::Error::validation(std::move(body));
}

}  // namespace

std::vector<http::SchemaDef> JobRoutes::schemas() {
    return {
        {"JobApplicationMatch", R"json({
          "type": "object",
          "properties": {
            "score": {"type": "integer", "minimum": 0, "maximum": 100,
                      "description": "The weighted share of the posting's skills and terms the resume mentions"},
            "resume": {"type": "integer"},
            "matched": {"type": "array", "items": {"type": "string"}, "description": "Heaviest first"},
            "missing": {"type": "array", "items": {"type": "string"}, "description": "Heaviest first"},
            "suggestions": {"type": "array", "items": {"type": "string"}}
          },
          "required": ["score", "resume", "matched", "missing", "suggestions"]})json"},
        {"JobStatus",
         R"json({"type": "string", "enum": ["Applied", "Interviewing", "Offer", "Rejected"]})json"},
        {"JobApplication", R"json({
          "type": "object",
          "properties": {
            "id": {"type": "integer", "readOnly": true},
            "user": {"type": "integer", "readOnly": true},
            "job_title": {"type": ["string", "null"], "maxLength": 255},
            "company_name": {"type": ["string", "null"], "maxLength": 255},
            "original_job_description": {"type": ["string", "null"]},
            "resume_used": {"type": ["integer", "null"], "description": "One of your resumes"},
            "date_applied": {"type": ["string", "null"], "format": "date"},
            "status": {"$ref": "#/components/schemas/JobStatus"},
            "notes": {"type": ["string", "null"]},
            "is_deleted": {"type": "boolean", "readOnly": true},
            "is_example": {"type": "boolean", "readOnly": true},
            "created_at": {"type": "string", "format": "date-time", "readOnly": true},
            "updated_at": {"type": "string", "format": "date-time", "readOnly": true}
          },
          "required": ["id", "user", "job_title", "company_name", "original_job_description",
                       "resume_used", "date_applied", "status", "notes", "is_deleted",
                       "is_example", "created_at", "updated_at"]})json"},
        {"JobApplicationRequest", R"json({
          "type": "object",
          "description": "Every field is optional; a PUT keeps the fields it does not send.",
          "properties": {
            "job_title": {"type": ["string", "null"], "maxLength": 255},
            "company_name": {"type": ["string", "null"], "maxLength": 255},
            "original_job_description": {"type": ["string", "null"]},
            "resume_used": {"type": ["integer", "null"]},
            "date_applied": {"type": ["string", "null"], "format": "date"},
            "status": {"$ref": "#/components/schemas/JobStatus"},
            "notes": {"type": ["string", "null"]}
          }})json"},
        {"JobApplicationStats", R"json({
          "type": "object",
          "description": "Over your live applications. Weeks are ISO 8601 weeks of date_applied, else of created_at (UTC), oldest first; weeks without an application are left out. Rates are rounded to 3 decimals, 0 when there is no application.",
          "properties": {
            "total": {"type": "integer"},
            "by_status": {
              "type": "object",
              "properties": {"Applied": {"type": "integer"}, "Interviewing": {"type": "integer"},
                             "Offer": {"type": "integer"}, "Rejected": {"type": "integer"}},
              "required": ["Applied", "Interviewing", "Offer", "Rejected"]},
            "per_week": {
              "type": "array",
              "items": {"type": "object",
                        "properties": {"week": {"type": "string", "examples": ["2026-W48"]},
                                       "count": {"type": "integer"}},
                        "required": ["week", "count"]}},
            "response_rate": {"type": "number",
                              "description": "(Interviewing + Offer + Rejected) / total"},
            "offer_rate": {"type": "number", "description": "Offer / total"}
          },
          "required": ["total", "by_status", "per_week", "response_rate", "offer_rate"]})json"},
        {"JobApplicationImportResult", R"json({
          "type": "object",
          "properties": {"created": {"type": "integer"}},
          "required": ["created"]})json"},
        {"JobApplicationImportErrors", R"json({
          "type": "object",
          "description": "Nothing was saved. Up to 100 errors, in line order; line is the physical line of the file (the header is line 1), column null for a fault of the whole line or file.",
          "properties": {
            "errors": {"type": "array",
                       "items": {"type": "object",
                                 "properties": {"line": {"type": "integer"},
                                                "column": {"type": ["string", "null"]},
                                                "message": {"type": "string"}},
                                 "required": ["line", "column", "message"]}}},
          "required": ["errors"]})json"},
        {"ExampleJobApplicationList", R"json({
          "type": "object",
          "properties": {
            "cache_status": {"type": "string",
                             "enum": ["MISS (Response from database)", "HIT (Response from Redis cache)"]},
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/JobApplication"}}
          },
          "required": ["cache_status", "data"]})json"},
    };
}

std::vector<http::RouteDef> JobRoutes::routes() {
    using http::Access;
    using http::Method;
    using http::on;
    return {
        {"/api/job-applications/",
         "Job Application List",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::list,
             {.summary = "Your job applications (not deleted)",
              .response = "[JobApplication]",
              .query = {{"status", "Only these statuses (repeat it for several)", "string", true},
                        {"search",
                         "Words (split at spaces and commas) that must each appear in the job "
                         "title, company name or notes; case-insensitive (Unicode case folding)"},
                        {"ordering",
                         "Comma-separated fields among date_applied, created_at, updated_at, "
                         "company_name and status, each with - for descending; unknown ones are "
                         "ignored; ties go by id. Empty values sort last going up, first going "
                         "down"},
                        {"date_applied_after", "Applied on or after this date (YYYY-MM-DD)"},
                        {"date_applied_before", "Applied on or before this date (YYYY-MM-DD)"}},
              .paginated = true,
              .description = "Without a filter, in id order. Filters combine with AND (several "
                             "statuses with OR)."}),
          on(Method::Post, this, &JobRoutes::create,
             {.summary = "Track a job application",
              .request = "JobApplicationRequest",
              .response = "JobApplication",
              .status = 201})}},
        {"/api/job-applications/stats/",
         "Job Application Stats",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::stats,
             {.summary = "How your applications stand: by status, per week, response and offer "
                         "rates",
              .response = "JobApplicationStats"})}},
        {"/api/job-applications/trash/",
         "Job Application Trash",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::trash,
             {.summary = "Your deleted job applications, last deleted first",
              .response = "[JobApplication]",
              .paginated = true})}},
        {"/api/job-applications/export/",
         "Job Application Export",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::export_csv,
             {.summary = "Your job applications as a CSV file",
              .media = "text/csv",
              .query = {{"format", "csv (the only format, and the default)"}},
              .description =
                  "RFC 4180, UTF-8, a header row: id, job_title, company_name, status, "
                  "date_applied, resume_used, notes, original_job_description, created_at, "
                  "updated_at. A cell that a spreadsheet could run as a formula (it starts with "
                  "=, +, -, @, a tab or a carriage return) starts with a single quote; the "
                  "import removes it."})},
         /*format_suffix=*/false,
         /*description=*/{},
         /*also_accepts=*/"text/csv"},
        {"/api/job-applications/import/",
         "Job Application Import",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Post, this, &JobRoutes::import_csv,
             {.summary = "Add job applications from a CSV file (all or none)",
              .upload = "file",
              .upload_types = "A CSV file: UTF-8 (a byte order mark is fine), RFC 4180, a "
                              "header row naming the export's columns (id, created_at and "
                              "updated_at are ignored), at most 5000 data rows. The CSV may "
                              "also come as the whole body, as text/csv.",
              .response = "JobApplicationImportResult",
              .status = 201,
              .description = "Each cell is checked as the API checks the field; an empty cell "
                             "is null (status: Applied). On any error nothing is saved and the "
                             "answer is 400 with a JobApplicationImportErrors body."})}},
        {"/api/job-applications/{id}/match/",
         "Job Application Match",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::match,
             {.summary = "How well a resume answers this application's job description",
              .response = "JobApplicationMatch",
              .query = {{"resume", "One of your resumes (default: the application's resume_used)"}},
              .description =
                  "Deterministic and explainable, no model is called: the skills and key terms "
                  "of the description, weighted by where they stand (title and requirements "
                  "more than nice-to-haves) and how often, compared with the resume."})}},
        {"/api/job-applications/{id}/restore/",
         "Job Application Restore",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Post, this, &JobRoutes::restore,
             {.summary = "Take a deleted job application out of the trash",
              .response = "JobApplication"})}},
        {"/api/job-applications/{id}/",
         "Job Application Detail",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::retrieve,
             {.summary = "One of your job applications", .response = "JobApplication"}),
          on(Method::Put, this, &JobRoutes::update,
             {.summary = "Change a job application (fields not sent are kept)",
              .request = "JobApplicationRequest",
              .response = "JobApplication"}),
          on(Method::Patch, this, &JobRoutes::update,
             {.summary = "Change some fields of a job application",
              .request = "JobApplicationRequest",
              .response = "JobApplication"}),
          on(Method::Delete, this, &JobRoutes::destroy,
             {.summary = "Delete a job application (kept, marked deleted)", .status = 204})}},
        {"/api/example-job-applications/",
         "Example Job Application List",
         Access::Anyone,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::list_examples,
             {.summary = "The example board shown to visitors (cached; X-Cache-Status)",
              .response = "ExampleJobApplicationList"})}},
        {"/api/example-job-applications/{id}/",
         "Example Job Application Detail",
         Access::Anyone,
         http::kNoScope,
         {on(Method::Get, this, &JobRoutes::retrieve_example,
             {.summary = "One example job application", .response = "JobApplication"})}},
    };
}

http::Task<Response> JobRoutes::list(http::Context& ctx) {
    const int64_t uid = ctx.user().id;
    const JobListQuery query = parse_list_query(ctx.request);
    auto page = http::page_request(ctx.request);
    if (query.present) {
        JobStore store(ctx.db());
        auto keys = co_await store.list_keys(uid, query);
        if (!query.terms.empty()) co_await keep_matches(store, uid, query.terms, keys);
        order_keys(keys, query);
        co_return co_await ordered_list(ctx, keys, /*deleted=*/false, page);
    }
    if (!page) {
        // The first rows and the ids of the rest now, the rest a page at a time as the answer
        // is written.
        auto session = ctx.shared_db();
        auto list = std::make_shared<http::IdListPager<JobApplication>>();
        auto head = co_await JobStore(*session).list_head(uid);
        list->head = std::move(head.rows);
        list->ids = std::move(head.rest);
        list->fetch =
            [session,
             uid](const std::vector<int64_t>& ids) -> http::Task<std::vector<JobApplication>> {
            co_return co_await JobStore(*session).fetch(uid, ids);
        };
        list->serialize = [](const JobApplication& row) { return json::serialize(to_json(row)); };
        co_return co_await http::id_list_response(std::move(list));
    }
    JobStore store(ctx.db());
    auto rows = co_await store.list(uid, db::Page{page->limit, page->offset});
    int64_t count = co_await store.count(uid);
    co_return Response::json(200, http::page_envelope(ctx.request, *page, count, to_json(rows)));
}

http::Task<Response> JobRoutes::create(http::Context& ctx) {
    JobApplication a;
    a.user_id = ctx.user().id;
    co_await apply_input(ctx.request, ctx.db(), a);
    JobStore store(ctx.db(), &limits_);
    auto created = co_await store.create(a);
    co_return Response::json(201, to_json(created));
}

http::Task<Response> JobRoutes::retrieve(http::Context& ctx) {
    JobStore store(ctx.db());
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto a = co_await store.find(uid, id);
    if (!a) http::throw_not_found();
    co_return Response::json(200, to_json(*a));
}

http::Task<Response> JobRoutes::match(http::Context& ctx) {
    const int64_t uid = ctx.user().id;
    auto a = co_await JobStore(ctx.db()).find(uid, ctx.id_param());
    if (!a) http::throw_not_found();
    http::ValidationErrors errors;
    std::optional<int64_t> resume_id = a->resume_used;
    if (auto given = ctx.request.query_param("resume")) {
        const std::string_view digits = util::trim(*given);
        int64_t id = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
            errors.add("resume", "A valid integer is required.");
            errors.raise();
        }
        resume_id = id;
    }
    if (!resume_id) {
        errors.add("resume", "This field is required.");
        errors.raise();
    }
    auto resume = co_await resumes::ResumeStore(ctx.db()).find(uid, *resume_id);
    if (!resume) {
        errors.add("resume",
                   "Invalid pk \"" + std::to_string(*resume_id) + "\" - object does not exist.");
        errors.raise();
    }
    const std::string_view description =
        a->original_job_description ? std::string_view(*a->original_job_description) : "";
    if (util::trim(description).empty()) {
        errors.add("original_job_description",
                   "This job application has no job description to match the resume against.");
        errors.raise();
    }
    const offline::MatchResult m = offline::match_resume(description, resume->content);
    json::array matched(m.matched.begin(), m.matched.end());
    json::array missing(m.missing.begin(), m.missing.end());
    json::array suggestions(m.suggestions.begin(), m.suggestions.end());
    co_return Response::json(200, json::object{{"score", m.score},
                                               {"resume", resume->id},
                                               {"matched", std::move(matched)},
                                               {"missing", std::move(missing)},
                                               {"suggestions", std::move(suggestions)}});
}

http::Task<Response> JobRoutes::update(http::Context& ctx) {
    JobStore store(ctx.db(), &limits_);
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto a = co_await store.find(uid, id);
    if (!a) http::throw_not_found();
    co_await apply_input(ctx.request, ctx.db(), *a);
    co_await store.update(*a);
    if (a->is_example) co_await cache_.erase(kExamplesCacheKey);
    auto fresh = co_await store.find(uid, a->id);
    if (!fresh) http::throw_not_found();
    co_return Response::json(200, to_json(*fresh));
}

http::Task<Response> JobRoutes::destroy(http::Context& ctx) {
    JobStore store(ctx.db());
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto a = co_await store.find(uid, id);
    if (!a) http::throw_not_found();
    const bool deleted = co_await store.remove(uid, a->id);
    if (!deleted) http::throw_not_found();
    if (a->is_example) co_await cache_.erase(kExamplesCacheKey);
    co_return Response::empty(204);
}

http::Task<Response> JobRoutes::stats(http::Context& ctx) {
    auto counts = co_await JobStore(ctx.db()).counts(ctx.user().id);
    co_return Response::raw_json(200, stats_json(counts));
}

http::Task<Response> JobRoutes::trash(http::Context& ctx) {
    const int64_t uid = ctx.user().id;
    auto page = http::page_request(ctx.request);
    JobStore store(ctx.db());
    if (page) {
        auto rows = co_await store.trash(uid, db::Page{page->limit, page->offset});
        const int64_t count = co_await store.count_trash(uid);
        co_return Response::json(200,
                                 http::page_envelope(ctx.request, *page, count, to_json(rows)));
    }
    auto keys = co_await store.trash_keys(uid);
    co_return co_await ordered_list(ctx, keys, /*deleted=*/true, std::nullopt);
}

http::Task<Response> JobRoutes::restore(http::Context& ctx) {
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    JobStore store(ctx.db(), &limits_);
    const bool restored = co_await store.restore(uid, id);
    if (!restored) http::throw_not_found();
    auto a = co_await store.find(uid, id);
    if (!a) http::throw_not_found();
    if (a->is_example) co_await cache_.erase(kExamplesCacheKey);
    co_return Response::json(200, to_json(*a));
}

http::Task<Response> JobRoutes::export_csv(http::Context& ctx) {
    if (auto format = ctx.request.query_param("format"); format && *format != "csv") {
        http::throw_validation("format", "\"" +
                                             util::encode_utf8(util::decode_utf8_lossy(*format)) +
                                             "\" is not a valid choice.");
    }
    auto state = std::make_shared<CsvExport>();
    state->session = ctx.shared_db();
    state->user_id = ctx.user().id;
    state->ids = co_await JobStore(*state->session).list_ids(state->user_id);
    auto first = std::make_shared<std::string>(csv_header());
    co_await next_csv_rows(state, *first);
    Response res;
    res.status = 200;
    res.content_type = "text/csv; charset=utf-8";
    res.with_header("Content-Disposition", "attachment; filename=\"job-applications.csv\"");
    if (state->done() && first->size() <= 64 * 1024) {
        res.body = std::move(*first);
        co_return res;
    }
    // A body that waits only on its own writes: the connection may serve the next request.
    res.stream_watches_client = false;
    res.stream = [state, first](http::ResponseStream& out) {
        return write_csv_pages(state, first, out);
    };
    co_return res;
}

http::Task<Response> JobRoutes::import_csv(http::Context& ctx) {
    const int64_t uid = ctx.user().id;
    CsvImport import = read_job_csv(upload_text(ctx.request));
    // Every error at once: the resumes of the rows that read well are checked too.
    const std::vector<int64_t> named = resumes_named(import);
    std::set<int64_t> owned;
    if (!named.empty()) owned = co_await JobStore(ctx.db()).owned_resume_ids(uid, named);
    check_resumes(import, owned);
    raise_import_errors(import);
    JobStore store(ctx.db(), &limits_);
    const int64_t created = co_await store.create_many(uid, import.rows);
    co_return Response::json(201, json::object{{"created", created}});
}

http::Task<Response> JobRoutes::list_examples(http::Context& ctx) {
    db::Session& session = ctx.db();
    auto list = co_await cache::get_or_compute(
        cache_, kExamplesCacheKey, std::chrono::hours(1), [&session]() -> http::Task<std::string> {
            // What every instance will serve for an hour is read from the primary: a replica
            // may not have replayed yet the change that emptied the cache.
            session.pin_to_primary();
            auto rows = co_await JobStore(session).examples();
            co_return json::serialize(to_json(rows));
        });
    co_return http::cache_status_response(list.hit, list.value);
}

http::Task<Response> JobRoutes::retrieve_example(http::Context& ctx) {
    JobStore store(ctx.db());
    const int64_t id = ctx.id_param();
    auto a = co_await store.example(id);
    if (!a) http::throw_not_found();
    co_return Response::json(200, to_json(*a));
}

}  // namespace resumate::jobs
