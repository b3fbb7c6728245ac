// The DOCX: the smallest WordprocessingML package Word and LibreOffice open — content types,
// relationships, the document, its styles (Heading1–4, ListBullet, ListNumber, Quote, Code,
// Hyperlink), the numbering of its lists and the core properties — zipped in memory by libzip.
#include <zip.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "documents/detail/writers.hpp"
#include "util/utf8.hpp"

namespace resumate::documents::detail {
namespace {

constexpr std::string_view kXmlHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kWordNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
constexpr std::string_view kRelHyperlink =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";

// Characters XML 1.0 allows (tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD,
// U+10000–U+10FFFF), escaped for text and attribute values alike; invalid UTF-8 becomes U+FFFD.
std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (size_t i = 0; i < s.size();) {
        const util::DecodedChar d = util::decode_utf8_char(s, i);
        if (d.len == 0) {
            util::append_utf8(out, util::kReplacementChar);
            ++i;
            continue;
        }
        const char32_t c = d.cp;
        const bool allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
                             (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
        if (allowed) {
            switch (c) {
                case '&':
                    out += "&amp;";
                    break;
                case '<':
                    out += "&lt;";
                    break;
                case '>':
                    out += "&gt;";
                    break;
                case '"':
                    out += "&quot;";
                    break;
                case '\'':
                    out += "&apos;";
                    break;
                default:
                    out.append(s.substr(i, d.len));
            }
        }
        i += d.len;
    }
    return out;
}

struct Twips {
    int width;
    int height;
};
// 15 mm side margins, 13 mm top and bottom, as the PDF.
constexpr int kDocxSideMargin = 850;
constexpr int kDocxTopMargin = 737;

class DocxBody {
  public:
    std::string xml;
    // Hyperlink targets by relationship id (rId3, rId4, …: rId1 and rId2 are styles and
    // numbering).
    std::map<std::string, std::string> links;  // target -> id
    // Ordered lists: list id -> (numId, level, start).
    struct Numbered {
        int num_id;
        int level;
        int start;
    };
    std::vector<Numbered> numbered;

    void block(const Block& b) {
        xml += "<w:p><w:pPr>";
        int ind_left = -1;
        switch (b.kind) {
            case BlockKind::Heading:
                xml += "<w:pStyle w:val=\"Heading" + std::to_string(std::min(b.level, 4)) + "\"/>";
                break;
            case BlockKind::ListItem:
                if (b.marker) {
                    xml += b.ordered ? "<w:pStyle w:val=\"ListNumber\"/>"
                                     : "<w:pStyle w:val=\"ListBullet\"/>";
                    xml += "<w:numPr><w:ilvl w:val=\"" + std::to_string(std::min(b.level, 9) - 1) +
                           "\"/><w:numId w:val=\"" + std::to_string(b.ordered ? num_id_for(b) : 1) +
                           "\"/></w:numPr>";
                } else {
                    xml += "<w:pStyle w:val=\"ListContinue\"/>";
                    ind_left = 284 * std::min(b.level, 9);
                }
                break;
            case BlockKind::CodeBlock:
                xml += "<w:pStyle w:val=\"Code\"/>";
                if (b.level > 0) ind_left = 284 * std::min(b.level, 9);
                break;
            case BlockKind::Rule:
                xml +=
                    "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" "
                    "w:color=\"A0A8B4\"/></w:pBdr>";
                break;
            case BlockKind::Paragraph:
                if (b.quote > 0) xml += "<w:pStyle w:val=\"Quote\"/>";
                if (b.quote > 1) ind_left = 284 * std::min(b.quote, 9);
                break;
        }
        if (ind_left >= 0) xml += "<w:ind w:left=\"" + std::to_string(ind_left) + "\"/>";
        xml += "</w:pPr>";
        for (const Inline& run : b.inlines) this->run(run, b.header_row);
        xml += "</w:p>";
    }

  private:
    std::map<int, int> num_ids_;  // list id -> numId

    int num_id_for(const Block& b) {
        auto [it, added] = num_ids_.try_emplace(b.list, static_cast<int>(num_ids_.size()) + 2);
        if (added) numbered.push_back({it->second, std::min(b.level, 9) - 1, b.number});
        return it->second;
    }

    void run(const Inline& r, bool bold_row) {
        std::string props;
        if (!r.link.empty()) props += "<w:rStyle w:val=\"Hyperlink\"/>";
        if (r.code)
            props +=
                "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/>";
        if (r.bold || bold_row) props += "<w:b/><w:bCs/>";
        if (r.italic) props += "<w:i/><w:iCs/>";
        if (r.strike) props += "<w:strike/>";
        std::string runs;
        // Line breaks and tabs are elements of their own between pieces of text.
        std::string piece;
        auto flush = [&] {
            if (piece.empty()) return;
            runs += "<w:t xml:space=\"preserve\">" + xml_escape(piece) + "</w:t>";
            piece.clear();
        };
        for (char c : r.text) {
            if (c == '\n') {
                flush();
                runs += "<w:br/>";
            } else if (c == '\t') {
                flush();
                runs += "<w:tab/>";
            } else {
                piece += c;
            }
        }
        flush();
        if (runs.empty()) return;
        std::string element = "<w:r>";
        if (!props.empty()) element += "<w:rPr>" + props + "</w:rPr>";
        element += runs + "</w:r>";
        if (r.link.empty()) {
            xml += element;
            return;
        }
        auto [it, added] = links.try_emplace(r.link, "rId" + std::to_string(links.size() + 3));
        xml += "<w:hyperlink r:id=\"" + it->second + "\" w:history=\"1\">" + element +
               "</w:hyperlink>";
    }
};

std::string document_xml(const std::string& body, Paper paper) {
    const Twips page = paper == Paper::Letter ? Twips{12240, 15840} : Twips{11906, 16838};
    std::string xml(kXmlHead);
    xml += "<w:document ";
    xml += kWordNs;
    xml += "><w:body>";
    xml += body;
    xml += "<w:sectPr><w:pgSz w:w=\"" + std::to_string(page.width) + "\" w:h=\"" +
           std::to_string(page.height) + "\"/><w:pgMar w:top=\"" + std::to_string(kDocxTopMargin) +
           "\" w:right=\"" + std::to_string(kDocxSideMargin) + "\" w:bottom=\"" +
           std::to_string(kDocxTopMargin) + "\" w:left=\"" + std::to_string(kDocxSideMargin) +
           "\" w:header=\"0\" w:footer=\"0\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>";
    return xml;
}

std::string styles_xml() {
    std::string xml(kXmlHead);
    xml += "<w:styles ";
    xml += kWordNs;
    xml +=
        R"(><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Microsoft YaHei" w:cs="Calibri"/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="252" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>)"
        R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>)"
        R"(<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="60"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="34"/><w:szCs w:val="34"/></w:rPr></w:style>)"
        R"(<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="A0A8B4"/></w:pBdr><w:spacing w:before="160" w:after="60"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="17325F"/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>)"
        R"(<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="100" w:after="20"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>)"
        R"(<w:style w:type="paragraph" w:styleId="Heading4"><w:name w:val="heading 4"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="80" w:after="20"/><w:outlineLvl w:val="3"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>)"
        R"(<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="36"/><w:unhideWhenUsed/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="20"/></w:pPr></w:style>)"
        R"(<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="36"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="20"/></w:pPr></w:style>)"
        R"(<w:style w:type="paragraph" w:styleId="ListContinue"><w:name w:val="List Continue"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="20"/><w:ind w:left="284"/></w:pPr></w:style>)"
        R"(<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="29"/><w:qFormat/><w:pPr><w:ind w:left="284"/></w:pPr><w:rPr><w:i/><w:iCs/><w:color w:val="4D4D4D"/></w:rPr></w:style>)"
        R"(<w:style w:type="paragraph" w:styleId="Code"><w:name w:val="Code"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:pPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/><w:spacing w:after="80" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>)"
        R"(<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="0B57C7"/><w:u w:val="single"/></w:rPr></w:style>)"
        R"(</w:styles>)";
    return xml;
}

std::string numbering_xml(const std::vector<DocxBody::Numbered>& numbered) {
    static constexpr const char* kBulletGlyphs[] = {"•", "◦", "▪"};
    std::string xml(kXmlHead);
    xml += "<w:numbering ";
    xml += kWordNs;
    xml += ">";
    for (int abstract = 0; abstract < 2; ++abstract) {
        xml += "<w:abstractNum w:abstractNumId=\"" + std::to_string(abstract) +
               "\"><w:multiLevelType w:val=\"hybridMultilevel\"/>";
        for (int lvl = 0; lvl < 9; ++lvl) {
            xml += "<w:lvl w:ilvl=\"" + std::to_string(lvl) + "\"><w:start w:val=\"1\"/>";
            if (abstract == 0) {
                xml += "<w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"";
                xml += kBulletGlyphs[lvl % 3];
                xml += "\"/>";
            } else {
                xml += "<w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%" +
                       std::to_string(lvl + 1) + ".\"/>";
            }
            xml += "<w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"" +
                   std::to_string(284 * (lvl + 1)) + "\" w:hanging=\"" +
                   std::to_string(abstract == 0 ? 227 : 284) + "\"/></w:pPr>";
            if (abstract == 0)
                xml += "<w:rPr><w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\"/></w:rPr>";
            xml += "</w:lvl>";
        }
        xml += "</w:abstractNum>";
    }
    xml += "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>";
    // Each ordered list numbers from its own start.
    for (const DocxBody::Numbered& n : numbered) {
        xml += "<w:num w:numId=\"" + std::to_string(n.num_id) +
               "\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"" +
               std::to_string(n.level) + "\"><w:startOverride w:val=\"" + std::to_string(n.start) +
               "\"/></w:lvlOverride></w:num>";
    }
    xml += "</w:numbering>";
    return xml;
}

std::string document_rels(const std::map<std::string, std::string>& links) {
    std::string xml(kXmlHead);
    xml +=
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
        "Target=\"styles.xml\"/>"
        "<Relationship Id=\"rId2\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" "
        "Target=\"numbering.xml\"/>";
    for (const auto& [target, id] : links) {
        xml += "<Relationship Id=\"" + id + "\" Type=\"";
        xml += kRelHyperlink;
        xml += "\" Target=\"" + xml_escape(target) + "\" TargetMode=\"External\"/>";
    }
    xml += "</Relationships>";
    return xml;
}

std::string content_types_xml() {
    std::string xml(kXmlHead);
    xml +=
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" "
        "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        "<Override PartName=\"/word/styles.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/"
        ">"
        "<Override PartName=\"/word/numbering.xml\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>"
        "<Override PartName=\"/docProps/core.xml\" "
        "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        "</Types>";
    return xml;
}

std::string package_rels() {
    std::string xml(kXmlHead);
    xml +=
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "officeDocument\" Target=\"word/document.xml\"/>"
        "<Relationship Id=\"rId2\" "
        "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
        "core-properties\" Target=\"docProps/core.xml\"/>"
        "</Relationships>";
    return xml;
}

std::string core_xml(std::string_view title) {
    std::string xml(kXmlHead);
    xml +=
        "<cp:coreProperties "
        "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>";
    xml += xml_escape(clean_text(title));
    xml += "</dc:title><dc:creator>ResuMate</dc:creator></cp:coreProperties>";
    return xml;
}

struct ZipSourceFree {
    void operator()(zip_source_t* s) const { zip_source_free(s); }
};

// The parts zipped in memory, in order ([Content_Types].xml first, as Office writes it).
std::string zip_parts(const std::vector<std::pair<const char*, std::string>>& parts) {
    zip_error_t error;
    zip_error_init(&error);
    std::unique_ptr<zip_source_t, ZipSourceFree> buffer(
        zip_source_buffer_create(nullptr, 0, 0, &error));
    if (!buffer) throw std::runtime_error("libzip: cannot create a buffer");
    // The archive frees its source when closed: keep the buffer for reading afterwards.
    zip_source_keep(buffer.get());
    zip_t* archive = zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error);
    if (!archive) {
        zip_source_free(buffer.get());  // the reference kept for the archive
        zip_error_fini(&error);
        throw std::runtime_error("libzip: cannot open an archive in memory");
    }
    for (const auto& [name, data] : parts) {
        zip_source_t* s = zip_source_buffer(archive, data.data(), data.size(), 0);
        const zip_int64_t index = s ? zip_file_add(archive, name, s, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0) {
            if (s) zip_source_free(s);
            zip_discard(archive);
            throw std::runtime_error("libzip: cannot add a part");
        }
        // A fixed date (1980-01-01, DOS time zero): the same resume makes the same bytes.
        zip_file_set_dostime(archive, static_cast<zip_uint64_t>(index), 0, 0x21, 0);
    }
    if (zip_close(archive) < 0) {
        zip_discard(archive);
        throw std::runtime_error("libzip: cannot write the archive");
    }
    zip_source_t* src = buffer.get();
    std::string out;
    if (zip_source_open(src) < 0) throw std::runtime_error("libzip: cannot read the archive");
    zip_source_seek(src, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    if (size > 0) {
        out.resize(static_cast<size_t>(size));
        if (zip_source_read(src, out.data(), static_cast<zip_uint64_t>(size)) != size) {
            zip_source_close(src);
            throw std::runtime_error("libzip: short read of the archive");
        }
    }
    zip_source_close(src);
    zip_error_fini(&error);
    return out;
}

}  // namespace

std::string write_docx(std::string_view title, const std::vector<Block>& blocks, Paper paper) {
    DocxBody body;
    for (const Block& b : blocks) body.block(b);
    std::vector<std::pair<const char*, std::string>> parts;
    parts.emplace_back("[Content_Types].xml", content_types_xml());
    parts.emplace_back("_rels/.rels", package_rels());
    parts.emplace_back("docProps/core.xml", core_xml(title));
    parts.emplace_back("word/document.xml", document_xml(body.xml, paper));
    parts.emplace_back("word/styles.xml", styles_xml());
    parts.emplace_back("word/numbering.xml", numbering_xml(body.numbered));
    parts.emplace_back("word/_rels/document.xml.rels", document_rels(body.links));
    return zip_parts(parts);
}

}  // namespace resumate::documents::detail
