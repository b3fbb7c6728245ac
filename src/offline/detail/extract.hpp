#pragma once
// Extraction: the facts of a resume (name, contacts, titles, employers, dates, education,
// certifications, skills, achievement bullets) pulled out of sanitised, tokenised text by
// hand-written scanners. No std::regex: it is slow, recursion-heavy and warns under GCC 12
// sanitizer builds. The extractors only rearrange what the user stated.
#include "offline/detail/lexicon.hpp"
#include "offline/detail/text.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace resumate::offline::detail {

constexpr size_t kMaxRoles = 8;
constexpr size_t kMaxBulletsPerRole = 8;
constexpr size_t kMaxSkills = 40;
constexpr size_t kMaxSkillsPerGroup = 12;
constexpr size_t kMaxBulletBytes = 320;
constexpr size_t kMaxEducation = 4;
constexpr size_t kMaxCertifications = 8;
constexpr size_t kMaxProjects = 6;

// ---------------------------------------------------------------------------------------------
// Contact details and skills (extract_contacts.cpp). Contacts are found on the raw text and then
// blanked so URLs and addresses do not turn into name or employer tokens.

struct Contacts {
    string email;
    string phone;
    string linkedin;
    string github;
    string website;
    std::vector<string> more_urls;  // portfolios after the first website (dribbble, behance, ...)
    std::vector<Span> spans;
};

void find_emails(string_view t, Contacts& c);
void find_urls(string_view t, string_view low, Contacts& c);
void find_phones(string_view t, string_view low, Contacts& c);
bool year_like(string_view digits);

struct SkillHit {
    std::uint16_t skill;
    size_t pos;
    size_t len;
};

// Known skills in bytes [b, e): one pass over the text; at each word start only the aliases
// sharing its first byte are tried, and the longest match wins.
void scan_skills(string_view text, string_view low, size_t b, size_t e, std::vector<SkillHit>& out);

// ---------------------------------------------------------------------------------------------
// Word-level helpers shared by the extractors, names, years, section headings, titles and
// employers (extract_people.cpp).

bool space_gap(const Doc& d, const Token& t);
string capitalize_word(string_view w);
string title_case_phrase(const std::vector<string_view>& words);
bool is_title_word(string_view lw);
string join_and(const std::vector<string>& items);
bool same_org(string_view a, string_view b);
bool push_unique(std::vector<string>& v, const string& s);
bool is_year_token(string_view w);
const Degree* degree_at(const Doc& d, const Sentence& s, size_t k);
size_t collect_proper(const Doc& d, const Sentence& s, size_t start, size_t max_words, string& out);
string collect_field(const Doc& d, const Sentence& s, size_t start);

struct NameHit {
    string text;
    size_t pos = 0;
    size_t end = 0;
    size_t next = 0;  // token index after the name
};

std::optional<NameHit> find_name(const Doc& d, bool& explicit_name);
std::optional<string> find_years(const Doc& d, bool loose);

// Pasted CVs come with headings ("Education", "Projects:"); they tell what the lines below are.
enum class Section : std::uint8_t {
    None,
    Experience,
    Education,
    Projects,
    Skills,
    Certifications,
    Summary,
    Ignore
};

// Index of the first token after a leading "Label:" of up to three words, else 0.
size_t content_start(const Doc& d, const Sentence& s);
std::optional<Section> section_heading(const Doc& d, const Sentence& s);

struct TitleHit {
    size_t first;  // token range [first, last]
    size_t last;
    string text;
};

std::vector<TitleHit> find_titles(const Doc& d, const Sentence& s);

struct EmployerHit {
    size_t first;
    string text;
};

// Whether a capitalised run can name an employer (not the user, a month, a skill, a role).
bool employer_ok(const string& candidate, const string& name);
std::vector<EmployerHit> find_employers(const Doc& d, const Sentence& s, const string& name,
                                        const std::vector<TitleHit>& titles);

// ---------------------------------------------------------------------------------------------
// Dates, education, certifications, bullets, location and listed skills (extract_history.cpp).

struct DateRange {
    string start;
    string end;
};

std::optional<DateRange> find_dates(const Doc& d, const Sentence& s);

struct Education {
    string degree;
    string institution;
    string year;
};

bool generic_degree(string_view degree);
std::vector<Education> find_education(const Doc& d, const Sentence& s, bool in_section,
                                      bool& is_edu);
std::vector<string> find_certifications(const Doc& d, const Sentence& s, bool& is_cert);
// Markdown-escapes user text so it renders as written.
string escape_md(string_view s);
// No "..", ",,", " ." or ".," in user text ("..." becomes "…").
string tidy_punctuation(string_view s);
// The text with the period that ends a sentence, unless it already ends with one.
string end_sentence(string_view s);
std::optional<string> clean_bullet(string_view raw);
std::optional<string> find_bullet(const Doc& d, const Sentence& s, bool has_title_or_employer,
                                  bool& present_only);
string find_location(const Doc& d);
void find_listed_skills(const Doc& d, const Sentence& s, bool in_section, std::vector<string>& out);

// ---------------------------------------------------------------------------------------------
// Assembly (analyse.cpp): one pass over the sentences builds roles in the order the user
// mentions them.

struct Role {
    string title;
    string employer;
    string start;
    string end;
    std::vector<string> bullets;
};

struct FoundSkill {
    string name;
    Cat cat;
};

struct Facts {
    string name;
    bool name_explicit = false;
    Contacts contacts;
    string location;
    string years;
    string summary;  // the user's own summary, from a "Summary"/"Profile" section
    std::vector<FoundSkill> skills;
    std::vector<string> titles;
    std::vector<Role> roles;
    std::vector<Education> education;
    std::vector<string> certifications;
    std::vector<string> projects;
    size_t bullets = 0;
    size_t employers = 0;
    int career_words = 0;
    int off_score = 0;
};

Facts analyse(string_view input);
// Career evidence against off-topic markers.
bool is_off_topic(const Facts& f);

// ---------------------------------------------------------------------------------------------
// Rendering (render.cpp): the one-page Markdown resume, with a [Placeholder] for every gap.

string render(const Facts& f);
// The heading of a skill group in the rendered resume ("Data & Databases").
string group_label(Cat c);

}  // namespace resumate::offline::detail
