// The offline match score: a posting against a resume, deterministic and explainable. Each
// triple below was written for this test: a posting, a resume that answers it better and one
// that answers it worse, across trades and professions.
#include "offline/match.hpp"
#include "offline/writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace resumate_match_test_data {

// {posting, better resume, worse resume}. Also read by tailor_test.cpp.
std::vector<std::array<std::string_view, 3>> match_triples();

std::vector<std::array<std::string_view, 3>> match_triples() {
    return {
        {
            // Software, senior backend.
            "Senior Backend Engineer\n"
            "Acme Payments is hiring a Senior Backend Engineer to build our payments platform.\n\n"
            "What you'll do\n"
            "- Design and build services in Go and PostgreSQL\n"
            "- Run them on Kubernetes in AWS\n\n"
            "Requirements\n"
            "- 5+ years of experience building backend services\n"
            "- Strong Go and SQL skills\n"
            "- Experience with Kubernetes, Docker and Terraform\n"
            "- Bachelor's degree in Computer Science or equivalent\n\n"
            "Nice to have\n"
            "- Kafka, gRPC\n"
            "- PCI DSS compliance experience\n\n"
            "Benefits\n"
            "- Competitive salary, Remote-first, Learning Budget\n",
            "# Dana Reyes\n\ndana@example.com | +1 415 555 0100\n\n"
            "## Professional Summary\n\nBackend Engineer with 7 years of experience in Go, SQL "
            "and distributed systems.\n\n"
            "## Skills\n\n- **Languages:** Go, SQL, Python\n"
            "- **Cloud & Infrastructure:** Kubernetes, Docker, Terraform, AWS\n"
            "- **Data & Databases:** PostgreSQL, Redis\n\n"
            "## Professional Experience\n\n### Senior Backend Engineer — Stripe\n2019 – 2024\n\n"
            "- Built a ledger service in Go on PostgreSQL handling 3,000 requests per second.\n"
            "- Moved 40 services to Kubernetes with Terraform.\n\n"
            "## Education\n\nB.Sc. in Computer Science, UC Davis, 2016\n",
            "# Sam Lee\n\nsam@example.com\n\n"
            "## Professional Summary\n\nFrontend Developer with 3 years of experience in React "
            "and CSS.\n\n"
            "## Skills\n\n- **Languages:** JavaScript, TypeScript, CSS\n"
            "- **Frameworks & Libraries:** React, Redux\n\n"
            "## Professional Experience\n\n### Frontend Developer — Shopify\n2021 – 2024\n\n"
            "- Built a checkout UI in React used by 2 million shoppers.\n",
        },
        {
            // Nursing.
            "Registered Nurse - Intensive Care Unit\n"
            "St. Luke's Medical Center, Boise\n\n"
            "Requirements:\n"
            "- Active RN license\n"
            "- BLS and ACLS certification required\n"
            "- 2+ years of ICU experience\n"
            "- BSN required\n"
            "- Charting in Epic EHR, medication administration and patient care\n\n"
            "Preferred:\n"
            "- CCRN certification\n\n"
            "About us: St. Luke's is a non-profit health system.\n",
            "Maria Lopez\nRegistered Nurse | maria.lopez@example.com | (208) 555-0142\n\n"
            "Summary\nICU Registered Nurse with 6 years of experience in critical care and "
            "patient care.\n\n"
            "Experience\nStaff Nurse, Boise General Hospital ICU (2018 - Present)\n"
            "- Managed medication administration for 4 ventilated patients per shift\n"
            "- Documented care in Epic EHR\n\n"
            "Education\nBSN, Boise State University, 2018\n\n"
            "Certifications\nBLS, ACLS, CCRN\n",
            "Kelly Brown\nMedical Receptionist | kelly.b@example.com\n\n"
            "Experience\nFront Desk Receptionist, Valley Family Clinic (2020 - Present)\n"
            "- Scheduled 60 patient appointments per day\n"
            "- Handled insurance verification and customer service\n\n"
            "Skills: Microsoft Office, customer service, scheduling\n",
        },
        {
            // Teaching.
            "High School Mathematics Teacher\n"
            "Lincoln Unified School District\n\n"
            "Requirements:\n"
            "- Bachelor's degree in Mathematics or Education\n"
            "- State Teaching Certification\n"
            "- Lesson planning and classroom management\n"
            "- Experience with Google Classroom\n\n"
            "Nice to have:\n"
            "- AP Calculus experience\n"
            "- Special education experience\n",
            "My name is Anna Kowalski. I am a high school mathematics teacher with 8 years of "
            "experience. I teach algebra and AP Calculus at Roosevelt High School since 2016, "
            "using Google Classroom for every course. I led lesson planning for the math "
            "department and improved classroom management with a restorative approach. I hold "
            "a B.Ed. in Mathematics Education from Ohio State University and a State Teaching "
            "Certification in Mathematics.",
            "I'm Jordan Miles, a barista at Blue Bottle Coffee since 2021. I trained 6 new "
            "baristas and tutored two neighbours' kids in reading on weekends. I studied "
            "history at Portland Community College.",
        },
        {
            // Accounting.
            "Senior Accountant\n\n"
            "Must have:\n"
            "- CPA\n"
            "- 5+ years of accounting experience\n"
            "- GAAP, month-end close and account reconciliations\n"
            "- Advanced Excel; NetSuite\n\n"
            "Preferred:\n"
            "- SOX compliance, IFRS\n",
            "Priya Shah, CPA\nSenior Accountant | priya.shah@example.com\n\n"
            "Professional Summary\nCPA with 9 years of accounting experience under GAAP and "
            "IFRS.\n\n"
            "Experience\nSenior Accountant, Deloitte (2016 - Present)\n"
            "- Led the month-end close and account reconciliations for 12 entities in NetSuite\n"
            "- Built Excel models for SOX compliance testing\n\n"
            "Education\nB.Sc. in Accounting, Rutgers University, 2014\n",
            "Tom Ellis\nBookkeeper | tom.ellis@example.com\n\n"
            "Experience\nBookkeeper, Ellis Plumbing (2019 - Present)\n"
            "- Entered invoices in QuickBooks\n"
            "- Prepared payroll for 8 staff\n",
        },
        {
            // Culinary.
            "Sous Chef\n\n"
            "Requirements:\n"
            "- 3+ years of experience in a high-volume kitchen\n"
            "- Menu development and inventory management\n"
            "- ServSafe certified\n"
            "- Leadership of a kitchen team\n\n"
            "Bonus:\n"
            "- Pastry experience\n",
            "I'm Luca Bianchi, a sous chef with 7 years of experience in high-volume kitchens. "
            "Since 2019 I have worked at Osteria Roma, where I led menu development for a "
            "250-cover dining room and cut food costs by 12% through inventory management. I "
            "showed leadership training a team of 9 cooks. ServSafe certified.",
            "I'm Eli Park, a line cook at Burger Barn since 2022. I prepared burgers and fries "
            "during busy lunch shifts.",
        },
        {
            // Trucking.
            "CDL-A Truck Driver - Regional\n\n"
            "Requirements:\n"
            "- Valid Class A CDL\n"
            "- 2+ years of OTR driving experience\n"
            "- Clean MVR and a current DOT medical card\n\n"
            "Preferred:\n"
            "- HazMat endorsement\n",
            "Name: Kwame Mensah\nJob: Truck Driver (Class A CDL)\nPhone: 555-867-5309\n"
            "Years of experience: 12\n"
            "Current employer: Werner Enterprises, since 2016\n"
            "Achievement: Drove 1.2 million accident-free miles OTR with a clean MVR\n"
            "License: Class A CDL with HazMat endorsement, DOT medical card\n",
            "Name: Chris Doyle\nJob: Delivery Driver\nEmployer: Pizza Palace, since 2023\n"
            "Achievement: Delivered 40 orders per night\n",
        },
        {
            // Data science.
            "Data Scientist\n\n"
            "Requirements:\n"
            "- Python and SQL\n"
            "- Machine learning, statistics and A/B testing\n"
            "- Experience with pandas and scikit-learn\n"
            "- Master's degree in a quantitative field\n\n"
            "Nice to have:\n"
            "- PyTorch, Spark, Airflow\n",
            "Aleksandra Wiśniewska\nData Scientist | aleksandra@example.pl\n\n"
            "Work Experience\nSenior Data Scientist, Allegro (2020 - Present)\n"
            "- Built a recommendation model in PyTorch and scikit-learn that lifted GMV by 4%\n"
            "- Led A/B testing and statistics reviews for 40 experiments per quarter\n\n"
            "Education\nMSc in Applied Mathematics, University of Warsaw, 2017\n\n"
            "Skills\nPython, SQL, pandas, machine learning, Spark\n",
            "Ben Carter\nMarketing Analyst | ben@example.com\n\n"
            "Experience\nMarketing Analyst, Contoso (2021 - Present)\n"
            "- Built weekly Excel reports on campaign spend\n\n"
            "Skills\nExcel, SQL, PowerPoint\n",
        },
        {
            // Law.
            "Corporate Associate Attorney\n\n"
            "Requirements:\n"
            "- J.D. from an accredited law school\n"
            "- Admission to the New York Bar\n"
            "- 3+ years of M&A experience\n"
            "- Contract drafting and due diligence\n\n"
            "Preferred:\n"
            "- Securities law experience\n",
            "Siobhan O'Connor\nCorporate Associate Attorney | siobhan@example.com\n\n"
            "Professional Summary\nCorporate attorney with 5 years of M&A experience, admitted "
            "to the New York Bar.\n\n"
            "Experience\nAssociate Attorney, Cravath Swaine & Moore (2019 - Present)\n"
            "- Led due diligence on 14 M&A transactions worth $6B\n"
            "- Drafted merger agreements and handled contract drafting for securities offerings\n\n"
            "Education\nJ.D., Columbia Law School, 2019\n",
            "Paul Green\nParalegal | paul@example.com\n\n"
            "Experience\nParalegal, Green & Co (2020 - Present)\n"
            "- Filed court documents and organised case files\n\n"
            "Education\nB.A. in History, Hunter College, 2019\n",
        },
        {
            // Design.
            "Senior Product Designer\n\n"
            "Must have:\n"
            "- Figma, user research, prototyping and usability testing\n"
            "- Experience building Design Systems\n"
            "- 5+ years of product design experience\n\n"
            "Nice to have:\n"
            "- HTML, CSS and accessibility\n",
            "Hi, I'm Olena Kovalenko, a senior product designer with 7 years of experience in "
            "Figma, user research, prototyping and usability testing. At Grammarly (2019-2024) "
            "I built the Design Systems team and redesigned onboarding with accessibility in "
            "mind. Email olena.k@example.com.",
            "I'm Mia Wong, a graphic designer at Print Hub since 2022. I designed flyers in "
            "Photoshop and InDesign. Email mia@example.com.",
        },
        {
            // Sales.
            "Enterprise Account Executive\n\n"
            "Requirements:\n"
            "- 5+ years of B2B sales experience\n"
            "- Salesforce\n"
            "- Consistently exceeding quota\n"
            "- Negotiation and lead generation\n\n"
            "Preferred:\n"
            "- SaaS experience; MEDDIC\n",
            "I'm Priya Raghunathan, an enterprise account executive at Northwind since 2017 "
            "with 9 years of experience in B2B sales of SaaS. I exceeded quota for 12 straight "
            "quarters using MEDDIC and Salesforce, and I run lead generation and negotiation "
            "for seven-figure deals. priya@example.com",
            "I'm Joe Marsh, a retail sales associate at Target since 2022. I helped customers "
            "and ran the register. joe@example.com",
        },
        {
            // Welding.
            "Structural Welder\n\n"
            "Requirements:\n"
            "- AWS D1.1 certification\n"
            "- MIG and TIG welding\n"
            "- Blueprint reading\n"
            "- OSHA 10\n"
            "- 3+ years of experience\n",
            "Name: Seamus O'Brien\nTitle: Structural Welder\nEmail: seamus@example.ie\n"
            "Experience: 10 years\nEmployer: Harland Fabrication, 2015 - present\n"
            "Skills: MIG welding, TIG welding, blueprint reading\n"
            "Certifications: AWS D1.1, OSHA 10\n",
            "Name: Dave Hill\nTitle: Warehouse Associate\nEmail: dave@example.com\n"
            "Employer: Big Box Logistics, 2022 - present\n"
            "Skills: forklift, inventory counts\n",
        },
        {
            // Marketing, a posting written as one paragraph.
            "We are looking for a Digital Marketing Manager with 4+ years of experience. You "
            "will own SEO, Google Analytics and Google Ads, and run content marketing and email "
            "marketing in HubSpot. A plus: video editing.",
            "# Kim Minjun\n\nminjun@example.kr\n\n## Professional Summary\n\nDigital Marketing "
            "Manager with 8 years of experience in SEO, Google Analytics and Google Ads.\n\n"
            "## Professional Experience\n\n### Marketing Manager — Samsung Electronics\n"
            "2016 – 2024\n\n- Ran content marketing and email marketing in HubSpot for 3 product "
            "lines.\n",
            "# Lee Park\n\nlee@example.kr\n\n## Professional Summary\n\nEvent coordinator with 2 "
            "years of experience.\n\n## Professional Experience\n\n### Event Coordinator — "
            "Naver\n2022 – 2024\n\n- Organised 30 company events.\n",
        },
    };
}

}  // namespace resumate_match_test_data

namespace {

using resumate::offline::match_resume;
using resumate::offline::MatchResult;
using resumate_match_test_data::match_triples;

std::string match_describe(const MatchResult& r) {
    std::string s = "score " + std::to_string(r.score) + "\nmatched:";
    for (const auto& m : r.matched) s += " [" + m + "]";
    s += "\nmissing:";
    for (const auto& m : r.missing) s += " [" + m + "]";
    for (const auto& x : r.suggestions) s += "\n  " + x;
    return s;
}

TEST(OfflineMatch, TheBetterResumeScoresHigherInEveryField) {
    const auto triples = match_triples();
    ASSERT_GE(triples.size(), 10u);
    for (size_t i = 0; i < triples.size(); ++i) {
        const auto& [posting, better, worse] = triples[i];
        const MatchResult good = match_resume(posting, better);
        const MatchResult bad = match_resume(posting, worse);
        EXPECT_GT(good.score, bad.score) << "triple " << i << "\nbetter: " << match_describe(good)
                                         << "\nworse: " << match_describe(bad);
        EXPECT_GE(good.score, 50) << "triple " << i << "\n" << match_describe(good);
        // The same resume as the writer renders it scores the same way round.
        const std::string good_md = resumate::offline::write_resume(better);
        const std::string bad_md = resumate::offline::write_resume(worse);
        if (good_md != resumate::offline::kOffTopicAnswer &&
            bad_md != resumate::offline::kOffTopicAnswer) {
            EXPECT_GT(match_resume(posting, good_md).score, match_resume(posting, bad_md).score)
                << "triple " << i << " through the writer";
        }
    }
}

TEST(OfflineMatch, ExplainsWhatMatchedAndWhatIsMissing) {
    const auto triples = match_triples();
    const MatchResult r = match_resume(triples[0][0], triples[0][1]);
    for (const std::string& m : r.matched)
        EXPECT_TRUE(std::none_of(m.begin(), m.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            << m << ": names are lower case";
    const auto has = [](const std::vector<std::string>& v, std::string_view x) {
        return std::find(v.begin(), v.end(), x) != v.end();
    };
    EXPECT_TRUE(has(r.matched, "kubernetes")) << match_describe(r);
    EXPECT_TRUE(has(r.matched, "postgresql")) << match_describe(r);
    EXPECT_TRUE(has(r.matched, "5+ years of experience")) << match_describe(r);
    EXPECT_TRUE(has(r.matched, "bachelor's degree")) << match_describe(r);
    EXPECT_TRUE(has(r.missing, "apache kafka")) << match_describe(r);
    // Required terms weigh more than a plus: kubernetes comes before kafka.
    const MatchResult empty = match_resume(triples[0][0], "# Nobody\n\n## Skills\n\n- Cooking\n");
    const auto pos = [&](std::string_view x) {
        return std::find(empty.missing.begin(), empty.missing.end(), x) - empty.missing.begin();
    };
    EXPECT_LT(pos("kubernetes"), pos("apache kafka")) << match_describe(empty);
    EXPECT_LT(pos("docker"), pos("grpc")) << match_describe(empty);
    // Suggestions name a missing term and never ask to invent it.
    ASSERT_FALSE(r.suggestions.empty());
    EXPECT_LE(r.suggestions.size(), 5u);
    bool kafka = false;
    for (const std::string& s : r.suggestions) {
        EXPECT_EQ(s.find("add experience"), std::string::npos) << s;
        kafka = kafka || s.find("Kafka if you have used it") != std::string::npos;
    }
    EXPECT_TRUE(kafka) << match_describe(r);
    EXPECT_EQ(r.matched.size() + r.missing.size(), empty.matched.size() + empty.missing.size());
}

TEST(OfflineMatch, RequiredTermsWeighMoreThanNiceToHave) {
    const std::string_view posting =
        "Platform Engineer\n\nRequirements:\n- Kubernetes\n\nNice to have:\n- Terraform\n";
    const int with_required = match_resume(posting, "Skills: Kubernetes, Go").score;
    const int with_plus = match_resume(posting, "Skills: Terraform, Go").score;
    EXPECT_GT(with_required, with_plus);
    // Repeated mentions weigh more.
    const std::string_view repeated =
        "Engineer\n\nWe use Rust every day. Rust services, Rust tooling, Rust on the edge. Some "
        "Python too.";
    EXPECT_GT(match_resume(repeated, "I write Rust.").score,
              match_resume(repeated, "I write Python.").score);
}

TEST(OfflineMatch, IsDeterministic) {
    for (const auto& [posting, better, worse] : match_triples()) {
        const MatchResult a = match_resume(posting, better);
        for (int i = 0; i < 3; ++i) {
            const MatchResult b = match_resume(posting, better);
            EXPECT_EQ(a.score, b.score);
            EXPECT_EQ(a.matched, b.matched);
            EXPECT_EQ(a.missing, b.missing);
            EXPECT_EQ(a.suggestions, b.suggestions);
        }
    }
}

TEST(OfflineMatch, EmptyInputsScoreZero) {
    const auto triples = match_triples();
    const MatchResult no_posting = match_resume("", triples[0][1]);
    EXPECT_EQ(no_posting.score, 0);
    EXPECT_TRUE(no_posting.matched.empty());
    EXPECT_TRUE(no_posting.missing.empty());
    const MatchResult no_resume = match_resume(triples[0][0], "");
    EXPECT_EQ(no_resume.score, 0);
    EXPECT_TRUE(no_resume.matched.empty());
    EXPECT_FALSE(no_resume.missing.empty());
    EXPECT_EQ(match_resume("   \n\t", " \n ").score, 0);
    EXPECT_EQ(match_resume("", "").score, 0);
}

TEST(OfflineMatch, HostileInputDoesNotCrash) {
    const auto triples = match_triples();
    std::string huge;
    while (huge.size() < (size_t{1} << 20)) huge += triples[0][0];
    const MatchResult a = match_resume(huge, triples[0][1]);
    EXPECT_GE(a.score, 0);
    EXPECT_LE(a.score, 100);
    const MatchResult b = match_resume(triples[0][0], huge);
    EXPECT_GE(b.score, 0);
    EXPECT_LE(b.score, 100);

    std::string binary;
    for (int i = 0; i < (1 << 20); ++i) binary += static_cast<char>((i * 7919) & 0xFF);
    const MatchResult c = match_resume(binary, binary);
    EXPECT_GE(c.score, 0);
    EXPECT_LE(c.score, 100);
    const std::string invalid = "Go \xff\xfe Kubernetes \xe2\x82 \xc0\xaf Python\x01\x1b[31m";
    const MatchResult d = match_resume(invalid, invalid);
    EXPECT_GE(d.score, 0);
    EXPECT_LE(d.score, 100);
    EXPECT_NO_THROW(match_resume(std::string(100000, '('), std::string(100000, '#')));
    EXPECT_NO_THROW(match_resume(std::string(100000, '\n'), std::string(100000, '-')));
}

TEST(OfflineMatch, PrintsItsTime) {
    // A long posting (the 20,000 bytes the matcher reads) against a one-page resume. Printed, not
    // asserted: performance claims live in bench/.
    const auto triples = match_triples();
    std::string posting;
    for (const auto& t : triples) posting += std::string(t[0]) + "\n";
    while (posting.size() < 20000) posting += triples[0][0];
    const std::string resume = resumate::offline::write_resume(triples[6][1]);
    constexpr int kRuns = 50;
    const auto start = std::chrono::steady_clock::now();
    int sink = 0;
    for (int i = 0; i < kRuns; ++i) sink += match_resume(posting, resume).score;
    const auto elapsed = std::chrono::steady_clock::now() - start;
    const double ms = std::chrono::duration<double, std::milli>(elapsed).count() / kRuns;
    std::printf("[ match    ] %.3f ms per match (%zu-byte posting, %zu-byte resume), score %d\n",
                ms, posting.size(), resume.size(), sink / kRuns);
    EXPECT_GT(sink, 0);
}

}  // namespace
