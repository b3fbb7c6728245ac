// Tailoring a resume to a posting offline: it reorders and emphasises, and never adds a skill or
// loses a fact. Run over the postings and resumes of match_test.cpp and the inputs of
// offline_facts_test.cpp.
#include "offline/facts.hpp"
#include "offline/writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace resumate_match_test_data {
std::vector<std::array<std::string_view, 3>> match_triples();
}  // namespace resumate_match_test_data

namespace resumate_offline_facts_test_data {
std::vector<std::string_view> fact_inputs();
}  // namespace resumate_offline_facts_test_data

namespace {

using resumate::offline::kOffTopicAnswer;
using resumate::offline::read_facts;
using resumate::offline::ResumeFacts;
using resumate::offline::skills_in;
using resumate::offline::tailor_resume;
using resumate::offline::write_resume;

struct TailorPair {
    std::string resume;  // as handed to tailor_resume: Markdown or free text
    std::string source;  // the text the user wrote
};

// Every resume of both test tables, each as the user wrote it and as the writer wrote it.
std::vector<TailorPair> tailor_resumes() {
    std::vector<TailorPair> out;
    const auto add = [&](std::string_view text) {
        out.push_back({std::string(text), std::string(text)});
        const std::string md = write_resume(text);
        if (md != kOffTopicAnswer) out.push_back({md, std::string(text)});
    };
    for (const auto& t : resumate_match_test_data::match_triples()) {
        add(t[1]);
        add(t[2]);
    }
    for (std::string_view in : resumate_offline_facts_test_data::fact_inputs()) add(in);
    return out;
}

std::vector<std::string_view> tailor_postings() {
    std::vector<std::string_view> out;
    for (const auto& t : resumate_match_test_data::match_triples()) out.push_back(t[0]);
    return out;
}

// The lines of a Markdown resume outside its summary section.
std::vector<std::string> tailor_lines_outside_summary(const std::string& md) {
    std::vector<std::string> out;
    bool summary = false;
    size_t b = 0;
    while (b <= md.size()) {
        size_t e = md.find('\n', b);
        if (e == std::string::npos) e = md.size();
        const std::string line = md.substr(b, e - b);
        if (line.rfind("## ", 0) == 0) summary = line.find("Summary") != std::string::npos;
        if (!summary && !line.empty()) {
            // A list of skills may come in another order.
            std::vector<std::string> items;
            const size_t group = line.find(":** ");
            size_t from = group == std::string::npos ? 0 : group + 4;
            items.push_back(line.substr(0, from));
            while (true) {
                const size_t comma = line.find(", ", from);
                items.push_back(
                    line.substr(from, comma == std::string::npos ? comma : comma - from));
                if (comma == std::string::npos) break;
                from = comma + 2;
            }
            std::sort(items.begin(), items.end());
            std::string sorted;
            for (const std::string& i : items) sorted += i + "|";
            out.push_back(sorted);
        }
        if (e == md.size()) break;
        b = e + 1;
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(OfflineTailor, AddsNoSkillAndKeepsEveryFact) {
    const std::vector<TailorPair> resumes = tailor_resumes();
    const std::vector<std::string_view> postings = tailor_postings();
    ASSERT_GE(resumes.size(), 40u);
    size_t checked = 0;
    for (const TailorPair& r : resumes) {
        const std::vector<std::string> allowed = skills_in(r.source);
        // What is tailored is the Markdown resume; free text is written first.
        const bool markdown = r.resume.rfind("# ", 0) == 0;
        const std::string md = markdown ? r.resume : write_resume(r.resume);
        const ResumeFacts before = read_facts(md);
        for (std::string_view posting : postings) {
            const std::string out = tailor_resume(r.resume, posting);
            ASSERT_NE(out, kOffTopicAnswer) << r.resume;
            for (const std::string& s : skills_in(out))
                EXPECT_NE(std::find(allowed.begin(), allowed.end(), s), allowed.end())
                    << "invented skill " << s << "\n"
                    << out;
            const ResumeFacts after = read_facts(out);
            EXPECT_EQ(after.name, before.name);
            EXPECT_EQ(after.email, before.email);
            EXPECT_EQ(after.phone, before.phone);
            EXPECT_EQ(after.linkedin, before.linkedin);
            EXPECT_EQ(after.location, before.location);
            ASSERT_EQ(after.roles.size(), before.roles.size()) << out;
            for (size_t i = 0; i < before.roles.size(); ++i) {
                EXPECT_EQ(after.roles[i].title, before.roles[i].title);
                EXPECT_EQ(after.roles[i].employer, before.roles[i].employer);
                EXPECT_EQ(after.roles[i].start, before.roles[i].start);
                EXPECT_EQ(after.roles[i].end, before.roles[i].end);
                auto a = after.roles[i].highlights;
                auto b = before.roles[i].highlights;
                std::sort(a.begin(), a.end());
                std::sort(b.begin(), b.end());
                EXPECT_EQ(a, b);
            }
            // Outside the summary the same lines, only in another order.
            if (markdown) {
                EXPECT_EQ(tailor_lines_outside_summary(out), tailor_lines_outside_summary(md))
                    << out;
            }
            // The summary keeps its sentences.
            for (const std::string_view sentence : {std::string_view(before.summary)}) {
                size_t from = 0;
                while (from < sentence.size()) {
                    size_t end = sentence.find(". ", from);
                    end = end == std::string_view::npos ? sentence.size() : end + 1;
                    const std::string_view part = sentence.substr(from, end - from);
                    EXPECT_NE(out.find(part), std::string::npos) << part << "\n" << out;
                    from = end + 1;
                }
            }
            ++checked;
        }
    }
    EXPECT_GE(checked, 40u * postings.size());
}

TEST(OfflineTailor, PutsWhatThePostingAsksForFirst) {
    const std::string resume =
        "# Dana Reyes\n\ndana@example.com\n\n## Professional Summary\n\n"
        "Backend developer who enjoys mentoring. Built payment systems in Go and PostgreSQL on "
        "Kubernetes.\n\n"
        "## Skills\n\n"
        "- **Languages:** Python, Java, Go, SQL\n"
        "- **Frameworks & Libraries:** Django, React\n"
        "- **Cloud & Infrastructure:** AWS, Kubernetes, Docker\n\n"
        "## Professional Experience\n\n### Backend Developer — Stripe\n2019 – 2024\n\n"
        "- Organised the team's reading group.\n"
        "- Ran 40 Go services on Kubernetes with Docker.\n"
        "- Wrote the on-call handbook.\n"
        "- Tuned PostgreSQL queries, cutting p99 latency by 35%.\n\n"
        "## Education\n\nB.Sc. in Computer Science, UC Davis, 2016\n";
    const std::string posting =
        "Backend Engineer\n\nRequirements:\n- Go and SQL\n- Kubernetes and Docker\n"
        "- PostgreSQL\n\nNice to have:\n- Terraform\n";
    const std::string out = tailor_resume(resume, posting);
    // Skills: the posting's first within each group, and the groups with most of them first.
    EXPECT_NE(out.find("## Skills\n\n- **Languages:** Go, SQL, Python, Java\n"
                       "- **Cloud & Infrastructure:** Kubernetes, Docker, AWS\n"
                       "- **Frameworks & Libraries:** Django, React\n"),
              std::string::npos)
        << out;
    // Bullets: the ones about the posting's terms first, the rest in their order.
    EXPECT_NE(out.find("2019 – 2024\n\n- Ran 40 Go services on Kubernetes with Docker.\n"
                       "- Tuned PostgreSQL queries, cutting p99 latency by 35%.\n"
                       "- Organised the team's reading group.\n"
                       "- Wrote the on-call handbook.\n"),
              std::string::npos)
        << out;
    // Summary: the relevant sentence leads; the matching skills are named, none added
    // (Terraform is in the posting, not in the resume).
    EXPECT_NE(out.find("## Professional Summary\n\nBuilt payment systems in Go and PostgreSQL on "
                       "Kubernetes. Backend developer who enjoys mentoring. Key skills for this "
                       "role: Go, SQL, Kubernetes, Docker and PostgreSQL.\n"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("Terraform"), std::string::npos) << out;
    // Tailoring twice changes nothing more.
    EXPECT_EQ(tailor_resume(out, posting), out);
    EXPECT_EQ(tailor_resume(resume, posting), out);
}

TEST(OfflineTailor, OffTopicOrEmptyResumeGetsTheFixedAnswer) {
    const std::string_view posting = tailor_postings().front();
    EXPECT_EQ(tailor_resume("", posting), kOffTopicAnswer);
    EXPECT_EQ(tailor_resume("  \n\t ", posting), kOffTopicAnswer);
    EXPECT_EQ(tailor_resume("write me a poem about cats", posting), kOffTopicAnswer);
    EXPECT_EQ(tailor_resume("# My Poem\n\n## Verse\n\nRoses are red, violets are blue.", posting),
              kOffTopicAnswer);
}

TEST(OfflineTailor, NothingToTailorToLeavesTheResume) {
    const std::string resume = write_resume(resumate_match_test_data::match_triples()[0][1]);
    EXPECT_EQ(tailor_resume(resume, ""), resume);
    EXPECT_EQ(tailor_resume(resume, "   "), resume);
}

TEST(OfflineTailor, HostileInputDoesNotCrash) {
    std::string huge;
    while (huge.size() < (size_t{1} << 20)) huge += "# A\n\n## Skills\n\n- Go, SQL\n";
    EXPECT_NO_THROW(tailor_resume(huge, tailor_postings().front()));
    std::string binary;
    for (int i = 0; i < (1 << 16); ++i) binary += static_cast<char>((i * 7919) & 0xFF);
    EXPECT_NO_THROW(tailor_resume(binary, binary));
    EXPECT_NO_THROW(tailor_resume("# X\n## Skills\n- \xff\xfe, Go\n", "Go \xe2\x82"));
}

}  // namespace
