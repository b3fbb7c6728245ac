// documents/: a resume exported as PDF, DOCX, HTML, Markdown and JSON Resume. The PDF is read
// back with poppler-utils (pdftotext, pdffonts, pdfinfo) and the DOCX converted by LibreOffice
// when they are installed (scripts/install-deps.sh test installs both); the DOCX is also read
// back with libzip, always.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "documents/export.hpp"
#include "offline/writer.hpp"

namespace {

namespace docs = resumate::documents;

const std::string kDocCareerInput =
    "My name is Jane Doe. I'm a Senior Software Engineer with 7+ years of experience building "
    "distributed systems in C++, Go and Python. Reach me at jane.doe@example.com or "
    "+1 (415) 555-0134; LinkedIn: https://www.linkedin.com/in/janedoe, GitHub: "
    "https://github.com/janedoe.\n"
    "I currently work at Acme Corp (2019 - present) where I led the migration of our billing "
    "platform to Kubernetes and reduced infrastructure costs by 30%. I also mentored 5 junior "
    "engineers.\n"
    "Before that I was a Backend Developer at Globex Corporation from 2016 to 2019, where I built "
    "a real-time fraud detection service with Kafka and PostgreSQL.\n"
    "I have a BSc in Computer Science from the University of Toronto, 2016. I am an AWS "
    "Certified Solutions Architect - Associate.\n";

// Inputs of the offline writer's golden test whose resumes are the fullest.
std::vector<std::string> doc_writer_inputs() {
    return {
        kDocCareerInput,
        "John Smith\nSan Francisco, CA\njohn@smith.io | (555) 123-4567\n\n"
        "EXPERIENCE\nStaff Data Scientist, Initech Inc. (Jan 2018 – Mar 2023)\n"
        "- Built churn models in Python, pandas and scikit-learn\n"
        "- Cut reporting time by 40% with Airflow and dbt\n"
        "Data Analyst at Hooli, 2015-2018\n* Wrote SQL dashboards in Tableau\n\n"
        "EDUCATION\nMSc Statistics, Stanford University, 2015\n"
        "B.A. in Mathematics from UC Berkeley 2013\n\n"
        "SKILLS\nPython, R, SQL, Spark, AWS, Docker, Git, Excel, Leadership\n\n"
        "CERTIFICATIONS\nPMP, CKA, Google Cloud Professional Data Engineer\n\n"
        "PROJECTS\nOpen-source contributor to pandas; built a Rust CLI for CSV diffs\n",
        "Je m'appelle José Müller-Ørsted. I'm a développeur at Société Générale in "
        "Paris, França since 2017. I built trading tools in Java and Kotlin. "
        "Zoë Ångström was my manager. I studied at Université de Montréal (MSc, 2016).",
        "我叫王伟。I'm a software engineer at 腾讯 (Tencent) in 深圳 since 2019. "
        "I built 微服务 with Go and gRPC. 東京大学 graduate, BEng 2018. 日本語も話せます。",
        "Roles: Junior Developer at A1 Ltd 2008-2009; Developer at B2 GmbH 2009-2011; "
        "Senior Developer at C3 LLC 2011-2013; Lead Engineer at D4 Inc 2013-2016; "
        "Engineering Manager at E5 plc 2016-2019; Director of Engineering at F6 SA "
        "2019-2022; VP of Engineering at G7 AG from 2022. I hired 40 engineers.",
        "Maria Garcia — +44 20 7946 0958, maria.garcia+jobs@mail.co.uk, "
        "www.mariagarcia.design, https://dribbble.com/mgarcia. UX designer at BBC "
        "since March 2019; previously at IDEO (2014 – 2019). Figma, Sketch, user research.",
        [] {
            std::string s = "I'm a technical writer at Acme. I wrote ";
            for (int i = 0; i < 200; ++i) s += "ünïcödé ";
            return s + "guides.";
        }(),
    };
}

// A resume with every construct the writers handle.
const std::string kDocRichResume =
    "# José Müller-Ørsted 王伟\n\n"
    "jose@example.com | [GitHub](https://github.com/josemo) | Paris\n\n"
    "## Expérience\n\n"
    "### Développeur — Société Générale\n"
    "2017 – Present\n\n"
    "- Built **trading** tools in *Kotlin*\n"
    "- Led 深圳 launch for AT&T <script>alert(1)</script>\n"
    "  - Nested detail\n\n"
    "1. First numbered\n"
    "2. Second numbered\n\n"
    "## Compétences\n\n"
    "- Java, `Kotlin`, SQL\n";

const std::vector<std::string> kDocRichHeadings = {"José Müller-Ørsted 王伟", "Expérience",
                                                   "Développeur — Société Générale", "Compétences"};
const std::vector<std::string> kDocRichBullets = {"Built trading tools in Kotlin", "Nested detail",
                                                  "First numbered", "Second numbered",
                                                  "Java, Kotlin, SQL"};

bool doc_have_tool(const std::string& tool) {
    return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

class DocTempDir {
  public:
    DocTempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "documents-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~DocTempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    DocTempDir(const DocTempDir&) = delete;
    DocTempDir& operator=(const DocTempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

void doc_write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
}

std::string doc_read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The standard output of a shell command.
std::string doc_run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    pclose(pipe);
    return out;
}

// The page objects in the file (cairo writes "/Type /Page" for each).
int doc_page_objects(const std::string& pdf) {
    static const std::regex page(R"(/Type\s*/Page[^s])");
    return static_cast<int>(
        std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

docs::Document doc_export(std::string_view markdown, docs::Format f,
                          docs::Paper paper = docs::Paper::A4) {
    docs::ExportOptions options;
    options.paper = paper;
    return docs::export_resume("Test Resume", markdown, f, options);
}

// The parts of a zip archive by name.
std::map<std::string, std::string> doc_unzip(const std::string& bytes) {
    std::map<std::string, std::string> parts;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t* archive = src ? zip_open_from_source(src, ZIP_RDONLY, &error) : nullptr;
    if (!archive) {
        if (src) zip_source_free(src);
        zip_error_fini(&error);
        return parts;
    }
    const zip_int64_t n = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
        zip_file_t* f = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
        if (!f) continue;
        std::string data(static_cast<size_t>(st.size), '\0');
        const zip_int64_t got = zip_fread(f, data.data(), st.size);
        zip_fclose(f);
        if (got == static_cast<zip_int64_t>(st.size)) parts[st.name] = std::move(data);
    }
    zip_close(archive);
    zip_error_fini(&error);
    return parts;
}

// The text of WordprocessingML: tags dropped, a line per paragraph, entities decoded.
std::string doc_docx_text(const std::string& xml) {
    std::string s = std::regex_replace(xml, std::regex("</w:p>"), "\n");
    s = std::regex_replace(s, std::regex("<[^>]*>"), "");
    for (auto [entity, c] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}) {
        for (size_t at; (at = s.find(entity)) != std::string::npos;)
            s.replace(at, entity.size(), c);
    }
    return s;
}

bool doc_valid_xml_chars(const std::string& s) {
    for (unsigned char c : s)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
    return s.find("\xEF\xBF\xBE") == std::string::npos &&
           s.find("\xEF\xBF\xBF") == std::string::npos;
}

TEST(DocumentsFormats, NamesAreTheApisExactly) {
    EXPECT_EQ(docs::parse_format("pdf"), docs::Format::Pdf);
    EXPECT_EQ(docs::parse_format("docx"), docs::Format::Docx);
    EXPECT_EQ(docs::parse_format("html"), docs::Format::Html);
    EXPECT_EQ(docs::parse_format("md"), docs::Format::Markdown);
    EXPECT_EQ(docs::parse_format("json"), docs::Format::JsonResume);
    for (const char* bad : {"PDF", "", "xyz", "pdf ", "markdown", "doc"})
        EXPECT_FALSE(docs::parse_format(bad).has_value()) << bad;
    EXPECT_EQ(docs::parse_paper("a4"), docs::Paper::A4);
    EXPECT_EQ(docs::parse_paper("letter"), docs::Paper::Letter);
    EXPECT_FALSE(docs::parse_paper("A4").has_value());
    EXPECT_FALSE(docs::parse_paper("legal").has_value());
}

TEST(DocumentsPdf, IsAPdfWithItsPageCountAndLinks) {
    const docs::Document d = doc_export(kDocRichResume, docs::Format::Pdf);
    EXPECT_EQ(d.content_type, "application/pdf");
    EXPECT_EQ(d.extension, "pdf");
    ASSERT_TRUE(d.bytes.starts_with("%PDF-")) << d.bytes.substr(0, 16);
    EXPECT_NE(d.bytes.rfind("%%EOF"), std::string::npos);
    EXPECT_EQ(d.pages, 1);
    EXPECT_EQ(doc_page_objects(d.bytes), d.pages);
    // The link is an annotation; a script is never one.
    EXPECT_NE(d.bytes.find("/URI (https://github.com/josemo)"), std::string::npos);
    EXPECT_NE(d.bytes.find("/URI (mailto:jose@example.com)"), std::string::npos);
    EXPECT_EQ(d.bytes.find("/JavaScript"), std::string::npos);
    EXPECT_EQ(d.bytes.find("/JS"), std::string::npos);
}

TEST(DocumentsPdf, PopplerReadsTheTextAndTheEmbeddedFonts) {
    if (!doc_have_tool("pdftotext") || !doc_have_tool("pdffonts") || !doc_have_tool("pdfinfo"))
        GTEST_SKIP() << "poppler-utils not installed";
    DocTempDir dir;
    const auto file = dir.path() / "resume.pdf";
    doc_write_file(file, doc_export(kDocRichResume, docs::Format::Pdf).bytes);
    const std::string text = doc_run("pdftotext -enc UTF-8 '" + file.string() + "' -");
    for (const std::string& h : kDocRichHeadings) EXPECT_NE(text.find(h), std::string::npos) << h;
    for (const std::string& b : kDocRichBullets) EXPECT_NE(text.find(b), std::string::npos) << b;
    EXPECT_NE(text.find("•"), std::string::npos) << text;
    EXPECT_NE(text.find("1."), std::string::npos) << text;
    EXPECT_NE(text.find("<script>alert(1)</script>"), std::string::npos) << text;

    // Every font is embedded (the "emb" column), DejaVu for Latin, a CJK font for 王伟.
    const std::string fonts = doc_run("pdffonts '" + file.string() + "'");
    std::istringstream lines(fonts);
    int font_lines = 0;
    std::string line;
    for (int n = 0; std::getline(lines, line); ++n) {
        if (n < 2 || line.empty()) continue;  // the header and its rule
        ++font_lines;
        EXPECT_NE(line.find(" yes yes "), std::string::npos) << "not embedded: " << line;
    }
    EXPECT_GT(font_lines, 0) << fonts;
    EXPECT_NE(fonts.find("DejaVuSans"), std::string::npos) << fonts;
    EXPECT_NE(fonts.find("WenQuanYi"), std::string::npos) << fonts;

    const std::string info = doc_run("pdfinfo '" + file.string() + "'");
    EXPECT_NE(info.find("Pages:           1"), std::string::npos) << info;
    EXPECT_NE(info.find("Title:           Test Resume"), std::string::npos) << info;
    EXPECT_NE(info.find("(A4)"), std::string::npos) << info;
    const std::string urls = doc_run("pdfinfo -url '" + file.string() + "'");
    EXPECT_NE(urls.find("https://github.com/josemo"), std::string::npos) << urls;
}

TEST(DocumentsPdf, TheOfflineWritersResumesFitOnOnePage) {
    for (const std::string& input : doc_writer_inputs()) {
        const std::string md = resumate::offline::write_resume(input);
        for (docs::Paper paper : {docs::Paper::A4, docs::Paper::Letter}) {
            const docs::Document d = doc_export(md, docs::Format::Pdf, paper);
            EXPECT_EQ(d.pages, 1) << (paper == docs::Paper::A4 ? "A4: " : "Letter: ") << md;
            EXPECT_EQ(doc_page_objects(d.bytes), 1);
        }
    }
}

TEST(DocumentsPdf, ALongResumeRunsOverSeveralPages) {
    std::string md = "# Long Resume\n\n";
    for (int i = 0; i < 30; ++i) {
        md += "## Section " + std::to_string(i) + "\n\n";
        for (int j = 0; j < 6; ++j)
            md += "- Bullet " + std::to_string(i) + "." + std::to_string(j) +
                  ": delivered a measurable outcome for a demanding customer in good time\n";
        md += "\n";
    }
    const docs::Document d = doc_export(md, docs::Format::Pdf);
    EXPECT_GT(d.pages, 1);
    EXPECT_LT(d.pages, 10);
    EXPECT_EQ(doc_page_objects(d.bytes), d.pages);
    if (doc_have_tool("pdfinfo")) {
        DocTempDir dir;
        doc_write_file(dir.path() / "long.pdf", d.bytes);
        const std::string info = doc_run("pdfinfo '" + (dir.path() / "long.pdf").string() + "'");
        EXPECT_NE(info.find("Pages:           " + std::to_string(d.pages) + "\n"),
                  std::string::npos)
            << info;
        const std::string text =
            doc_run("pdftotext -enc UTF-8 '" + (dir.path() / "long.pdf").string() + "' -");
        EXPECT_NE(text.find("Bullet 29.5"), std::string::npos);  // the last line made it
    }
}

TEST(DocumentsPdf, LetterPaperIsLetterSized) {
    const docs::Document d = doc_export(kDocRichResume, docs::Format::Pdf, docs::Paper::Letter);
    EXPECT_NE(d.bytes.find("/MediaBox [ 0 0 612 792 ]"), std::string::npos);
}

TEST(DocumentsPdf, AnyTextMakesAValidFile) {
    const std::string hostile[] = {
        "",
        "   \n\n  ",
        std::string("Zoë\x01\x1b[31m tele\x07metry \xff\xfe broken \xe2\x82") + "\r\nnext",
        std::string(20000, 'x'),
        "- \n- \n1. \n> \n```\n```\n---\n",
        "![img](javascript:alert(1)) [x](javascript:alert(1)) <iframe src=x>",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "🚀 emoji 👋 ✨ \u202e override",
    };
    for (const std::string& md : hostile) {
        const docs::Document d = doc_export(md, docs::Format::Pdf);
        EXPECT_TRUE(d.bytes.starts_with("%PDF-"));
        EXPECT_GE(d.pages, 1);
        EXPECT_EQ(doc_page_objects(d.bytes), d.pages);
        EXPECT_EQ(d.bytes.find("javascript:"), std::string::npos);
        const docs::Document x = doc_export(md, docs::Format::Docx);
        const auto parts = doc_unzip(x.bytes);
        ASSERT_TRUE(parts.contains("word/document.xml"));
        EXPECT_TRUE(doc_valid_xml_chars(parts.at("word/document.xml")));
        EXPECT_EQ(parts.at("word/document.xml").find("javascript:"), std::string::npos);
    }
}

TEST(DocumentsDocx, APackageWithEveryHeadingAndBullet) {
    const docs::Document d = doc_export(kDocRichResume, docs::Format::Docx, docs::Paper::Letter);
    EXPECT_EQ(d.content_type,
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    EXPECT_EQ(d.extension, "docx");
    ASSERT_TRUE(d.bytes.starts_with("PK\x03\x04"));
    const auto parts = doc_unzip(d.bytes);
    for (const char* name :
         {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
          "word/numbering.xml", "word/_rels/document.xml.rels", "docProps/core.xml"})
        ASSERT_TRUE(parts.contains(name)) << name;
    const std::string& xml = parts.at("word/document.xml");
    EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\""));
    EXPECT_TRUE(doc_valid_xml_chars(xml));
    const std::string text = doc_docx_text(xml);
    for (const std::string& h : kDocRichHeadings) EXPECT_NE(text.find(h), std::string::npos) << h;
    for (const std::string& b : kDocRichBullets) EXPECT_NE(text.find(b), std::string::npos) << b;
    EXPECT_NE(xml.find("<w:pStyle w:val=\"Heading1\"/>"), std::string::npos);
    EXPECT_NE(xml.find("<w:pStyle w:val=\"Heading2\"/>"), std::string::npos);
    EXPECT_NE(xml.find("<w:pStyle w:val=\"Heading3\"/>"), std::string::npos);
    EXPECT_NE(xml.find("<w:pStyle w:val=\"ListBullet\"/>"), std::string::npos);
    EXPECT_NE(xml.find("<w:pStyle w:val=\"ListNumber\"/>"), std::string::npos);
    EXPECT_NE(xml.find("<w:ilvl w:val=\"1\"/>"), std::string::npos);  // the nested bullet
    EXPECT_NE(xml.find("<w:b/>"), std::string::npos);
    EXPECT_NE(xml.find("<w:i/>"), std::string::npos);
    EXPECT_NE(xml.find("AT&amp;T &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(xml.find("<w:pgSz w:w=\"12240\" w:h=\"15840\"/>"), std::string::npos);
    // The link: a hyperlink whose relationship holds the target.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(xml, m, std::regex("<w:hyperlink r:id=\"(rId[0-9]+)\"")));
    const std::string& rels = parts.at("word/_rels/document.xml.rels");
    EXPECT_NE(rels.find("Id=\"" + m[1].str() + "\""), std::string::npos);
    EXPECT_NE(rels.find("Target=\"https://github.com/josemo\" TargetMode=\"External\""),
              std::string::npos)
        << rels;
    const std::string& styles = parts.at("word/styles.xml");
    for (const char* id : {"Heading1", "Heading2", "ListBullet", "Hyperlink"})
        EXPECT_NE(styles.find("w:styleId=\"" + std::string(id) + "\""), std::string::npos) << id;
    EXPECT_NE(parts.at("word/numbering.xml").find("<w:numFmt w:val=\"bullet\"/>"),
              std::string::npos);
    EXPECT_NE(parts.at("docProps/core.xml").find("<dc:title>Test Resume</dc:title>"),
              std::string::npos);
    // The same resume makes the same file.
    EXPECT_EQ(d.bytes, doc_export(kDocRichResume, docs::Format::Docx, docs::Paper::Letter).bytes);
}

TEST(DocumentsDocx, LibreOfficeOpensIt) {
    std::string office;
    for (const char* name : {"soffice", "libreoffice"})
        if (office.empty() && doc_have_tool(name)) office = name;
    if (office.empty()) GTEST_SKIP() << "LibreOffice not installed";
    DocTempDir dir;
    doc_write_file(dir.path() / "resume.docx",
                   doc_export(kDocRichResume, docs::Format::Docx).bytes);
    // A profile of its own: no clash with another LibreOffice running.
    const std::string command = "cd '" + dir.path().string() + "' && " + office +
                                " -env:UserInstallation=file://" + dir.path().string() +
                                "/profile --headless --convert-to txt:Text --outdir '" +
                                dir.path().string() + "' resume.docx >/dev/null 2>&1";
    doc_run(command);
    const std::string text = doc_read_file(dir.path() / "resume.txt");
    ASSERT_FALSE(text.empty()) << "LibreOffice did not convert the file";
    for (const std::string& h : kDocRichHeadings) EXPECT_NE(text.find(h), std::string::npos) << h;
    for (const std::string& b : kDocRichBullets) EXPECT_NE(text.find(b), std::string::npos) << b;
}

TEST(DocumentsHtml, OneStandalonePrintablePageWithoutScripts) {
    docs::ExportOptions options;
    const docs::Document d =
        docs::export_resume("Jane <b>Doe</b>",
                            kDocRichResume +
                                "\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n"
                                "<SCRIPT>bad()</SCRIPT>\n\n![t](https://tracker.example/p.png)\n",
                            docs::Format::Html, options);
    EXPECT_EQ(d.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(d.extension, "html");
    const std::string& html = d.bytes;
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
    EXPECT_NE(html.find("<title>Jane &lt;b&gt;Doe&lt;/b&gt;</title>"), std::string::npos);
    EXPECT_NE(html.find("<style>"), std::string::npos);
    EXPECT_NE(html.find("@media print"), std::string::npos);
    EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
    EXPECT_NE(html.find("<h1>José Müller-Ørsted 王伟</h1>"), std::string::npos);
    EXPECT_NE(html.find("<li>"), std::string::npos);
    EXPECT_NE(html.find("<a href=\"https://github.com/josemo\">GitHub</a>"), std::string::npos);
    const std::string lower = [&] {
        std::string s = html;
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    }();
    EXPECT_EQ(lower.find("<script"), std::string::npos);
    EXPECT_EQ(lower.find("<img"), std::string::npos);
    EXPECT_EQ(lower.find("javascript:"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    options.paper = docs::Paper::Letter;
    EXPECT_NE(docs::export_resume("t", "x", docs::Format::Html, options)
                  .bytes.find("@page { size: letter"),
              std::string::npos);
}

TEST(DocumentsMarkdown, TheContentAsIs) {
    const std::string md = std::string("# Title\r\n\n- a\x01 \xff\n");
    const docs::Document d = doc_export(md, docs::Format::Markdown);
    EXPECT_EQ(d.bytes, md);
    EXPECT_EQ(d.content_type, "text/markdown; charset=utf-8");
    EXPECT_EQ(d.extension, "md");
}

TEST(DocumentsJsonResume, TheFactsOfAKnownResume) {
    docs::ExportOptions options;
    options.last_modified = "2026-01-02T03:04:05.000000Z";
    const docs::Document d = docs::export_resume(
        "CV", resumate::offline::write_resume(kDocCareerInput), docs::Format::JsonResume, options);
    EXPECT_EQ(d.content_type, "application/json");
    EXPECT_EQ(d.extension, "json");
    const boost::json::object doc = boost::json::parse(d.bytes).as_object();
    EXPECT_EQ(doc.at("$schema"),
              "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json");
    const auto& basics = doc.at("basics").as_object();
    EXPECT_EQ(basics.at("name"), "Jane Doe");
    EXPECT_EQ(basics.at("email"), "jane.doe@example.com");
    EXPECT_EQ(basics.at("phone"), "+1 (415) 555-0134");
    std::map<std::string, std::string> profiles;
    for (const auto& p : basics.at("profiles").as_array()) {
        const auto& o = p.as_object();
        profiles[std::string(o.at("network").as_string())] = o.at("url").as_string();
        EXPECT_EQ(o.at("username"), "janedoe");
    }
    EXPECT_EQ(profiles["LinkedIn"], "https://www.linkedin.com/in/janedoe");
    EXPECT_EQ(profiles["GitHub"], "https://github.com/janedoe");

    const auto& work = doc.at("work").as_array();
    ASSERT_GE(work.size(), 2u);
    const auto& acme = work[0].as_object();
    EXPECT_EQ(acme.at("name"), "Acme Corp");
    EXPECT_EQ(acme.at("position"), "Senior Software Engineer");
    bool mentored = false;
    for (const auto& h : acme.at("highlights").as_array())
        mentored = mentored || std::string_view(h.as_string()).find("Mentored 5") == 0;
    EXPECT_TRUE(mentored) << d.bytes;
    EXPECT_EQ(work[1].as_object().at("name"), "Globex Corporation");
    // Dates, when stated, in the schema's form; a current role has no end.
    static const std::regex iso(R"(\d{4}(-\d{2}(-\d{2})?)?)");
    for (const auto& w : work) {
        for (const char* key : {"startDate", "endDate"}) {
            if (const auto* v = w.as_object().if_contains(key)) {
                EXPECT_TRUE(std::regex_match(std::string(v->as_string()), iso)) << *v;
            }
        }
    }
    EXPECT_FALSE(acme.contains("endDate"));

    bool toronto = false;
    for (const auto& e : doc.at("education").as_array())
        if (const auto* inst = e.as_object().if_contains("institution"))
            toronto = toronto || *inst == "University of Toronto";
    EXPECT_TRUE(toronto) << d.bytes;
    std::map<std::string, std::vector<std::string>> skills;
    for (const auto& s : doc.at("skills").as_array())
        for (const auto& k : s.as_object().at("keywords").as_array())
            skills[std::string(s.as_object().at("name").as_string())].emplace_back(k.as_string());
    ASSERT_TRUE(skills.contains("Languages")) << d.bytes;
    EXPECT_NE(std::find(skills["Languages"].begin(), skills["Languages"].end(), "C++"),
              skills["Languages"].end());
    ASSERT_FALSE(doc.at("certificates").as_array().empty());
    EXPECT_NE(
        std::string_view(doc.at("certificates").as_array()[0].as_object().at("name").as_string())
            .find("AWS Certified Solutions Architect"),
        std::string_view::npos);
    EXPECT_TRUE(doc.at("projects").is_array());
    EXPECT_EQ(doc.at("meta").as_object().at("lastModified"), "2026-01-02T03:04:05.000000Z");
}

TEST(DocumentsFileName, SafeFileNames) {
    EXPECT_EQ(docs::safe_file_name("Jane Doe CV"), "Jane Doe CV");
    EXPECT_EQ(docs::safe_file_name("Jane \"JD\" Doe's CV"), "Jane JD Doe s CV");
    EXPECT_EQ(docs::safe_file_name("../../etc/passwd"), "etc passwd");
    EXPECT_EQ(docs::safe_file_name("a\\b/c:d*e?f<g>h|i"), "a b c d e f g h i");
    EXPECT_EQ(docs::safe_file_name("CV\r\nSet-Cookie: x=1"), "CV Set-Cookie x=1");
    EXPECT_EQ(docs::safe_file_name("tab\there\x01\x7f"), "tab here");
    EXPECT_EQ(docs::safe_file_name("José Müller-Ørsted"), "José Müller-Ørsted");
    EXPECT_EQ(docs::safe_file_name("简历 2026"), "简历 2026");
    EXPECT_EQ(docs::safe_file_name("cv\u202Efdp.exe"), "cv fdp.exe");
    EXPECT_EQ(docs::safe_file_name("  spaced   out  "), "spaced out");
    EXPECT_EQ(docs::safe_file_name(".hidden."), "hidden");
    EXPECT_EQ(docs::safe_file_name(""), "resume");
    EXPECT_EQ(docs::safe_file_name("   "), "resume");
    EXPECT_EQ(docs::safe_file_name("\"/\\\r\n"), "resume");
    EXPECT_EQ(docs::safe_file_name("\xff\xfe"), "\xEF\xBF\xBD\xEF\xBF\xBD");
    const std::string long_name = docs::safe_file_name(std::string(150, 'a') + "é");
    EXPECT_EQ(long_name, std::string(100, 'a'));
    std::string cjk;
    for (int i = 0; i < 150; ++i) cjk += "简";
    EXPECT_EQ(docs::safe_file_name(cjk).size(), 300u);  // 100 characters of 3 bytes
}

TEST(DocumentsFileName, ContentDisposition) {
    EXPECT_EQ(docs::content_disposition("Jane Doe CV", "pdf"),
              "attachment; filename=\"Jane Doe CV.pdf\"");
    EXPECT_EQ(docs::content_disposition("José CV", "docx"),
              "attachment; filename=\"Jose CV.docx\"; filename*=UTF-8''Jos%C3%A9%20CV.docx");
    EXPECT_EQ(docs::content_disposition("简历", "pdf"),
              "attachment; filename=\"resume.pdf\"; filename*=UTF-8''%E7%AE%80%E5%8E%86.pdf");
    EXPECT_EQ(
        docs::content_disposition("王伟 Resume", "md"),
        "attachment; filename=\"Resume.md\"; filename*=UTF-8''%E7%8E%8B%E4%BC%9F%20Resume.md");
    EXPECT_EQ(docs::content_disposition("", "json"), "attachment; filename=\"resume.json\"");
    for (const char* hostile : {"a\"; filename=evil.exe", "x\r\nX-Injected: 1", "a\\\"b"}) {
        const std::string h = docs::content_disposition(hostile, "pdf");
        EXPECT_EQ(h.find_first_of("\r\n"), std::string::npos) << h;
        // Exactly the two quotes around the name.
        EXPECT_EQ(std::count(h.begin(), h.end(), '"'), 2) << h;
        EXPECT_EQ(h.find('\\'), std::string::npos) << h;
    }
}

}  // namespace

// A resume nested thousands deep (">" × 30,000 is a 30 KB body) was walked one stack frame per
// level and overflowed the stack of the CPU pool's thread: the whole server died on a PDF or
// DOCX export. Deeper than a few levels, the text now becomes one paragraph.
TEST(DocumentsNesting, DeepNestingIsTypesetNotAStackOverflow) {
    const std::vector<std::string> deep{
        std::string(30000, '>') + " deep quote",
        [] {
            std::string s;
            for (int i = 0; i < 100000; ++i) s += "- ";
            return s + "deep item";
        }(),
        [] {
            std::string s;
            for (int i = 0; i < 100000; ++i) s += "1. ";
            return s + "deep number";
        }(),
        [] {
            std::string s;
            for (int i = 0; i < 20000; ++i) s += "*a **b ";
            return s + "deep emphasis";
        }(),
    };
    for (const std::string& markdown : deep) {
        for (docs::Format f : {docs::Format::Pdf, docs::Format::Docx, docs::Format::Html}) {
            docs::Document d = doc_export("# Jane Doe\n\n" + markdown + "\n\nAfter it.\n", f);
            EXPECT_FALSE(d.bytes.empty());
            if (f == docs::Format::Pdf) {
                EXPECT_GE(d.pages, 1);
            }
        }
    }
    // What lies past the last level is still there, as text.
    docs::Document docx = doc_export(std::string(40, '>') + " still here", docs::Format::Docx);
    EXPECT_NE(doc_docx_text(doc_unzip(docx.bytes).at("word/document.xml")).find("still here"),
              std::string::npos);
}
