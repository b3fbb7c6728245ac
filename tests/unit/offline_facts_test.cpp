// The offline writer keeps every fact it is given: a table of inputs written for this test
// (trades and professions, student to executive, names from many languages, prose, pasted CVs,
// bullet lists, one fact per line, phone numbers in many formats), each with the facts that must
// appear in the resume, no placeholder where a fact was given, and no doubled punctuation. Then
// the way back: read_facts() of the written resume recovers the name, contacts, roles and skills.
#include "offline/facts.hpp"
#include "offline/writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace resumate_offline_facts_test_data {

// The inputs of the table below, also read by tailor_test.cpp.
std::vector<std::string_view> fact_inputs();

}  // namespace resumate_offline_facts_test_data

namespace {

using resumate::offline::read_facts;
using resumate::offline::ResumeFacts;
using resumate::offline::write_resume;

enum class Fact {
    Name,
    Email,
    Phone,
    Location,
    LinkedIn,
    GitHub,
    Website,
    Title,
    Years,
    Role,  // "Title — Employer", a role heading
    Employer,
    Dates,
    Degree,
    School,
    Certification,
    Skill,
    Text,    // any other string the resume must hold (a bullet, a year)
    Absent,  // a placeholder that must not appear
};

struct FactsCase {
    std::string_view name;
    std::string_view input;
    std::vector<std::pair<Fact, std::string_view>> facts;
};

const std::vector<FactsCase>& facts_cases() {
    static const std::vector<FactsCase> cases = {
        {"nurse_cv",
         "Zoë Ødegård\n"
         "Registered Nurse | Oslo, Norway | zoe.odegard@example.no | +47 912 34 567\n"
         "\n"
         "Summary\n"
         "Registered Nurse with 8 years of experience in intensive care and patient care.\n"
         "\n"
         "Experience\n"
         "Charge Nurse, Oslo University Hospital (2019 - Present)\n"
         "- Supervised a team of 12 nurses on a 24-bed ICU ward\n"
         "- Reduced medication errors by 30% through a double-check protocol.\n"
         "Staff Nurse, St. Olav's Hospital, 2014 - 2019\n"
         "- Cared for post-operative cardiac patients\n"
         "\n"
         "Education\n"
         "BSc Nursing, University of Oslo, 2014\n"
         "\n"
         "Certifications\n"
         "ACLS, BLS",
         {
             {Fact::Name, "Zoë Ødegård"},
             {Fact::Email, "zoe.odegard@example.no"},
             {Fact::Phone, "+47 912 34 567"},
             {Fact::Location, "Oslo, Norway"},
             {Fact::Title, "Registered Nurse"},
             {Fact::Years, "8"},
             {Fact::Role, "Charge Nurse — Oslo University Hospital"},
             {Fact::Role, "Staff Nurse — St. Olav's Hospital"},
             {Fact::Dates, "2019 – Present"},
             {Fact::Dates, "2014 – 2019"},
             {Fact::Text, "Supervised a team of 12 nurses on a 24-bed ICU ward."},
             {Fact::Text, "Reduced medication errors by 30% through a double-check protocol."},
             {Fact::Text, "Cared for post-operative cardiac patients."},
             {Fact::Degree, "Nursing"},
             {Fact::School, "University of Oslo"},
             {Fact::Text, "2014"},
             {Fact::Certification, "ACLS"},
             {Fact::Certification, "BLS"},
             {Fact::Skill, "Patient Care"},
             {Fact::Text, "intensive care"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
             {Fact::Absent, "[Degree]"},
             {Fact::Absent, "[University]"},
         }},
        {"teacher_prose",
         "My name is Nguyễn Thị Minh. I am a high school mathematics teacher with 6 years of "
         "experience, based in Hanoi, Vietnam. Since 2018 I have taught at Hanoi International "
         "School, where I designed a new algebra curriculum and raised exam pass rates by 15%. "
         "Before that I was a tutor at Bright Minds Academy from 2016 to 2018. I hold a B.Ed. in "
         "Mathematics Education from Hanoi National University of Education. Email: "
         "minh.nguyen@example.vn, phone 555.123.4567.",
         {
             {Fact::Name, "Nguyễn Thị Minh"},
             {Fact::Email, "minh.nguyen@example.vn"},
             {Fact::Phone, "555.123.4567"},
             {Fact::Location, "Hanoi, Vietnam"},
             {Fact::Title, "High School Mathematics Teacher"},
             {Fact::Years, "6"},
             {Fact::Employer, "Hanoi International School"},
             {Fact::Role, "Tutor — Bright Minds Academy"},
             {Fact::Dates, "2018 – Present"},
             {Fact::Dates, "2016 – 2018"},
             {Fact::Text, "raised exam pass rates by 15%"},
             {Fact::Degree, "B.Ed. in Mathematics Education"},
             {Fact::School, "Hanoi National University of Education"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Degree]"},
         }},
        {"welder_lines",
         "Name: Seamus O'Brien\n"
         "Title: Certified Welder\n"
         "Phone: 087 123 4567\n"
         "Email: seamus.obrien@example.ie\n"
         "Location: Cork, Ireland\n"
         "Experience: 10 years\n"
         "Employer: Harland Fabrication, 2015 - present\n"
         "Skills: MIG welding, TIG welding, blueprint reading\n"
         "Certification: AWS D1.1 Structural Welding",
         {
             {Fact::Name, "Seamus O'Brien"},
             {Fact::Title, "Welder"},
             {Fact::Phone, "087 123 4567"},
             {Fact::Email, "seamus.obrien@example.ie"},
             {Fact::Location, "Cork, Ireland"},
             {Fact::Years, "10"},
             {Fact::Employer, "Harland Fabrication"},
             {Fact::Dates, "2015 – Present"},
             {Fact::Skill, "MIG welding"},
             {Fact::Skill, "TIG welding"},
             {Fact::Skill, "blueprint reading"},
             {Fact::Certification, "AWS D1.1 Structural Welding"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"accountant_bullets",
         "José María García-López\n"
         "Senior Accountant — Madrid, Spain\n"
         "jose.garcia@example.es · +34 912 345 678 · linkedin.com/in/josegarcialopez\n"
         "\n"
         "• Senior Accountant at Deloitte, 2017–2023: led the month-end close for 14 entities\n"
         "• Staff Accountant at KPMG, 2013–2017: prepared IFRS financial statements for audit "
         "clients\n"
         "• Master's in Accounting, Universidad Complutense de Madrid, 2013\n"
         "• CPA, ACCA\n"
         "• Skills: SAP, Excel, financial reporting, budgeting",
         {
             {Fact::Name, "José María García-López"},
             {Fact::Title, "Senior Accountant"},
             {Fact::Location, "Madrid, Spain"},
             {Fact::Email, "jose.garcia@example.es"},
             {Fact::Phone, "+34 912 345 678"},
             {Fact::LinkedIn, "linkedin.com/in/josegarcialopez"},
             {Fact::Role, "Senior Accountant — Deloitte"},
             {Fact::Role, "Staff Accountant — KPMG"},
             {Fact::Dates, "2017 – 2023"},
             {Fact::Dates, "2013 – 2017"},
             {Fact::Text, "Led the month-end close for 14 entities."},
             {Fact::Text, "Prepared IFRS financial statements for audit clients."},
             {Fact::Degree, "Master's in Accounting"},
             {Fact::School, "Universidad Complutense de Madrid"},
             {Fact::Certification, "CPA"},
             {Fact::Certification, "ACCA"},
             {Fact::Skill, "SAP"},
             {Fact::Skill, "Excel"},
             {Fact::Skill, "financial reporting"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"chef_prose",
         "I'm Amélie Dubois, a sous chef with 9 years in professional kitchens. I currently work "
         "at Le Petit Bistro in Lyon (2020 - present), where I manage a brigade of 8 cooks and "
         "created a seasonal tasting menu. Previously I was a line cook at Hotel Ritz Paris from "
         "2015 to 2020. Diploma in Culinary Arts from Institut Paul Bocuse, 2015. ServSafe "
         "certified. Contact: amelie.dubois@example.fr, +33 6 12 34 56 78.",
         {
             {Fact::Name, "Amélie Dubois"},
             {Fact::Title, "Sous Chef"},
             {Fact::Years, "9"},
             {Fact::Role, "Sous Chef — Le Petit Bistro"},
             {Fact::Role, "Line Cook — Hotel Ritz Paris"},
             {Fact::Dates, "2020 – Present"},
             {Fact::Dates, "2015 – 2020"},
             {Fact::Text, "created a seasonal tasting menu"},
             {Fact::Degree, "Diploma in Culinary Arts"},
             {Fact::School, "Institut Paul Bocuse"},
             {Fact::Certification, "ServSafe"},
             {Fact::Email, "amelie.dubois@example.fr"},
             {Fact::Phone, "+33 6 12 34 56 78"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"engineer_markdown",
         "# Søren Kierkegaard\n"
         "Staff Software Engineer · Copenhagen, Denmark\n"
         "soren@kierkegaard.dev | +45 20 12 34 56 | github.com/skierkegaard | "
         "https://kierkegaard.dev\n"
         "\n"
         "## Experience\n"
         "### Staff Software Engineer, Zendesk — Mar 2019 – Present\n"
         "- Architected a multi-region event pipeline on Kafka and Kubernetes handling 2B "
         "events/day\n"
         "- Mentored 6 engineers\n"
         "### Senior Software Engineer, Trustpilot — Jan 2015 – Feb 2019\n"
         "- Migrated the monolith to Go microservices, cutting p99 latency by 45%\n"
         "\n"
         "## Education\n"
         "M.Sc. in Computer Science, Technical University of Denmark, 2014\n"
         "\n"
         "## Skills\n"
         "Go, Python, Kafka, Kubernetes, PostgreSQL, Terraform",
         {
             {Fact::Name, "Søren Kierkegaard"},
             {Fact::Title, "Staff Software Engineer"},
             {Fact::Location, "Copenhagen, Denmark"},
             {Fact::Email, "soren@kierkegaard.dev"},
             {Fact::Phone, "+45 20 12 34 56"},
             {Fact::GitHub, "github.com/skierkegaard"},
             {Fact::Website, "https://kierkegaard.dev"},
             {Fact::Role, "Staff Software Engineer — Zendesk"},
             {Fact::Role, "Senior Software Engineer — Trustpilot"},
             {Fact::Dates, "Mar 2019 – Present"},
             {Fact::Dates, "Jan 2015 – Feb 2019"},
             {Fact::Text,
              "Architected a multi-region event pipeline on Kafka and Kubernetes handling 2B "
              "events/day."},
             {Fact::Text, "Mentored 6 engineers."},
             {Fact::Text, "Migrated the monolith to Go microservices, cutting p99 latency by 45%."},
             {Fact::Degree, "M.Sc. in Computer Science"},
             {Fact::School, "Technical University of Denmark"},
             {Fact::Skill, "Go"},
             {Fact::Skill, "Python"},
             {Fact::Skill, "Apache Kafka"},
             {Fact::Skill, "Kubernetes"},
             {Fact::Skill, "PostgreSQL"},
             {Fact::Skill, "Terraform"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
             {Fact::Absent, "[Degree]"},
         }},
        {"datasci_junior_cjk",
         "王小明 (Wang Xiaoming)\n"
         "Junior Data Scientist\n"
         "Email: xiaoming.wang@example.cn | Phone: +86 138 0013 8000\n"
         "Based in Shanghai, China.\n"
         "I graduated from Fudan University in 2023 with a Master's degree in Statistics.\n"
         "Data Science Intern at Alibaba (Jun 2022 - Sep 2022): built a churn prediction model in "
         "Python and scikit-learn that improved recall by 12%.\n"
         "Skills: Python, SQL, pandas, PyTorch, Tableau",
         {
             {Fact::Name, "王小明"},
             {Fact::Title, "Junior Data Scientist"},
             {Fact::Email, "xiaoming.wang@example.cn"},
             {Fact::Phone, "+86 138 0013 8000"},
             {Fact::Location, "Shanghai, China"},
             {Fact::School, "Fudan University"},
             {Fact::Degree, "Master's in Statistics"},
             {Fact::Text, "2023"},
             {Fact::Role, "Data Science Intern — Alibaba"},
             {Fact::Dates, "Jun 2022 – Sep 2022"},
             {Fact::Text,
              "Built a churn prediction model in Python and scikit-learn that improved recall by "
              "12%."},
             {Fact::Skill, "Python"},
             {Fact::Skill, "SQL"},
             {Fact::Skill, "Pandas"},
             {Fact::Skill, "PyTorch"},
             {Fact::Skill, "Tableau"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
             {Fact::Absent, "[University]"},
         }},
        {"lawyer_cv",
         "Siobhan O'Connor-Walsh\n"
         "Litigation Partner | New York, NY | siobhan@bakerwhitfield.com | (555) 123-4567\n"
         "\n"
         "Professional Summary\n"
         "Commercial litigator with 15+ years of experience representing Fortune 500 clients in "
         "contract disputes.\n"
         "\n"
         "Experience\n"
         "Litigation Partner, Baker & Whitfield LLP, 2012 - Present\n"
         "- Won a $40M breach-of-contract verdict in federal court\n"
         "Associate Attorney, Cravath Swaine & Moore, 2006 - 2012\n"
         "- Drafted over 200 motions and briefs\n"
         "\n"
         "Education\n"
         "J.D., Columbia Law School, 2006\n"
         "B.A. in Political Science, Boston College, 2003\n"
         "\n"
         "Bar Admissions: New York State Bar",
         {
             {Fact::Name, "Siobhan O'Connor-Walsh"},
             {Fact::Title, "Litigation Partner"},
             {Fact::Location, "New York, NY"},
             {Fact::Email, "siobhan@bakerwhitfield.com"},
             {Fact::Phone, "(555) 123-4567"},
             {Fact::Years, "15+"},
             {Fact::Text,
              "Commercial litigator with 15+ years of experience representing Fortune 500 clients "
              "in contract disputes."},
             {Fact::Role, "Litigation Partner — Baker & Whitfield LLP"},
             {Fact::Role, "Associate Attorney — Cravath Swaine & Moore"},
             {Fact::Dates, "2012 – Present"},
             {Fact::Dates, "2006 – 2012"},
             {Fact::Text, "Won a $40M breach-of-contract verdict in federal court."},
             {Fact::Text, "Drafted over 200 motions and briefs."},
             {Fact::Degree, "J.D."},
             {Fact::School, "Columbia Law School"},
             {Fact::Degree, "B.A. in Political Science"},
             {Fact::School, "Boston College"},
             {Fact::Certification, "New York State Bar"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"designer_prose",
         "Hi, I'm Olena Kovalenko, a senior product designer based in Kyiv, Ukraine. I have 7 "
         "years of experience in UX design, Figma and user research. At Grammarly (2019–2024) I "
         "redesigned the onboarding flow and increased activation by 22%. Before that I worked as "
         "a UI designer at MacPaw from 2016 to 2019. Portfolio: olenakovalenko.design. Email "
         "olena.k@example.com.",
         {
             {Fact::Name, "Olena Kovalenko"},
             {Fact::Title, "Senior Product Designer"},
             {Fact::Location, "Kyiv, Ukraine"},
             {Fact::Years, "7"},
             {Fact::Skill, "UX Design"},
             {Fact::Skill, "Figma"},
             {Fact::Skill, "User Research"},
             {Fact::Employer, "Grammarly"},
             {Fact::Dates, "2019 – 2024"},
             {Fact::Text, "Redesigned the onboarding flow and increased activation by 22%."},
             {Fact::Role, "UI Designer — MacPaw"},
             {Fact::Dates, "2016 – 2019"},
             {Fact::Website, "olenakovalenko.design"},
             {Fact::Email, "olena.k@example.com"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"truck_driver_lines",
         "Name: Kwame Mensah\n"
         "Job: Truck Driver (Class A CDL)\n"
         "Phone: 555-867-5309\n"
         "Email: kwame.mensah@example.com\n"
         "Location: Columbus, OH\n"
         "Years of experience: 12\n"
         "Current employer: Swift Transportation, since 2016\n"
         "Previous employer: Werner Enterprises, 2011-2016\n"
         "Achievement: Drove 1.2 million accident-free miles\n"
         "License: Class A CDL with HazMat endorsement",
         {
             {Fact::Name, "Kwame Mensah"},
             {Fact::Title, "Truck Driver"},
             {Fact::Phone, "555-867-5309"},
             {Fact::Email, "kwame.mensah@example.com"},
             {Fact::Location, "Columbus, OH"},
             {Fact::Years, "12"},
             {Fact::Role, "Truck Driver — Swift Transportation"},
             {Fact::Dates, "2016 – Present"},
             {Fact::Employer, "Werner Enterprises"},
             {Fact::Dates, "2011 – 2016"},
             {Fact::Text, "Drove 1.2 million accident-free miles."},
             {Fact::Certification, "Class A CDL with HazMat endorsement"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"sales_vp_prose",
         "I'm Priya Raghunathan, VP of Sales at Northwind Traders since 2018, with 20 years of "
         "experience in B2B sales. I grew annual revenue from $40M to $95M and built a team of 60 "
         "account executives. Before Northwind I was a Regional Sales Manager at Contoso Ltd "
         "(2008-2018), where I closed the company's largest deal. MBA, Kellogg School of "
         "Management, 2007. Reach me at priya.r@example.com or 312-555-0199. LinkedIn: "
         "linkedin.com/in/priyaraghunathan",
         {
             {Fact::Name, "Priya Raghunathan"},
             {Fact::Title, "VP of Sales"},
             {Fact::Role, "VP of Sales — Northwind Traders"},
             {Fact::Dates, "2018 – Present"},
             {Fact::Years, "20"},
             {Fact::Skill, "B2B Sales"},
             {Fact::Text,
              "Grew annual revenue from $40M to $95M and built a team of 60 account executives."},
             {Fact::Role, "Regional Sales Manager — Contoso Ltd"},
             {Fact::Dates, "2008 – 2018"},
             {Fact::Text, "Closed the company's largest deal."},
             {Fact::Degree, "MBA"},
             {Fact::School, "Kellogg School of Management"},
             {Fact::Text, "2007"},
             {Fact::Email, "priya.r@example.com"},
             {Fact::Phone, "312-555-0199"},
             {Fact::LinkedIn, "linkedin.com/in/priyaraghunathan"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"researcher_cv",
         "Dr. Jürgen Weiß\n"
         "Postdoctoral Researcher in Computational Biology\n"
         "Max Planck Institute for Molecular Genetics, Berlin (2021 – present)\n"
         "juergen.weiss@molgen.example.de | +49 30 8413 1234\n"
         "\n"
         "Research Experience\n"
         "- Developed a single-cell RNA-seq clustering method published in Nature Methods\n"
         "- Secured a €450,000 DFG grant\n"
         "\n"
         "Education\n"
         "Ph.D. in Bioinformatics, Heidelberg University, 2020\n"
         "M.Sc. in Biology, LMU Munich, 2016\n"
         "\n"
         "Skills: R, Python, Bioconductor, machine learning, statistics",
         {
             {Fact::Name, "Jürgen Weiß"},
             {Fact::Title, "Postdoctoral Researcher"},
             {Fact::Role, "Postdoctoral Researcher — Max Planck Institute for Molecular Genetics"},
             {Fact::Dates, "2021 – Present"},
             {Fact::Email, "juergen.weiss@molgen.example.de"},
             {Fact::Phone, "+49 30 8413 1234"},
             {Fact::Text,
              "Developed a single-cell RNA-seq clustering method published in Nature Methods."},
             {Fact::Text, "Secured a €450,000 DFG grant."},
             {Fact::Degree, "Ph.D. in Bioinformatics"},
             {Fact::School, "Heidelberg University"},
             {Fact::Degree, "M.Sc. in Biology"},
             {Fact::School, "LMU Munich"},
             {Fact::Text, "2016"},
             {Fact::Skill, "R"},
             {Fact::Skill, "Python"},
             {Fact::Skill, "Bioconductor"},
             {Fact::Skill, "Machine Learning"},
             {Fact::Skill, "Statistics"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
             {Fact::Absent, "[University]"},
         }},
        {"student_bullets",
         "Núria Puig i Ferrer\n"
         "Computer Science student at Universitat Politècnica de Catalunya (expected 2026)\n"
         "nuria.puig@estudiantat.upc.edu | 612 345 678\n"
         "Barcelona, Spain\n"
         "\n"
         "Projects\n"
         "- Built a Flutter app for campus bike sharing used by 800 students\n"
         "- Created a Rust ray tracer\n"
         "\n"
         "Experience\n"
         "Software Engineering Intern, Glovo — Jun 2025 – Sep 2025\n"
         "- Automated API regression tests with pytest, cutting release checks from 2 days to 3 "
         "hours\n"
         "\n"
         "Skills: Python, Java, Rust, Flutter, Git",
         {
             {Fact::Name, "Núria Puig i Ferrer"},
             {Fact::Email, "nuria.puig@estudiantat.upc.edu"},
             {Fact::Phone, "612 345 678"},
             {Fact::Location, "Barcelona, Spain"},
             {Fact::School, "Universitat Politècnica de Catalunya"},
             {Fact::Degree, "Computer Science"},
             {Fact::Text, "Expected 2026"},
             {Fact::Text, "Built a Flutter app for campus bike sharing used by 800 students."},
             {Fact::Text, "Created a Rust ray tracer."},
             {Fact::Role, "Software Engineering Intern — Glovo"},
             {Fact::Dates, "Jun 2025 – Sep 2025"},
             {Fact::Text,
              "Automated API regression tests with pytest, cutting release checks from 2 days to 3 "
              "hours."},
             {Fact::Skill, "Python"},
             {Fact::Skill, "Java"},
             {Fact::Skill, "Rust"},
             {Fact::Skill, "Flutter"},
             {Fact::Skill, "Git"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
             {Fact::Absent, "[University]"},
         }},
        {"backend_japan_lines",
         "Name: 山田太郎\n"
         "Email: taro.yamada@example.jp\n"
         "Phone: +81 90-1234-5678\n"
         "Title: Backend Engineer\n"
         "Company: Mercari (April 2020 - present)\n"
         "Experience: 5 years of experience with Go, gRPC and MySQL\n"
         "Achievement: Reduced checkout API latency by 35% by introducing Redis caching\n"
         "Education: B.Eng. in Information Engineering, Kyoto University, 2020",
         {
             {Fact::Name, "山田太郎"},
             {Fact::Email, "taro.yamada@example.jp"},
             {Fact::Phone, "+81 90-1234-5678"},
             {Fact::Title, "Backend Engineer"},
             {Fact::Role, "Backend Engineer — Mercari"},
             {Fact::Dates, "April 2020 – Present"},
             {Fact::Years, "5"},
             {Fact::Skill, "Go"},
             {Fact::Skill, "gRPC"},
             {Fact::Skill, "MySQL"},
             {Fact::Skill, "Redis"},
             {Fact::Text, "Reduced checkout API latency by 35% by introducing Redis caching."},
             {Fact::Degree, "B.Eng. in Information Engineering"},
             {Fact::School, "Kyoto University"},
             {Fact::Text, "2020"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"accountant_junior_cv",
         "Chinedu Okafor-Eze\n"
         "Junior Accountant\n"
         "Lagos, Nigeria\n"
         "chinedu.okafor@example.ng | +234 803 123 4567\n"
         "\n"
         "EXPERIENCE\n"
         "Junior Accountant - Zenith Bank Plc (2021 - Present)\n"
         "* Reconciled 300+ accounts monthly using QuickBooks and Excel\n"
         "* Prepared quarterly VAT returns\n"
         "\n"
         "EDUCATION\n"
         "B.Sc. Accounting, University of Lagos, 2020\n"
         "\n"
         "CERTIFICATIONS\n"
         "ICAN (Associate), ACCA Part Qualified",
         {
             {Fact::Name, "Chinedu Okafor-Eze"},
             {Fact::Title, "Junior Accountant"},
             {Fact::Location, "Lagos, Nigeria"},
             {Fact::Email, "chinedu.okafor@example.ng"},
             {Fact::Phone, "+234 803 123 4567"},
             {Fact::Role, "Junior Accountant — Zenith Bank Plc"},
             {Fact::Dates, "2021 – Present"},
             {Fact::Text, "Reconciled 300+ accounts monthly using QuickBooks and Excel."},
             {Fact::Text, "Prepared quarterly VAT returns."},
             {Fact::Skill, "QuickBooks"},
             {Fact::Skill, "Excel"},
             {Fact::Degree, "B.Sc. in Accounting"},
             {Fact::School, "University of Lagos"},
             {Fact::Text, "2020"},
             {Fact::Certification, "ICAN (Associate)"},
             {Fact::Certification, "ACCA Part Qualified"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"cto_prose",
         "I'm Ana Beatriz Gonçalves, Chief Technology Officer at Nubank since 2019. Over 18 years "
         "I have led engineering organizations of up to 900 people. I scaled the platform to 80 "
         "million customers and led the migration to AWS. Earlier I was VP of Engineering at "
         "Movile (2014-2019) and an engineering manager at ThoughtWorks (2008-2014). I hold an MBA "
         "from INSEAD (2013) and a B.Sc. in Computer Engineering from Universidade de São Paulo. "
         "ana.goncalves@example.com.br, +55 11 91234-5678.",
         {
             {Fact::Name, "Ana Beatriz Gonçalves"},
             {Fact::Title, "Chief Technology Officer"},
             {Fact::Role, "Chief Technology Officer — Nubank"},
             {Fact::Dates, "2019 – Present"},
             {Fact::Years, "18+"},
             {Fact::Text,
              "Scaled the platform to 80 million customers and led the migration to AWS."},
             {Fact::Role, "VP of Engineering — Movile"},
             {Fact::Dates, "2014 – 2019"},
             {Fact::Role, "Engineering Manager — ThoughtWorks"},
             {Fact::Dates, "2008 – 2014"},
             {Fact::Degree, "MBA"},
             {Fact::School, "INSEAD"},
             {Fact::Text, "2013"},
             {Fact::Degree, "B.Sc. in Computer Engineering"},
             {Fact::School, "Universidade de São Paulo"},
             {Fact::Email, "ana.goncalves@example.com.br"},
             {Fact::Phone, "+55 11 91234-5678"},
             {Fact::Skill, "AWS"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"datasci_senior_cv",
         "Aleksandra Wiśniewska\n"
         "Senior Data Scientist | Warsaw, Poland\n"
         "aleksandra.wisniewska@example.pl | 555.123.4567 | "
         "https://www.linkedin.com/in/awisniewska | https://github.com/awis\n"
         "\n"
         "Work Experience\n"
         "**Senior Data Scientist**, Allegro (2020–present)\n"
         "- Built a recommendation model in PyTorch that lifted GMV by 4%\n"
         "- Led A/B testing for 40 experiments per quarter\n"
         "**Data Analyst**, Orange Polska (2017–2020)\n"
         "- Automated KPI reporting with Airflow and SQL\n"
         "\n"
         "Education\n"
         "MSc in Applied Mathematics, University of Warsaw, 2017\n"
         "\n"
         "Skills\n"
         "Python, SQL, PyTorch, Spark, A/B testing, statistics",
         {
             {Fact::Name, "Aleksandra Wiśniewska"},
             {Fact::Title, "Senior Data Scientist"},
             {Fact::Location, "Warsaw, Poland"},
             {Fact::Email, "aleksandra.wisniewska@example.pl"},
             {Fact::Phone, "555.123.4567"},
             {Fact::LinkedIn, "https://www.linkedin.com/in/awisniewska"},
             {Fact::GitHub, "https://github.com/awis"},
             {Fact::Role, "Senior Data Scientist — Allegro"},
             {Fact::Dates, "2020 – Present"},
             {Fact::Text, "Built a recommendation model in PyTorch that lifted GMV by 4%."},
             {Fact::Text, "Led A/B testing for 40 experiments per quarter."},
             {Fact::Role, "Data Analyst — Orange Polska"},
             {Fact::Dates, "2017 – 2020"},
             {Fact::Text, "Automated KPI reporting with Airflow and SQL."},
             {Fact::Degree, "M.Sc. in Applied Mathematics"},
             {Fact::School, "University of Warsaw"},
             {Fact::Skill, "Python"},
             {Fact::Skill, "SQL"},
             {Fact::Skill, "PyTorch"},
             {Fact::Skill, "Apache Spark"},
             {Fact::Skill, "A/B Testing"},
             {Fact::Skill, "Statistics"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"teacher_uk_prose",
         "My name is Mary-Kate Fitzgerald-Hughes and I'm a primary school teacher in Manchester, "
         "UK. I've taught Year 3 at Oakfield Primary School since 2017 and previously worked as a "
         "teaching assistant at St. Peter's School from 2014 to 2017. I introduced a phonics "
         "programme that raised reading scores by 20%. PGCE in Primary Education, University of "
         "Manchester, 2014. You can reach me on 07700 900123 or mary.fh@example.co.uk.",
         {
             {Fact::Name, "Mary-Kate Fitzgerald-Hughes"},
             {Fact::Title, "Primary School Teacher"},
             {Fact::Location, "Manchester, UK"},
             {Fact::Employer, "Oakfield Primary School"},
             {Fact::Dates, "2017 – Present"},
             {Fact::Role, "Teaching Assistant — St. Peter's School"},
             {Fact::Dates, "2014 – 2017"},
             {Fact::Text, "Introduced a phonics programme that raised reading scores by 20%."},
             {Fact::Degree, "PGCE in Primary Education"},
             {Fact::School, "University of Manchester"},
             {Fact::Text, "2014"},
             {Fact::Phone, "07700 900123"},
             {Fact::Email, "mary.fh@example.co.uk"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"pharmacist_cv",
         "Fatima Al-Zahra Haddad\n"
         "Clinical Pharmacist\n"
         "Dubai, UAE | fatima.haddad@example.ae | +971-50-123-4567\n"
         "\n"
         "Professional Summary\n"
         "Clinical pharmacist with 11 years of hospital experience in oncology and medication "
         "safety.\n"
         "\n"
         "Experience\n"
         "2016 - Present: Clinical Pharmacist at Cleveland Clinic Abu Dhabi\n"
         "- Reduced adverse drug events by 18% through a pharmacist-led review program\n"
         "2012 - 2016: Staff Pharmacist at Aster Pharmacy\n"
         "\n"
         "Education\n"
         "PharmD, American University of Beirut, 2012",
         {
             {Fact::Name, "Fatima Al-Zahra Haddad"},
             {Fact::Title, "Clinical Pharmacist"},
             {Fact::Location, "Dubai, UAE"},
             {Fact::Email, "fatima.haddad@example.ae"},
             {Fact::Phone, "+971-50-123-4567"},
             {Fact::Years, "11"},
             {Fact::Text,
              "Clinical pharmacist with 11 years of hospital experience in oncology and medication "
              "safety."},
             {Fact::Role, "Clinical Pharmacist — Cleveland Clinic Abu Dhabi"},
             {Fact::Dates, "2016 – Present"},
             {Fact::Text,
              "Reduced adverse drug events by 18% through a pharmacist-led review program."},
             {Fact::Role, "Staff Pharmacist — Aster Pharmacy"},
             {Fact::Dates, "2012 – 2016"},
             {Fact::Degree, "PharmD"},
             {Fact::School, "American University of Beirut"},
             {Fact::Text, "2012"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"marketing_korean_prose",
         "My name is 김민준 (Minjun Kim). I'm a marketing manager at Samsung Electronics in Seoul, "
         "Korea with 8 years of experience in digital marketing, SEO and Google Analytics. I "
         "launched a campaign that grew app installs by 3 million in 2022. Previously I was a "
         "content strategist at Naver (2015-2019). Email: minjun.kim@example.kr",
         {
             {Fact::Name, "김민준"},
             {Fact::Title, "Marketing Manager"},
             {Fact::Role, "Marketing Manager — Samsung Electronics"},
             {Fact::Location, "Seoul, Korea"},
             {Fact::Years, "8"},
             {Fact::Skill, "SEO"},
             {Fact::Skill, "Google Analytics"},
             {Fact::Text, "Launched a campaign that grew app installs by 3 million in 2022."},
             {Fact::Role, "Content Strategist — Naver"},
             {Fact::Dates, "2015 – 2019"},
             {Fact::Email, "minjun.kim@example.kr"},
             {Fact::Absent, "[Company Name]"},
         }},
        {"pm_bullets",
         "- Name: Ludwig van der Berg\n"
         "- Senior Project Manager, PMP\n"
         "- Rotterdam, Netherlands\n"
         "- ludwig.vanderberg@example.nl\n"
         "- Tel: +31 6 1234 5678\n"
         "- Website: www.ludwigvanderberg.nl\n"
         "- 2018 - present: Senior Project Manager at Port of Rotterdam\n"
         "- 2012 - 2018: Project Manager at Van Oord\n"
         "- Delivered a €120M quay expansion on time and 4% under budget\n"
         "- MSc Civil Engineering, Delft University of Technology, 2011",
         {
             {Fact::Name, "Ludwig van der Berg"},
             {Fact::Title, "Senior Project Manager"},
             {Fact::Certification, "PMP"},
             {Fact::Location, "Rotterdam, Netherlands"},
             {Fact::Email, "ludwig.vanderberg@example.nl"},
             {Fact::Phone, "+31 6 1234 5678"},
             {Fact::Website, "www.ludwigvanderberg.nl"},
             {Fact::Role, "Senior Project Manager — Port of Rotterdam"},
             {Fact::Dates, "2018 – Present"},
             {Fact::Role, "Project Manager — Van Oord"},
             {Fact::Dates, "2012 – 2018"},
             {Fact::Text, "Delivered a €120M quay expansion on time and 4% under budget."},
             {Fact::Degree, "M.Sc. in Civil Engineering"},
             {Fact::School, "Delft University of Technology"},
             {Fact::Text, "2011"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"designer_terse",
         "graphic designer, 4 years of experience. adobe illustrator, photoshop, indesign. "
         "freelance since 2020. contact: lea.martin@example.fr / 06 12 34 56 78",
         {
             {Fact::Title, "Graphic Designer"},
             {Fact::Years, "4"},
             {Fact::Skill, "Illustrator"},
             {Fact::Skill, "Photoshop"},
             {Fact::Skill, "InDesign"},
             {Fact::Email, "lea.martin@example.fr"},
             {Fact::Phone, "06 12 34 56 78"},
             {Fact::Dates, "2020 – Present"},
         }},
        {"mechanic_oneline",
         "Tomás Ó Briain | Diesel Mechanic | Galway, Ireland | tomas.obriain@example.ie | +353 87 "
         "123 4567 | 14 years of experience | Fleet Mechanic at Bus Éireann since 2012 | Rebuilt "
         "40+ diesel engines per year | City & Guilds Level 3 Diploma in Motor Vehicle Maintenance",
         {
             {Fact::Name, "Tomás Ó Briain"},
             {Fact::Title, "Diesel Mechanic"},
             {Fact::Location, "Galway, Ireland"},
             {Fact::Email, "tomas.obriain@example.ie"},
             {Fact::Phone, "+353 87 123 4567"},
             {Fact::Years, "14"},
             {Fact::Role, "Fleet Mechanic — Bus Éireann"},
             {Fact::Dates, "2012 – Present"},
             {Fact::Text, "Rebuilt 40+ diesel engines per year."},
             {Fact::Degree, "Diploma in Motor Vehicle Maintenance"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
        {"electrician_caps",
         "MARÍA JOSÉ PÉREZ\n"
         "ELECTRICIAN | Seville, Spain | maria.perez@example.es | +34 600 123 456\n"
         "\n"
         "EXPERIENCE\n"
         "Journeyman Electrician, Endesa (2015 - Present)\n"
         "- Installed solar arrays on 120 commercial roofs\n"
         "- Trained 5 apprentices\n"
         "\n"
         "CERTIFICATIONS\n"
         "OSHA 30, Journeyman Electrician License",
         {
             {Fact::Name, "María José Pérez"},
             {Fact::Title, "Electrician"},
             {Fact::Location, "Seville, Spain"},
             {Fact::Email, "maria.perez@example.es"},
             {Fact::Phone, "+34 600 123 456"},
             {Fact::Role, "Journeyman Electrician — Endesa"},
             {Fact::Dates, "2015 – Present"},
             {Fact::Text, "Installed solar arrays on 120 commercial roofs."},
             {Fact::Text, "Trained 5 apprentices."},
             {Fact::Certification, "OSHA 30"},
             {Fact::Certification, "Journeyman Electrician License"},
             {Fact::Absent, "[Company Name]"},
             {Fact::Absent, "[Start Date]"},
         }},
    };
    return cases;
}

// The placeholder a given fact must not leave behind.
std::string_view facts_placeholder(Fact f) {
    switch (f) {
        case Fact::Name:
            return "[Your Name]";
        case Fact::Email:
            return "[Your Email]";
        case Fact::Phone:
            return "[Your Phone]";
        case Fact::LinkedIn:
            return "[LinkedIn URL]";
        case Fact::Title:
            return "[Your Title]";
        case Fact::Years:
            return "[X] years";
        default:
            return {};
    }
}

// "..", ",,", ".," and a space before a period or comma; " .NET" starts a word and is fine.
std::string facts_doubled_punctuation(const std::string& out) {
    for (size_t i = 0; i + 1 < out.size(); ++i) {
        const char a = out[i];
        const char b = out[i + 1];
        const bool bad =
            (a == '.' && (b == '.' || b == ',')) || (a == ',' && b == ',') ||
            (a == ' ' && b == ',') ||
            (a == ' ' && b == '.' &&
             !(i + 2 < out.size() && std::isalnum(static_cast<unsigned char>(out[i + 2]))));
        if (bad) return out.substr(i < 30 ? 0 : i - 30, 60);
    }
    return {};
}

bool facts_has(const std::string& s, std::string_view x) {
    return s.find(x) != std::string::npos;
}

bool facts_iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

TEST(OfflineFacts, TheTableCoversEnoughGround) {
    EXPECT_GE(facts_cases().size(), 20u);
}

TEST(OfflineFacts, EveryStatedFactLandsInTheResume) {
    for (const FactsCase& c : facts_cases()) {
        const std::string out = write_resume(c.input);
        ASSERT_NE(out, resumate::offline::kOffTopicAnswer) << c.name;
        for (const auto& [kind, text] : c.facts) {
            if (kind == Fact::Absent) {
                EXPECT_FALSE(facts_has(out, text)) << c.name << ": " << text << "\n" << out;
                continue;
            }
            std::string want(text);
            if (kind == Fact::Role) want = "### " + want + "\n";
            if (kind == Fact::Years) want += " years";
            EXPECT_TRUE(facts_has(out, want)) << c.name << ": missing " << want << "\n" << out;
            const std::string_view ph = facts_placeholder(kind);
            if (!ph.empty()) {
                EXPECT_FALSE(facts_has(out, ph)) << c.name << ": " << ph << "\n" << out;
            }
        }
    }
}

TEST(OfflineFacts, NoDoubledPunctuation) {
    std::vector<std::string_view> inputs;
    for (const FactsCase& c : facts_cases()) inputs.push_back(c.input);
    // Facts that end with a period, followed by the periods and commas the writer adds.
    inputs.push_back(
        "I work at Acme Corp. I built a billing system used by 40 teams... and more.. Then I was "
        "a senior engineer at Initech Inc. I used e.g., React ,, and Node.js . I hold a Ph.D. "
        "from MIT and an M.Sc., and a B.A..");
    inputs.push_back("I'm a nurse at St. Mary's Hospital Inc. I have a BSN. I hold an M.Sc.");
    inputs.push_back("Je m'appelle José Müller-Ørsted. I'm a data engineer at Société Générale.");
    for (std::string_view in : inputs) {
        const std::string out = write_resume(in);
        EXPECT_EQ(facts_doubled_punctuation(out), "") << in << "\n" << out;
    }
}

// The written resume read back gives the input's facts again.
TEST(OfflineFacts, ReadFactsRecoversWhatTheWriterWrote) {
    for (const FactsCase& c : facts_cases()) {
        const std::string out = write_resume(c.input);
        const ResumeFacts direct = read_facts(c.input);
        const ResumeFacts back = read_facts(out);
        for (const auto& [kind, text] : c.facts) {
            switch (kind) {
                case Fact::Name:
                    EXPECT_EQ(back.name, text) << c.name;
                    EXPECT_EQ(direct.name, text) << c.name;
                    break;
                case Fact::Email:
                    EXPECT_EQ(back.email, text) << c.name;
                    break;
                case Fact::Phone:
                    EXPECT_EQ(back.phone, text) << c.name;
                    break;
                case Fact::Role: {
                    const std::string_view title = text.substr(0, text.find(" — "));
                    const std::string_view employer = text.substr(text.find(" — ") + 5);
                    EXPECT_TRUE(std::any_of(
                        back.roles.begin(), back.roles.end(),
                        [&](const auto& r) { return r.title == title && r.employer == employer; }))
                        << c.name << ": " << text;
                    break;
                }
                case Fact::Employer:
                    EXPECT_TRUE(std::any_of(back.roles.begin(), back.roles.end(),
                                            [&](const auto& r) { return r.employer == text; }))
                        << c.name << ": " << text;
                    break;
                case Fact::Skill:
                    EXPECT_TRUE(
                        std::any_of(back.skills.begin(), back.skills.end(),
                                    [&](const auto& s) { return facts_iequal(s.name, text); }))
                        << c.name << ": " << text;
                    break;
                default:
                    break;
            }
        }
        // Every role the input states (with its employer) comes back with its title and dates,
        // and every skill with its name.
        for (const auto& r : direct.roles) {
            if (r.employer.empty()) continue;
            EXPECT_TRUE(std::any_of(back.roles.begin(), back.roles.end(),
                                    [&](const auto& b) {
                                        return b.title == r.title && b.employer == r.employer &&
                                               b.start == r.start && b.end == r.end;
                                    }))
                << c.name << ": " << r.title << " — " << r.employer << "\n"
                << out;
        }
        for (const auto& s : direct.skills) {
            EXPECT_TRUE(std::any_of(back.skills.begin(), back.skills.end(),
                                    [&](const auto& b) { return b.name == s.name; }))
                << c.name << ": " << s.name;
        }
        EXPECT_EQ(back.email, direct.email) << c.name;
        EXPECT_EQ(back.phone, direct.phone) << c.name;
        EXPECT_EQ(back.linkedin, direct.linkedin) << c.name;
    }
}

TEST(OfflineFacts, SummaryComesFromTheSummarySection) {
    const ResumeFacts cv = read_facts(
        "Jane Roe\njane@example.com\n\nProfessional Summary\nCivil engineer with 9 years of "
        "experience in bridge design.\nLicensed PE in two states.\n\nExperience\nBridge Engineer "
        "at Arup, 2015 - Present\n");
    EXPECT_EQ(cv.summary,
              "Civil engineer with 9 years of experience in bridge design. Licensed PE in two "
              "states.");
    const std::string written = write_resume(
        "Jane Roe\njane@example.com\n\nSummary\nCivil engineer with 9 years of experience in "
        "bridge design.\n\nExperience\nBridge Engineer at Arup, 2015 - Present\n");
    EXPECT_TRUE(facts_has(written,
                          "## Professional Summary\n\nCivil engineer with 9 years of experience in "
                          "bridge design.\n"))
        << written;
    EXPECT_EQ(read_facts(written).summary,
              "Civil engineer with 9 years of experience in bridge design.");
    // A written resume without a stated summary: the writer's own sentences, never a placeholder.
    const ResumeFacts generated =
        read_facts(write_resume("I'm a backend developer at Initech. I know Java and SQL."));
    EXPECT_FALSE(facts_has(generated.summary, "[")) << generated.summary;
    EXPECT_TRUE(facts_has(generated.summary, "Experience includes work at Initech."))
        << generated.summary;
}

TEST(OfflineFacts, ReadFactsDropsEveryPlaceholder) {
    const std::string out =
        write_resume("Please write my resume. I'm a developer and I know Java.");
    ASSERT_TRUE(facts_has(out, "[Your Email]")) << out;
    const ResumeFacts f = read_facts(out);
    std::vector<std::string> values = {f.name,     f.label,  f.email,   f.phone,  f.location,
                                       f.linkedin, f.github, f.website, f.summary};
    for (const auto& r : f.roles) {
        values.insert(values.end(), {r.title, r.employer, r.start, r.end});
        values.insert(values.end(), r.highlights.begin(), r.highlights.end());
    }
    for (const auto& e : f.education)
        values.insert(values.end(), {e.degree, e.institution, e.year});
    for (const auto& s : f.skills) values.push_back(s.name);
    values.insert(values.end(), f.certifications.begin(), f.certifications.end());
    values.insert(values.end(), f.projects.begin(), f.projects.end());
    for (const std::string& v : values) EXPECT_FALSE(facts_has(v, "[")) << v;
    EXPECT_TRUE(f.name.empty());
    EXPECT_TRUE(f.email.empty());
    ASSERT_EQ(f.skills.size(), 1u);
    EXPECT_EQ(f.skills[0].name, "Java");
    // User text in brackets is escaped by the writer and reads back as written.
    const ResumeFacts links =
        read_facts(write_resume("I'm a web developer at Hooli. I built [a portal] for 40 teams."));
    ASSERT_FALSE(links.roles.empty());
    ASSERT_FALSE(links.roles[0].highlights.empty());
    EXPECT_EQ(links.roles[0].highlights[0], "Built [a portal] for 40 teams.");
}

TEST(OfflineFacts, SkillsInUsesCanonicalNames) {
    EXPECT_EQ(resumate::offline::skills_in("postgres, k8s and golang; also React.js"),
              (std::vector<std::string>{"PostgreSQL", "Kubernetes", "Go", "React"}));
    EXPECT_TRUE(resumate::offline::skills_in("").empty());
}

}  // namespace

namespace resumate_offline_facts_test_data {

std::vector<std::string_view> fact_inputs() {
    std::vector<std::string_view> out;
    for (const FactsCase& c : facts_cases()) out.push_back(c.input);
    return out;
}

}  // namespace resumate_offline_facts_test_data
