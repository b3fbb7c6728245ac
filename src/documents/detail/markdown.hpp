#pragma once
// The Markdown of a resume as the writers of documents/ see it: cmark-gfm's tree flattened into
// a list of blocks (headings, paragraphs, list items, code, rules) of styled runs of text.
// Private to documents/.
#include <string>
#include <string_view>
#include <vector>

namespace resumate::documents::detail {

// A run of text with one style. Text is clean (see clean_text); "\n" is a hard line break.
struct Inline {
    std::string text;
    bool bold = false;
    bool italic = false;
    bool code = false;
    bool strike = false;
    std::string link;  // an http(s), mailto or tel target; empty when the run is no link
};

enum class BlockKind { Heading, Paragraph, ListItem, CodeBlock, Rule };

struct Block {
    BlockKind kind = BlockKind::Paragraph;
    int level = 0;  // Heading: 1–6. ListItem and Paragraph: list nesting depth (0 = none)
    // ListItem: the item opens with its marker; false for the item's later paragraphs.
    bool marker = true;
    bool ordered = false;     // ListItem
    int number = 0;           // ListItem of an ordered list: its number
    int list = 0;             // ListItem: which list it belongs to (1, 2, …; numbering per list)
    int quote = 0;            // block quote depth
    bool header_row = false;  // Paragraph made of a table's header row
    std::vector<Inline> inlines;  // CodeBlock: one run, the code
};

std::vector<Block> parse_markdown(std::string_view markdown);

// The blocks' text without styles (for tests and plain-text needs): runs joined, blocks on lines.
std::string plain_text(const std::vector<Inline>& inlines);

// The text documents carry: valid UTF-8 (each invalid byte becomes U+FFFD), line ends as "\n",
// tabs kept, every other C0 and C1 control character, DEL and the non-characters U+FFFE/U+FFFF
// removed — so it is also valid XML 1.0 character data.
std::string clean_text(std::string_view text);

// The Markdown as an HTML fragment by cmark-gfm's renderer in its safe mode: raw HTML is shown as
// text (never passed through), dangerous link schemes are dropped, images become their text.
std::string markdown_to_html(std::string_view markdown);

// True for the link targets the documents keep as links: http, https, mailto, tel.
bool is_safe_link(std::string_view url);

}  // namespace resumate::documents::detail
