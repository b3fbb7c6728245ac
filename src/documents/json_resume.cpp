// JSON Resume 1.0.0 (https://jsonresume.org/schema): what offline::read_facts() finds in the
// text, mapped field by field; dates in the schema's ISO 8601 form where they can be read,
// as written otherwise; a current role has no endDate. Fields with nothing to say are left out.
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "documents/detail/writers.hpp"
#include "offline/facts.hpp"
#include "util/strings.hpp"

namespace resumate::documents::detail {
namespace {

namespace json = boost::json;

constexpr std::string_view kJsonResumeSchema =
    "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json";

bool all_digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string two_digits(int n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

// "2019" → "2019", "Mar 2019" / "March 2019" / "03/2019" → "2019-03", ISO kept; "Present" →
// empty (no date); anything else as written.
std::string iso_date(std::string_view written) {
    const std::string_view s = util::trim(written);
    const std::string lower = util::to_lower_ascii(s);
    if (lower.empty() || lower == "present" || lower == "current" || lower == "now" ||
        lower == "today")
        return {};
    if (s.size() == 4 && all_digits(s)) return std::string(s);
    if (s.size() >= 7 && all_digits(s.substr(0, 4)) && s[4] == '-' && all_digits(s.substr(5, 2)))
        return std::string(s);
    // "03/2019", "3/2019"
    if (const size_t slash = s.find('/'); slash != std::string_view::npos) {
        const std::string_view m = s.substr(0, slash), y = s.substr(slash + 1);
        if (all_digits(m) && m.size() <= 2 && all_digits(y) && y.size() == 4) {
            const int month = std::stoi(std::string(m));
            if (month >= 1 && month <= 12) return std::string(y) + "-" + two_digits(month);
        }
    }
    // "Mar 2019", "March 2019", "Sept. 2019"
    if (const size_t space = s.rfind(' '); space != std::string_view::npos) {
        const std::string_view y = s.substr(space + 1);
        std::string m = util::to_lower_ascii(util::trim(s.substr(0, space)));
        while (!m.empty() && (m.back() == '.' || m.back() == ',')) m.pop_back();
        static constexpr std::array<std::string_view, 12> kMonths = {
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
        if (y.size() == 4 && all_digits(y) && m.size() >= 3) {
            for (size_t i = 0; i < kMonths.size(); ++i) {
                if (m.starts_with(kMonths[i])) return std::string(y) + "-" + two_digits(int(i) + 1);
            }
        }
    }
    return std::string(s);
}

std::string with_scheme(std::string_view url) {
    const std::string lower = util::to_lower_ascii(url.substr(0, 8));
    if (lower.starts_with("http://") || lower.starts_with("https://")) return std::string(url);
    return "https://" + std::string(url);
}

// The last segment of a profile URL's path: the user name on LinkedIn and GitHub.
std::string profile_user(std::string_view url) {
    std::string_view s = url;
    if (const size_t q = s.find_first_of("?#"); q != std::string_view::npos) s = s.substr(0, q);
    while (!s.empty() && s.back() == '/') s.remove_suffix(1);
    const size_t slash = s.rfind('/');
    if (slash == std::string_view::npos) return {};
    const std::string_view user = s.substr(slash + 1);
    if (user.find('.') != std::string_view::npos) return {};  // a bare host
    return std::string(user);
}

void put(json::object& o, std::string_view key, std::string_view value) {
    if (!util::trim(value).empty()) o[key] = std::string(util::trim(value));
}

json::array strings(const std::vector<std::string>& values) {
    json::array a;
    for (const std::string& v : values)
        if (!util::trim(v).empty()) a.emplace_back(std::string(util::trim(v)));
    return a;
}

json::object basics_of(const offline::ResumeFacts& f) {
    json::object b;
    put(b, "name", f.name);
    put(b, "label", f.label);
    put(b, "email", f.email);
    put(b, "phone", f.phone);
    if (!f.website.empty()) b["url"] = with_scheme(f.website);
    put(b, "summary", f.summary);
    if (!util::trim(f.location).empty()) {
        json::object loc;
        put(loc, "address", f.location);
        put(loc, "city", f.location.substr(0, f.location.find(',')));
        b["location"] = std::move(loc);
    }
    json::array profiles;
    auto profile = [&](std::string_view network, const std::string& url) {
        if (util::trim(url).empty()) return;
        json::object p{{"network", network}, {"url", with_scheme(util::trim(url))}};
        put(p, "username", profile_user(util::trim(url)));
        profiles.emplace_back(std::move(p));
    };
    profile("LinkedIn", f.linkedin);
    profile("GitHub", f.github);
    if (!profiles.empty()) b["profiles"] = std::move(profiles);
    return b;
}

// A pretty printer (two spaces), since people open the file: Boost.JSON writes one line.
void pretty(const json::value& v, std::string& out, int indent) {
    const std::string pad(static_cast<size_t>(indent + 2), ' ');
    if (v.is_object()) {
        const json::object& o = v.get_object();
        if (o.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        bool first = true;
        for (const auto& kv : o) {
            if (!first) out += ",\n";
            first = false;
            out += pad + json::serialize(json::string(kv.key())) + ": ";
            pretty(kv.value(), out, indent + 2);
        }
        out += "\n" + std::string(static_cast<size_t>(indent), ' ') + "}";
    } else if (v.is_array()) {
        const json::array& a = v.get_array();
        if (a.empty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        bool first = true;
        for (const json::value& e : a) {
            if (!first) out += ",\n";
            first = false;
            out += pad;
            pretty(e, out, indent + 2);
        }
        out += "\n" + std::string(static_cast<size_t>(indent), ' ') + "]";
    } else {
        out += json::serialize(v);
    }
}

}  // namespace

std::string write_json_resume(std::string_view markdown, std::string_view last_modified) {
    const offline::ResumeFacts f = offline::read_facts(clean_text(markdown));
    json::object doc;
    doc["$schema"] = kJsonResumeSchema;
    doc["basics"] = basics_of(f);

    json::array work;
    for (const offline::RoleFacts& r : f.roles) {
        json::object w;
        put(w, "name", r.employer);
        put(w, "position", r.title);
        put(w, "startDate", iso_date(r.start));
        put(w, "endDate", iso_date(r.end));
        if (json::array h = strings(r.highlights); !h.empty()) w["highlights"] = std::move(h);
        if (!w.empty()) work.emplace_back(std::move(w));
    }
    doc["work"] = std::move(work);

    json::array education;
    for (const offline::EducationFacts& e : f.education) {
        json::object o;
        put(o, "institution", e.institution);
        // "B.Sc. in Computer Science": the degree, then the field.
        const std::string& degree = e.degree;
        if (const size_t in = degree.find(" in "); in != std::string::npos) {
            put(o, "studyType", degree.substr(0, in));
            put(o, "area", degree.substr(in + 4));
        } else {
            put(o, "studyType", degree);
        }
        put(o, "endDate", iso_date(e.year));
        if (!o.empty()) education.emplace_back(std::move(o));
    }
    doc["education"] = std::move(education);

    // One entry per group of the writer's, its skills as keywords, in the order first seen.
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    for (const offline::SkillFacts& s : f.skills) {
        if (util::trim(s.name).empty()) continue;
        const std::string group = s.category.empty() ? std::string("Skills") : s.category;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return g.first == group; });
        if (it == groups.end()) {
            groups.emplace_back(group, std::vector<std::string>{});
            it = std::prev(groups.end());
        }
        it->second.push_back(s.name);
    }
    json::array skills;
    for (const auto& [group, names] : groups)
        skills.emplace_back(json::object{{"name", group}, {"keywords", strings(names)}});
    doc["skills"] = std::move(skills);

    json::array projects;
    for (const std::string& p : f.projects)
        if (!util::trim(p).empty()) projects.emplace_back(json::object{{"name", util::trim(p)}});
    doc["projects"] = std::move(projects);

    json::array certificates;
    for (const std::string& c : f.certifications)
        if (!util::trim(c).empty())
            certificates.emplace_back(json::object{{"name", util::trim(c)}});
    doc["certificates"] = std::move(certificates);

    json::object meta{{"version", "v1.0.0"}};
    put(meta, "lastModified", last_modified);
    doc["meta"] = std::move(meta);

    std::string out;
    pretty(doc, out, 0);
    out += '\n';
    return out;
}

}  // namespace resumate::documents::detail
