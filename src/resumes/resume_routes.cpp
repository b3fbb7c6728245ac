#include "resumes/resume_routes.hpp"

#include <boost/json.hpp>

#include "documents/export.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/fields.hpp"
#include "http/json_stream.hpp"
#include "http/multipart.hpp"
#include "http/pagination.hpp"
#include "resumes/import.hpp"
#include "resumes/resume_store.hpp"
#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace resumate::resumes {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

json::object to_json(const Resume& r) {
    return json::object{{"id", r.id},
                        {"user", r.username},
                        {"title", r.title},
                        {"content", r.content},
                        {"created_at", util::to_iso8601(r.created_at)},
                        {"updated_at", util::to_iso8601(r.updated_at)}};
}

struct ResumeInput {
    std::optional<std::string> title;
    std::optional<std::string> content;
};

ResumeInput validate(const Request& req, bool partial) {
    auto data = http::parse_object_data(req);
    http::ValidationErrors errors;
    ResumeInput in;
    auto title = http::char_field(data, "title", {.max_length = 255, .partial = partial}, errors);
    auto content = http::char_field(data, "content", {.partial = partial}, errors);
    errors.raise_if_any();
    if (title) in.title = **title;
    if (content) in.content = **content;
    return in;
}

// DRF's ChoiceField message for a query parameter (any bytes shown as valid UTF-8).
std::string invalid_choice(std::string_view value) {
    return "\"" + util::encode_utf8(util::decode_utf8_lossy(value)) + "\" is not a valid choice.";
}

}  // namespace

std::vector<http::SchemaDef> ResumeRoutes::schemas() {
    return {
        {"Resume", R"json({
          "type": "object",
          "properties": {
            "id": {"type": "integer", "readOnly": true},
            "user": {"type": "string", "description": "The owner's username", "readOnly": true},
            "title": {"type": "string", "maxLength": 255},
            "content": {"type": "string", "description": "Markdown"},
            "created_at": {"type": "string", "format": "date-time", "readOnly": true},
            "updated_at": {"type": "string", "format": "date-time", "readOnly": true}
          },
          "required": ["id", "user", "title", "content", "created_at", "updated_at"]})json"},
        {"ResumeRequest", R"json({
          "type": "object",
          "properties": {"title": {"type": "string", "maxLength": 255},
                         "content": {"type": "string"}},
          "required": ["title", "content"]})json"},
        {"JsonResume", R"json({
          "type": "object",
          "description": "A JSON Resume document (https://jsonresume.org/schema, version 1.0.0)",
          "properties": {
            "basics": {"type": "object", "properties": {
              "name": {"type": "string"}, "label": {"type": "string"},
              "email": {"type": "string"}, "phone": {"type": "string"},
              "url": {"type": "string"}, "summary": {"type": "string"},
              "location": {"type": "object"}, "profiles": {"type": "array", "items": {"type": "object"}}}},
            "work": {"type": "array", "items": {"type": "object"}},
            "volunteer": {"type": "array", "items": {"type": "object"}},
            "education": {"type": "array", "items": {"type": "object"}},
            "awards": {"type": "array", "items": {"type": "object"}},
            "certificates": {"type": "array", "items": {"type": "object"}},
            "publications": {"type": "array", "items": {"type": "object"}},
            "skills": {"type": "array", "items": {"type": "object"}},
            "languages": {"type": "array", "items": {"type": "object"}},
            "interests": {"type": "array", "items": {"type": "object"}},
            "references": {"type": "array", "items": {"type": "object"}},
            "projects": {"type": "array", "items": {"type": "object"}}
          }})json"},
        {"ResumePatchRequest", R"json({
          "type": "object",
          "properties": {"title": {"type": "string", "maxLength": 255},
                         "content": {"type": "string"}}})json"},
    };
}

std::vector<http::RouteDef> ResumeRoutes::routes() {
    using http::Access;
    using http::Method;
    using http::on;
    return {
        {"/api/resumes/",
         "Resume List",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &ResumeRoutes::list,
             {.summary = "Your resumes, last changed first",
              .response = "[Resume]",
              .paginated = true}),
          on(Method::Post, this, &ResumeRoutes::create,
             {.summary = "Add a resume",
              .request = "ResumeRequest",
              .response = "Resume",
              .status = 201})},
         /*format_suffix=*/true},
        {"/api/resumes/import/",
         "Resume Import",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Post, this, &ResumeRoutes::import_resume,
             {.summary = "Add a resume from a JSON Resume document, or from a .md or .json file",
              .request = "JsonResume",
              .upload = "file",
              .upload_types = "A Markdown (.md) or JSON Resume (.json) file",
              .response = "Resume",
              .status = 201})}},
        {"/api/resumes/{id}/",
         "Resume Instance",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &ResumeRoutes::retrieve,
             {.summary = "One of your resumes", .response = "Resume"}),
          on(Method::Put, this, &ResumeRoutes::replace,
             {.summary = "Replace a resume's title and content",
              .request = "ResumeRequest",
              .response = "Resume"}),
          on(Method::Patch, this, &ResumeRoutes::partial_update,
             {.summary = "Change a resume's title or content",
              .request = "ResumePatchRequest",
              .response = "Resume"}),
          on(Method::Delete, this, &ResumeRoutes::destroy,
             {.summary = "Delete a resume (applications that used it keep existing)",
              .status = 204})},
         /*format_suffix=*/true},
        {"/api/resumes/{id}/export/",
         "Resume Export",
         Access::Authenticated,
         http::kNoScope,
         {on(Method::Get, this, &ResumeRoutes::export_resume,
             {.summary = "One of your resumes as a file: PDF, DOCX, HTML, Markdown or JSON Resume",
              .media = "application/pdf",
              .query = {{"format", "pdf, docx, html, md or json (JSON Resume 1.0.0); required"},
                        {"paper",
                         "a4 (the default) or letter: the page size of the PDF and the "
                         "DOCX, the print size of the HTML page"}},
              .description =
                  "An attachment (Content-Disposition) named after the title. Content-Type: "
                  "application/pdf (with X-Page-Count), application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.document, text/html "
                  "(a standalone printable page; raw HTML in the resume is shown as text), "
                  "text/markdown (the content as stored) or application/json (JSON Resume "
                  "1.0.0, from what the text states)."})},
         /*format_suffix=*/false,
         /*description=*/{},
         /*also_accepts=*/
         "application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
         "text/markdown,application/octet-stream"},
    };
}

http::Task<Response> ResumeRoutes::list(http::Context& ctx) {
    const int64_t uid = ctx.user().id;
    auto page = http::page_request(ctx.request);
    if (!page) {
        // The first rows and the ids of the rest now, the rest a page at a time as the answer
        // is written.
        auto session = ctx.shared_db();
        auto list = std::make_shared<http::IdListPager<Resume>>();
        auto head = co_await ResumeStore(*session).list_head(uid);
        list->head = std::move(head.rows);
        list->ids = std::move(head.rest);
        list->fetch = [session,
                       uid](const std::vector<int64_t>& ids) -> http::Task<std::vector<Resume>> {
            co_return co_await ResumeStore(*session).fetch(uid, ids);
        };
        list->serialize = [](const Resume& row) { return json::serialize(to_json(row)); };
        co_return co_await http::id_list_response(std::move(list));
    }
    ResumeStore store(ctx.db());
    auto rows = co_await store.list(uid, db::Page{page->limit, page->offset});
    json::array arr;
    arr.reserve(rows.size());
    for (const auto& r : rows) arr.push_back(to_json(r));
    int64_t count = co_await store.count(uid);
    co_return Response::json(200, http::page_envelope(ctx.request, *page, count, std::move(arr)));
}

http::Task<Response> ResumeRoutes::create(http::Context& ctx) {
    auto in = validate(ctx.request, false);
    ResumeStore store(ctx.db(), &limits_);
    Resume r;
    r.user_id = ctx.user().id;
    r.title = *in.title;
    r.content = *in.content;
    auto created = co_await store.create(r);
    co_return Response::json(201, to_json(created));
}

http::Task<Response> ResumeRoutes::retrieve(http::Context& ctx) {
    ResumeStore store(ctx.db());
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto r = co_await store.find(uid, id);
    if (!r) http::throw_not_found();
    co_return Response::json(200, to_json(*r));
}

http::Task<Response> ResumeRoutes::replace(http::Context& ctx) {
    return update(ctx, false);
}

http::Task<Response> ResumeRoutes::partial_update(http::Context& ctx) {
    return update(ctx, true);
}

http::Task<Response> ResumeRoutes::update(http::Context& ctx, bool partial) {
    ResumeStore store(ctx.db(), &limits_);
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto existing = co_await store.find(uid, id);
    if (!existing) http::throw_not_found();
    auto in = validate(ctx.request, partial);
    if (in.title) existing->title = *in.title;
    if (in.content) existing->content = *in.content;
    co_await store.update(*existing);
    auto fresh = co_await store.find(uid, existing->id);
    if (!fresh) http::throw_not_found();
    co_return Response::json(200, to_json(*fresh));
}

http::Task<Response> ResumeRoutes::destroy(http::Context& ctx) {
    ResumeStore store(ctx.db());
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    const bool removed = co_await store.remove(uid, id);
    if (!removed) http::throw_not_found();
    co_return Response::empty(204);
}

http::Task<Response> ResumeRoutes::import_resume(http::Context& ctx) {
    const std::string_view content_type = ctx.request.header("Content-Type").value_or("");
    ImportedResume in;
    const std::string media =
        util::to_lower_ascii(util::trim(content_type.substr(0, content_type.find(';'))));
    if (media == "multipart/form-data") {
        const auto parts = http::parse_multipart_form(content_type, ctx.request.body);
        const http::MultipartPart* file = http::find_multipart_part(parts, "file");
        http::ValidationErrors errors;
        if (!file || !file->filename) {
            errors.add("file", "No file was submitted.");
            errors.raise();
        }
        const std::string name = util::to_lower_ascii(*file->filename);
        if (name.ends_with(".md") || name.ends_with(".markdown")) {
            in = from_markdown(file->data);
        } else if (name.ends_with(".json")) {
            boost::json::parse_options opts;
            opts.max_depth = http::kMaxJsonDepth;
            boost::system::error_code ec;
            boost::json::value doc;
            if (util::is_valid_utf8(file->data)) doc = boost::json::parse(file->data, ec, {}, opts);
            if (ec || !util::is_valid_utf8(file->data)) {
                errors.add("file", "The file is not a valid JSON document.");
                errors.raise();
            }
            in = from_json_resume(doc);
        } else {
            errors.add("file", "Upload a Markdown (.md) or JSON Resume (.json) file.");
            errors.raise();
        }
    } else {
        const http::RequestData data = http::parse_object_data(ctx.request);
        // Python's json reads "\ud800"; as everywhere else in the API, such text is refused.
        http::ValidationErrors errors;
        http::refuse_surrogates(data, errors);
        errors.raise_if_any();
        in = from_json_resume(data.value);
    }
    ResumeStore store(ctx.db(), &limits_);
    Resume r;
    r.user_id = ctx.user().id;
    r.title = std::move(in.title);
    r.content = std::move(in.content);
    auto created = co_await store.create(r);
    co_return Response::json(201, to_json(created));
}

http::Task<Response> ResumeRoutes::export_resume(http::Context& ctx) {
    ResumeStore store(ctx.db());
    const int64_t uid = ctx.user().id, id = ctx.id_param();
    auto r = co_await store.find(uid, id);
    if (!r) http::throw_not_found();
    http::ValidationErrors errors;
    std::optional<documents::Format> format;
    if (auto name = ctx.request.query_param("format"); !name) {
        errors.add("format", "This field is required.");
    } else if (format = documents::parse_format(*name); !format) {
        errors.add("format", invalid_choice(*name));
    }
    documents::ExportOptions options;
    if (auto name = ctx.request.query_param("paper")) {
        if (auto paper = documents::parse_paper(*name)) {
            options.paper = *paper;
        } else {
            errors.add("paper", invalid_choice(*name));
        }
    }
    errors.raise_if_any();
    options.last_modified = util::to_iso8601(r->updated_at);
    // Typesetting and the analysis behind JSON Resume take milliseconds of CPU: not on an IO
    // thread. The Markdown is answered as it is.
    auto make = [title = r->title, content = r->content, f = *format, options] {
        return documents::export_resume(title, content, f, options);
    };
    documents::Document doc;
    if (cpu_pool_ && *format != documents::Format::Markdown) {
        // Not a temporary in the co_await, nor inside a conditional expression: GCC 12 destroys
        // such a temporary twice (util/worker_pool.hpp).
        auto job = util::on_cpu_pool(*cpu_pool_, std::move(make));
        doc = co_await std::move(job);
    } else {
        doc = make();
    }
    Response res;
    res.status = 200;
    res.content_type = std::move(doc.content_type);
    res.body = std::move(doc.bytes);
    res.with_header("Content-Disposition", documents::content_disposition(r->title, doc.extension));
    if (*format == documents::Format::Pdf)
        res.with_header("X-Page-Count", std::to_string(doc.pages));
    co_return res;
}

}  // namespace resumate::resumes
