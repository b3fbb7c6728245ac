#include "resumes/import.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "http/errors.hpp"
#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace resumate::resumes {
namespace {

namespace json = boost::json;

constexpr size_t kMaxTitleChars = 255;

// User text as Markdown that renders as written: no HTML, and no links or images made of it.
std::string md(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '[':
            case ']':
            case '*':
            case '_':
            case '`':
            case '\\':
                out += '\\';
                out += c;
                break;
            case '\r':
            case '\n':
            case '\t':
                out += ' ';
                break;
            default:
                out += c;
        }
    }
    return std::string(util::trim(out));
}

// A URL that may become a link: http(s) or mailto only, and nothing that ends the link early.
bool linkable(std::string_view url) {
    const std::string low = util::to_lower_ascii(url);
    if (!(low.starts_with("https://") || low.starts_with("http://") || low.starts_with("mailto:")))
        return false;
    return url.find_first_of(" ()<>\"\r\n\t") == std::string_view::npos;
}

std::string link(std::string_view text, std::string_view url) {
    if (!linkable(url)) return md(text.empty() ? url : text);
    return "[" + md(text.empty() ? url : text) + "](" + std::string(url) + ")";
}

bool is_digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The schema's iso8601 pattern: YYYY, YYYY-MM or YYYY-MM-DD, with a real month and day.
bool iso_date(std::string_view s) {
    if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
    if (!is_digits(s.substr(0, 4))) return false;
    if (s.size() == 4) return true;
    if (s[4] != '-' || !is_digits(s.substr(5, 2))) return false;
    const int month = std::stoi(std::string(s.substr(5, 2)));
    if (month < 1 || month > 12) return false;
    if (s.size() == 7) return true;
    if (s[7] != '-' || !is_digits(s.substr(8, 2))) return false;
    const int year = std::stoi(std::string(s.substr(0, 4)));
    const int day = std::stoi(std::string(s.substr(8, 2)));
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int last = month == 2 && !leap ? 28 : kDays[month - 1];
    return day >= 1 && day <= last;
}

// Reads a document's values by path, recording what is wrong instead of throwing, so that one
// answer names every problem.
class Reader {
  public:
    explicit Reader(http::ValidationErrors& errors) : errors_(errors) {}

    // The string at o[key], or "" when absent or null; a non-string is an error.
    std::string text(const json::object& o, std::string_view key, const std::string& path) {
        const json::value* v = o.if_contains(key);
        if (!v || v->is_null()) return {};
        if (!v->is_string()) {
            errors_.add(path + "." + std::string(key), "Must be a string.");
            return {};
        }
        std::string s(v->as_string());
        if (s.find('\0') != std::string::npos) {
            errors_.add(path + "." + std::string(key), "Null characters are not allowed.");
            return {};
        }
        return std::string(util::trim(s));
    }

    std::string date(const json::object& o, std::string_view key, const std::string& path) {
        std::string s = text(o, key, path);
        if (!s.empty() && !iso_date(s)) {
            errors_.add(path + "." + std::string(key),
                        "Enter a valid date: YYYY, YYYY-MM or YYYY-MM-DD.");
            return {};
        }
        return s;
    }

    // The strings of the array at o[key].
    std::vector<std::string> texts(const json::object& o, std::string_view key,
                                   const std::string& path) {
        std::vector<std::string> out;
        const json::value* v = o.if_contains(key);
        if (!v || v->is_null()) return out;
        const std::string here = path + "." + std::string(key);
        if (!v->is_array()) {
            errors_.add(here, "Must be a list of strings.");
            return out;
        }
        for (size_t i = 0; i < v->as_array().size(); ++i) {
            const json::value& item = v->as_array()[i];
            if (!item.is_string()) {
                errors_.add(here + "[" + std::to_string(i) + "]", "Must be a string.");
                continue;
            }
            std::string s(util::trim(std::string_view(item.as_string())));
            if (s.find('\0') != std::string::npos) {
                errors_.add(here + "[" + std::to_string(i) + "]",
                            "Null characters are not allowed.");
                continue;
            }
            if (!s.empty()) out.push_back(std::move(s));
        }
        return out;
    }

    // The objects of the list o[key] (a section of the document, or basics.profiles: `path`
    // "basics").
    std::vector<const json::object*> items(const json::object& o, std::string_view key,
                                           const std::string& path = {}) {
        std::vector<const json::object*> out;
        const json::value* v = o.if_contains(key);
        if (!v || v->is_null()) return out;
        const std::string here = path.empty() ? std::string(key) : path + "." + std::string(key);
        if (!v->is_array()) {
            errors_.add(here, "Must be a list.");
            return out;
        }
        for (size_t i = 0; i < v->as_array().size(); ++i) {
            const json::value& item = v->as_array()[i];
            if (!item.is_object()) {
                errors_.add(here + "[" + std::to_string(i) + "]", "Must be an object.");
                out.push_back(nullptr);
                continue;
            }
            out.push_back(&item.as_object());
        }
        return out;
    }

    const json::object* object(const json::object& o, std::string_view key,
                               const std::string& path) {
        const json::value* v = o.if_contains(key);
        if (!v || v->is_null()) return nullptr;
        if (!v->is_object()) {
            errors_.add(path.empty() ? std::string(key) : path + "." + std::string(key),
                        "Must be an object.");
            return nullptr;
        }
        return &v->as_object();
    }

  private:
    http::ValidationErrors& errors_;
};

std::string path_of(std::string_view section, size_t i) {
    return std::string(section) + "[" + std::to_string(i) + "]";
}

// "Jan 2019 – Present"-like span from schema dates, kept as written (YYYY-MM).
std::string span(const std::string& start, const std::string& end, bool has_end_key) {
    if (start.empty() && end.empty()) return {};
    std::string out = start;
    if (!end.empty()) {
        out += (out.empty() ? "" : " – ") + end;
    } else if (!start.empty() && !has_end_key) {
        out += " – Present";
    }
    return out;
}

// "A — B", skipping the empty parts.
std::string joined(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (p.empty()) continue;
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

// At most kMaxTitleChars characters, cut at a character boundary.
std::string clip_title(std::string_view title) {
    std::string out;
    size_t chars = 0;
    for (size_t i = 0; i < title.size(); ++i) {
        const auto c = static_cast<unsigned char>(title[i]);
        if ((c & 0xC0) != 0x80 && ++chars > kMaxTitleChars) break;
        out.push_back(title[i]);
    }
    return out;
}

class MarkdownWriter {
  public:
    void heading(int level, std::string_view text) {
        if (!out_.empty()) out_ += "\n";
        out_ += std::string(static_cast<size_t>(level), '#') + " " + std::string(text) + "\n";
    }
    void line(std::string_view text) {
        if (text.empty()) return;
        out_ += std::string(text) + "\n";
    }
    void paragraph(std::string_view text) {
        if (text.empty()) return;
        out_ += "\n" + std::string(text) + "\n";
    }
    void bullets(const std::vector<std::string>& items) {
        if (items.empty()) return;
        out_ += "\n";
        for (const auto& i : items) out_ += "- " + md(i) + "\n";
    }
    void bullet(std::string_view text) { out_ += "- " + std::string(text) + "\n"; }
    void blank() { out_ += "\n"; }
    std::string take() { return std::move(out_); }

  private:
    std::string out_;
};

}  // namespace

ImportedResume from_json_resume(const json::value& document) {
    http::ValidationErrors errors;
    if (!document.is_object()) {
        errors.add("non_field_errors", "A JSON Resume document must be a JSON object.");
        errors.raise();
    }
    const json::object& doc = document.as_object();
    Reader r(errors);
    MarkdownWriter w;
    bool content = false;  // anything a resume shows

    std::string name, label;
    if (const json::object* basics = r.object(doc, "basics", "")) {
        name = r.text(*basics, "name", "basics");
        label = r.text(*basics, "label", "basics");
        const std::string email = r.text(*basics, "email", "basics");
        const std::string phone = r.text(*basics, "phone", "basics");
        const std::string url = r.text(*basics, "url", "basics");
        const std::string summary = r.text(*basics, "summary", "basics");
        std::string place;
        if (const json::object* loc = r.object(*basics, "location", "basics")) {
            place = joined(
                {r.text(*loc, "address", "basics.location"),
                 r.text(*loc, "city", "basics.location"), r.text(*loc, "region", "basics.location"),
                 r.text(*loc, "postalCode", "basics.location"),
                 r.text(*loc, "countryCode", "basics.location")},
                ", ");
        }
        std::vector<std::string> contact;
        if (!email.empty()) contact.push_back(md(email));
        if (!phone.empty()) contact.push_back(md(phone));
        if (!place.empty()) contact.push_back(md(place));
        if (!url.empty()) contact.push_back(link("", url));
        const auto profiles = r.items(*basics, "profiles", "basics");
        for (size_t i = 0; i < profiles.size(); ++i) {
            if (!profiles[i]) continue;
            const std::string p = "basics.profiles[" + std::to_string(i) + "]";
            const std::string network = r.text(*profiles[i], "network", p);
            const std::string user = r.text(*profiles[i], "username", p);
            const std::string purl = r.text(*profiles[i], "url", p);
            const std::string shown = joined({network, user}, ": ");
            if (!purl.empty()) {
                contact.push_back(link(shown, purl));
            } else if (!shown.empty()) {
                contact.push_back(md(shown));
            }
        }
        w.heading(1, name.empty() ? "Resume" : md(name));
        if (!label.empty()) w.line("**" + md(label) + "**");
        if (!contact.empty()) w.paragraph(joined(contact, " · "));
        if (!summary.empty()) {
            w.heading(2, "Summary");
            w.paragraph(md(summary));
        }
        content = !name.empty() || !label.empty() || !contact.empty() || !summary.empty();
    }

    // Sections of items: each writes its own entries.
    auto section = [&](std::string_view key, std::string_view title, auto&& entry) {
        const auto list = r.items(doc, key);
        bool opened = false;
        for (size_t i = 0; i < list.size(); ++i) {
            if (!list[i]) continue;
            if (!opened) {
                w.heading(2, title);
                opened = true;
            }
            entry(*list[i], path_of(key, i));
            content = true;
        }
    };

    auto job = [&](const json::object& o, const std::string& p, std::string_view org_key) {
        const std::string position = r.text(o, "position", p);
        const std::string org = r.text(o, org_key, p);
        const std::string where = r.text(o, "location", p);
        const bool has_end = o.contains("endDate");
        const std::string when = span(r.date(o, "startDate", p), r.date(o, "endDate", p), has_end);
        w.heading(3, md(joined({position, org}, " — ").empty() ? std::string("Role")
                                                               : joined({position, org}, " — ")));
        const std::string meta = joined({when, where}, " · ");
        if (!meta.empty()) w.paragraph("*" + md(meta) + "*");
        w.paragraph(md(r.text(o, "summary", p)));
        w.bullets(r.texts(o, "highlights", p));
    };
    section("work", "Experience",
            [&](const json::object& o, const std::string& p) { job(o, p, "name"); });
    section("volunteer", "Volunteering",
            [&](const json::object& o, const std::string& p) { job(o, p, "organization"); });
    section("education", "Education", [&](const json::object& o, const std::string& p) {
        const std::string study = r.text(o, "studyType", p);
        const std::string area = r.text(o, "area", p);
        const std::string degree =
            study.empty() || area.empty() ? study + area : study + ", " + area;
        const std::string when =
            span(r.date(o, "startDate", p), r.date(o, "endDate", p), o.contains("endDate"));
        const std::string score = r.text(o, "score", p);
        w.heading(3, md(joined({degree, r.text(o, "institution", p)}, " — ")));
        const std::string meta = joined({when, score.empty() ? "" : "Score: " + score}, " · ");
        if (!meta.empty()) w.paragraph("*" + md(meta) + "*");
        w.bullets(r.texts(o, "courses", p));
    });
    section("skills", "Skills", [&](const json::object& o, const std::string& p) {
        const std::string skill = r.text(o, "name", p);
        const std::string level = r.text(o, "level", p);
        const auto keywords = r.texts(o, "keywords", p);
        std::string item = "**" + md(skill.empty() ? std::string("Skills") : skill) + "**";
        if (!level.empty()) item += " (" + md(level) + ")";
        if (!keywords.empty()) {
            std::vector<std::string> k;
            for (const auto& kw : keywords) k.push_back(md(kw));
            item += ": " + joined(k, ", ");
        }
        w.bullet(item);
    });
    section("projects", "Projects", [&](const json::object& o, const std::string& p) {
        const std::string project = r.text(o, "name", p);
        const std::string url = r.text(o, "url", p);
        w.heading(3, url.empty() ? md(project) : link(project, url));
        const std::string when =
            span(r.date(o, "startDate", p), r.date(o, "endDate", p), o.contains("endDate"));
        if (!when.empty()) w.paragraph("*" + md(when) + "*");
        w.paragraph(md(r.text(o, "description", p)));
        w.bullets(r.texts(o, "highlights", p));
        const auto keywords = r.texts(o, "keywords", p);
        if (!keywords.empty()) w.paragraph("*" + md(joined(keywords, ", ")) + "*");
    });
    section("certificates", "Certifications", [&](const json::object& o, const std::string& p) {
        const std::string when = r.date(o, "date", p);
        w.bullet(md(joined({r.text(o, "name", p), r.text(o, "issuer", p), when}, " — ")));
    });
    section("awards", "Awards", [&](const json::object& o, const std::string& p) {
        const std::string when = r.date(o, "date", p);
        std::string item =
            md(joined({r.text(o, "title", p), r.text(o, "awarder", p), when}, " — "));
        const std::string summary = r.text(o, "summary", p);
        if (!summary.empty()) item += ": " + md(summary);
        w.bullet(item);
    });
    section("publications", "Publications", [&](const json::object& o, const std::string& p) {
        const std::string when = r.date(o, "releaseDate", p);
        w.bullet(md(joined({r.text(o, "name", p), r.text(o, "publisher", p), when}, " — ")));
    });
    section("languages", "Languages", [&](const json::object& o, const std::string& p) {
        w.bullet(md(joined({r.text(o, "language", p), r.text(o, "fluency", p)}, " — ")));
    });
    section("interests", "Interests", [&](const json::object& o, const std::string& p) {
        const auto keywords = r.texts(o, "keywords", p);
        std::string item = md(r.text(o, "name", p));
        if (!keywords.empty()) item += ": " + md(joined(keywords, ", "));
        w.bullet(item);
    });
    section("references", "References", [&](const json::object& o, const std::string& p) {
        w.paragraph("> " + md(r.text(o, "reference", p)) + " — " + md(r.text(o, "name", p)));
    });

    errors.raise_if_any();
    if (!content) {
        errors.add("non_field_errors",
                   "The document has nothing a resume shows: no basics, "
                   "work, education, skills or other section.");
        errors.raise();
    }
    ImportedResume out;
    const std::string title = joined({name, label}, " — ");
    out.title = clip_title(title.empty() ? kImportedTitle : title);
    out.content = w.take();
    return out;
}

ImportedResume from_markdown(std::string_view text) {
    http::ValidationErrors errors;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte-order mark
    if (!util::is_valid_utf8(text)) {
        errors.add("file", "The file is not UTF-8 text.");
    } else if (text.find('\0') != std::string_view::npos) {
        errors.add("file", "The file holds null characters: it is not a text file.");
    } else if (util::trim(text).empty()) {
        errors.add("file", "The submitted file is empty.");
    }
    errors.raise_if_any();
    ImportedResume out;
    out.content = std::string(text);
    out.title = std::string(kImportedTitle);
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = util::trim(text.substr(pos, end - pos));
        if (line.starts_with('#')) {
            line.remove_prefix(line.find_first_not_of('#') == std::string_view::npos
                                   ? line.size()
                                   : line.find_first_not_of('#'));
            // "## Title ##": closing hashes are not part of it.
            while (line.ends_with('#')) line.remove_suffix(1);
            line = util::trim(line);
            if (!line.empty()) {
                out.title = clip_title(line);
                break;
            }
        }
        pos = end + 1;
    }
    return out;
}

}  // namespace resumate::resumes
