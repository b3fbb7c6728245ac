#include "documents/detail/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <utility>

#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace resumate::documents::detail {
namespace {

// GitHub's extensions the resumes use: bare URLs and e-mail addresses as links, ~~struck~~ text,
// tables. Registering them fills a process-wide registry of cmark-gfm's without a lock: once.
constexpr const char* kExtensions[] = {"autolink", "strikethrough", "table"};

void register_cmark_extensions() {
    static const bool registered = [] {
        cmark_gfm_core_extensions_ensure_registered();
        return true;
    }();
    (void)registered;
}

struct ParserFree {
    void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
    void operator()(cmark_node* n) const { cmark_node_free(n); }
};

// A parsed document. The parser stays alive: the HTML renderer needs its extensions.
struct MarkdownTree {
    std::unique_ptr<cmark_parser, ParserFree> parser;
    std::unique_ptr<cmark_node, NodeFree> root;
};

cmark_node* text_node(std::string_view text) {
    cmark_node* t = cmark_node_new(CMARK_NODE_TEXT);
    if (!t) throw std::bad_alloc();
    cmark_node_set_literal(t, std::string(text).c_str());
    return t;
}

std::string literal_of(cmark_node* n) {
    const char* s = cmark_node_get_literal(n);
    return s ? std::string(s) : std::string();
}

// The text of an inline node's descendants (an image's description).
std::string text_content(cmark_node* n) {
    std::string out;
    for (cmark_node* c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        switch (cmark_node_get_type(c)) {
            case CMARK_NODE_TEXT:
            case CMARK_NODE_CODE:
            case CMARK_NODE_HTML_INLINE:
                out += literal_of(c);
                break;
            case CMARK_NODE_SOFTBREAK:
            case CMARK_NODE_LINEBREAK:
                out += ' ';
                break;
            default:
                out += text_content(c);
        }
    }
    return out;
}

// Raw HTML becomes the text it is (no format interprets it, and the HTML export never passes a
// tag through); an image becomes its description (no file fetches anything).
void neutralize(cmark_node* root) {
    std::vector<cmark_node*> found;
    cmark_iter* it = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node* n = cmark_iter_get_node(it);
        const cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_IMAGE)
            found.push_back(n);
    }
    cmark_iter_free(it);
    // Inner nodes first: an image inside an image's description is replaced before its parent.
    for (auto i = found.rbegin(); i != found.rend(); ++i) {
        cmark_node* n = *i;
        switch (cmark_node_get_type(n)) {
            case CMARK_NODE_HTML_INLINE:
                cmark_node_insert_before(n, text_node(literal_of(n)));
                break;
            case CMARK_NODE_IMAGE:
                cmark_node_insert_before(n, text_node(text_content(n)));
                break;
            default: {  // an HTML block: a paragraph of its lines
                cmark_node* p = cmark_node_new(CMARK_NODE_PARAGRAPH);
                if (!p) throw std::bad_alloc();
                std::string html = literal_of(n);
                while (!html.empty() && html.back() == '\n') html.pop_back();
                bool first = true;
                for (const std::string& line : util::split(html, '\n')) {
                    if (!first) cmark_node_append_child(p, cmark_node_new(CMARK_NODE_LINEBREAK));
                    first = false;
                    cmark_node_append_child(p, text_node(line));
                }
                cmark_node_insert_before(n, p);
            }
        }
        cmark_node_free(n);
    }
}

MarkdownTree parse_tree(std::string_view markdown) {
    register_cmark_extensions();
    MarkdownTree tree;
    tree.parser.reset(cmark_parser_new(CMARK_OPT_VALIDATE_UTF8));
    if (!tree.parser) throw std::bad_alloc();
    for (const char* name : kExtensions) {
        if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(tree.parser.get(), ext);
    }
    const std::string clean = clean_text(markdown);
    cmark_parser_feed(tree.parser.get(), clean.data(), clean.size());
    tree.root.reset(cmark_parser_finish(tree.parser.get()));
    if (!tree.root) throw std::runtime_error("cmark-gfm could not parse the resume");
    neutralize(tree.root.get());
    return tree;
}

bool is_type(cmark_node* n, std::string_view name) {
    const char* t = cmark_node_get_type_string(n);
    return t && name == t;
}

// Percent-encodes what a link target may not hold raw in a PDF string or an XML attribute:
// bytes outside printable ASCII, spaces, quotes, backslashes, angle brackets.
std::string encode_link(std::string_view url) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : url) {
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '\\' || c == '<' || c == '>') {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

struct Style {
    bool bold = false;
    bool italic = false;
    bool code = false;
    bool strike = false;
    std::string link;
};

void add_run(std::vector<Inline>& out, std::string_view text, const Style& st) {
    std::string clean = clean_text(text);
    if (clean.empty()) return;
    if (!out.empty()) {
        Inline& last = out.back();
        if (last.bold == st.bold && last.italic == st.italic && last.code == st.code &&
            last.strike == st.strike && last.link == st.link) {
            last.text += clean;
            return;
        }
    }
    out.push_back({std::move(clean), st.bold, st.italic, st.code, st.strike, st.link});
}

// Nesting deeper than this (lists in lists, quotes in quotes, emphasis in links in emphasis…) is
// not walked: each level would be a stack frame, and a 30 KB resume of ">" nests 30,000 deep.
// What lies deeper becomes plain text at the last level. Resumes nest two or three levels.
constexpr int kMaxNesting = 8;

// The text of a subtree, read without recursion (cmark's iterator keeps its own stack); breaks
// and block ends become spaces.
std::string subtree_text(cmark_node* root) {
    std::string out;
    cmark_iter* it = cmark_iter_new(root);
    if (!it) throw std::bad_alloc();
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node* n = cmark_iter_get_node(it);
        const cmark_node_type type = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER &&
            (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_CODE_BLOCK ||
             type == CMARK_NODE_HTML_INLINE)) {
            out += literal_of(n);
        } else if ((ev == CMARK_EVENT_EXIT ||
                    (ev == CMARK_EVENT_ENTER &&
                     (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK))) &&
                   !out.empty() && out.back() != ' ') {
            out += ' ';
        }
    }
    cmark_iter_free(it);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

void collect_inlines(cmark_node* parent, const Style& st, std::vector<Inline>& out,
                     int nesting = 0) {
    if (nesting > kMaxNesting) {
        add_run(out, subtree_text(parent), st);
        return;
    }
    for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        Style s = st;
        switch (cmark_node_get_type(n)) {
            case CMARK_NODE_TEXT:
            case CMARK_NODE_HTML_INLINE:
                add_run(out, literal_of(n), st);
                break;
            case CMARK_NODE_SOFTBREAK:
                add_run(out, " ", st);
                break;
            case CMARK_NODE_LINEBREAK:
                add_run(out, "\n", st);
                break;
            case CMARK_NODE_CODE:
                s.code = true;
                add_run(out, literal_of(n), s);
                break;
            case CMARK_NODE_EMPH:
                s.italic = true;
                collect_inlines(n, s, out, nesting + 1);
                break;
            case CMARK_NODE_STRONG:
                s.bold = true;
                collect_inlines(n, s, out, nesting + 1);
                break;
            case CMARK_NODE_LINK: {
                const char* url = cmark_node_get_url(n);
                s.link = url && is_safe_link(url) ? encode_link(url) : std::string();
                collect_inlines(n, s, out, nesting + 1);
                break;
            }
            default:
                if (is_type(n, "strikethrough")) s.strike = true;
                collect_inlines(n, s, out, nesting + 1);
        }
    }
}

std::vector<Inline> inlines_of(cmark_node* n) {
    std::vector<Inline> out;
    collect_inlines(n, Style{}, out);
    // A paragraph's last line break means nothing.
    while (!out.empty() && !out.back().text.empty() && out.back().text.back() == '\n') {
        out.back().text.pop_back();
        if (out.back().text.empty()) out.pop_back();
    }
    return out;
}

// Where the blocks being flattened sit: list depth, quote depth, and the list item whose
// marker the next block carries.
struct Place {
    int depth = 0;
    int quote = 0;
    bool item_pending = false;
    bool ordered = false;
    int number = 0;
    int list = 0;
};

class Flattener {
  public:
    std::vector<Block> blocks;

    void walk(cmark_node* parent, Place& at, int nesting = 0) {
        if (nesting > kMaxNesting) {
            std::vector<Inline> text;
            add_run(text, subtree_text(parent), Style{});
            push(BlockKind::Paragraph, std::move(text), at);
            return;
        }
        for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
            const cmark_node_type type = cmark_node_get_type(n);
            if (type == CMARK_NODE_PARAGRAPH) {
                push(BlockKind::Paragraph, inlines_of(n), at);
            } else if (type == CMARK_NODE_HEADING) {
                take_marker(at);
                Block b;
                b.kind = BlockKind::Heading;
                b.level = cmark_node_get_heading_level(n);
                b.quote = at.quote;
                b.inlines = inlines_of(n);
                blocks.push_back(std::move(b));
            } else if (type == CMARK_NODE_LIST) {
                take_marker(at);
                const int id = ++lists_;
                const bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
                int number = cmark_node_get_list_start(n);
                for (cmark_node* item = cmark_node_first_child(n); item;
                     item = cmark_node_next(item)) {
                    Place in = at;
                    in.depth = at.depth + 1;
                    in.item_pending = true;
                    in.ordered = ordered;
                    in.number = number++;
                    in.list = id;
                    walk(item, in, nesting + 1);
                    take_marker(in);  // an empty item still shows its marker
                }
            } else if (type == CMARK_NODE_CODE_BLOCK) {
                take_marker(at);
                std::string code = literal_of(n);
                while (!code.empty() && code.back() == '\n') code.pop_back();
                Block b;
                b.kind = BlockKind::CodeBlock;
                b.level = at.depth;
                b.quote = at.quote;
                Inline run;
                run.text = clean_text(code);
                run.code = true;
                b.inlines.push_back(std::move(run));
                blocks.push_back(std::move(b));
            } else if (type == CMARK_NODE_THEMATIC_BREAK) {
                take_marker(at);
                Block b;
                b.kind = BlockKind::Rule;
                blocks.push_back(std::move(b));
            } else if (type == CMARK_NODE_BLOCK_QUOTE) {
                Place in = at;
                ++in.quote;
                walk(n, in, nesting + 1);
                at.item_pending = in.item_pending;
            } else if (is_type(n, "table")) {
                take_marker(at);
                table(n, at);
            } else {
                walk(n, at, nesting + 1);
            }
        }
    }

  private:
    int lists_ = 0;

    // A paragraph, or a list item's first paragraph (with the marker) or a later one.
    void push(BlockKind kind, std::vector<Inline> inlines, Place& at) {
        Block b;
        b.kind = kind;
        b.level = at.depth;
        b.quote = at.quote;
        if (at.depth > 0) {
            b.kind = BlockKind::ListItem;
            b.marker = at.item_pending;
            b.ordered = at.ordered;
            b.number = at.number;
            b.list = at.list;
            at.item_pending = false;
        }
        b.inlines = std::move(inlines);
        blocks.push_back(std::move(b));
    }

    // A list item that opens with something other than a paragraph: its marker on a line of its
    // own first.
    void take_marker(Place& at) {
        if (at.item_pending) push(BlockKind::Paragraph, {}, at);
    }

    // A table: one paragraph per row, its cells separated by " | ", the header row bold.
    void table(cmark_node* t, Place& at) {
        for (cmark_node* row = cmark_node_first_child(t); row; row = cmark_node_next(row)) {
            const bool header = cmark_gfm_extensions_get_table_row_is_header(row) != 0;
            std::vector<Inline> runs;
            Style st;
            st.bold = header;
            bool first = true;
            for (cmark_node* cell = cmark_node_first_child(row); cell;
                 cell = cmark_node_next(cell)) {
                if (!first) add_run(runs, " | ", st);
                first = false;
                std::vector<Inline> cell_runs;
                collect_inlines(cell, st, cell_runs);
                for (Inline& r : cell_runs) {
                    Style cs{r.bold, r.italic, r.code, r.strike, r.link};
                    add_run(runs, r.text, cs);
                }
            }
            push(BlockKind::Paragraph, std::move(runs), at);
            blocks.back().header_row = header;
        }
    }
};

}  // namespace

std::string clean_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            if (c == '\r') {
                if (i < text.size() && text[i] == '\n') ++i;
                out += '\n';
            } else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f)) {
                out += static_cast<char>(c);
            }
            continue;
        }
        const util::DecodedChar d = util::decode_utf8_char(text, i);
        if (d.len == 0) {
            util::append_utf8(out, util::kReplacementChar);
            ++i;
            continue;
        }
        if (!(d.cp >= 0x80 && d.cp <= 0x9f) && d.cp != 0xfffe && d.cp != 0xffff)
            out.append(text.substr(i, d.len));
        i += d.len;
    }
    return out;
}

bool is_safe_link(std::string_view url) {
    const std::string lower = util::to_lower_ascii(util::trim(url).substr(0, 8));
    return lower.starts_with("http://") || lower.starts_with("https://") ||
           lower.starts_with("mailto:") || lower.starts_with("tel:");
}

std::vector<Block> parse_markdown(std::string_view markdown) {
    MarkdownTree tree = parse_tree(markdown);
    Flattener f;
    Place top;
    f.walk(tree.root.get(), top);
    return std::move(f.blocks);
}

std::string plain_text(const std::vector<Inline>& inlines) {
    std::string out;
    for (const Inline& r : inlines) out += r.text;
    return out;
}

std::string markdown_to_html(std::string_view markdown) {
    MarkdownTree tree = parse_tree(markdown);
    // Safe mode (no CMARK_OPT_UNSAFE): raw HTML, already text here, and javascript:, vbscript:,
    // file: and data: links never reach the page.
    char* html = cmark_render_html(tree.root.get(), CMARK_OPT_DEFAULT,
                                   cmark_parser_get_syntax_extensions(tree.parser.get()));
    if (!html) throw std::bad_alloc();
    std::string out(html);
    std::free(html);
    return out;
}

}  // namespace resumate::documents::detail
