// The PDF: each block is a Pango layout, drawn line by line on a Cairo PDF surface so that a
// page can end between any two lines. Compact resume typography (9.5 pt DejaVu Sans, 15 mm side
// margins): the offline writer's one-page resume stays on one A4 or Letter page.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "documents/detail/writers.hpp"
#include "util/utf8.hpp"

namespace resumate::documents::detail {
namespace {

// fontconfig picks DejaVu for Latin, Greek and Cyrillic; WenQuanYi Micro Hei for CJK; Pango
// falls back per character beyond these.
constexpr const char* kSansFamily = "DejaVu Sans,WenQuanYi Micro Hei";
constexpr const char* kMonoFamily = "DejaVu Sans Mono,WenQuanYi Micro Hei Mono";

constexpr double kMm = 72.0 / 25.4;
constexpr double kSideMargin = 15 * kMm;
constexpr double kTopMargin = 13 * kMm;
constexpr double kBottomMargin = 13 * kMm;
constexpr double kBodySize = 9.5;
constexpr double kCodeSize = 8.5;
constexpr double kListIndent = 12;  // per nesting level
constexpr double kQuoteIndent = 10;

struct Rgb {
    double r, g, b;
};
constexpr Rgb kTextColor{0.10, 0.10, 0.10};
constexpr Rgb kHeadingColor{0.09, 0.20, 0.38};
constexpr Rgb kQuoteColor{0.30, 0.30, 0.30};
constexpr Rgb kRuleColor{0.62, 0.66, 0.72};
constexpr Rgb kCodeBackground{0.95, 0.95, 0.95};
constexpr Rgb kLinkColor{0.04, 0.34, 0.78};

struct SurfaceFree {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoFree {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectFree {
    void operator()(void* o) const { g_object_unref(o); }
};
struct FontFree {
    void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
struct AttrListFree {
    void operator()(PangoAttrList* a) const { pango_attr_list_unref(a); }
};
struct LayoutIterFree {
    void operator()(PangoLayoutIter* i) const { pango_layout_iter_free(i); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectFree>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontFree>;

// Numbers for Cairo's tag attributes, whatever the process locale.
std::string pdf_number(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
    return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

guint16 channel(double v) {
    return static_cast<guint16>(std::clamp(v, 0.0, 1.0) * 65535);
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

Inline text_run(std::string text) {
    Inline run;
    run.text = std::move(text);
    return run;
}

struct LinkSpan {
    int start;  // byte range in the layout's text
    int end;
    std::string uri;  // already percent-encoded: no quote or backslash
};

// A block's text as Pango lays it out, with where it goes.
struct Laid {
    LayoutPtr layout;
    std::string text;
    std::vector<LinkSpan> links;
    double x = 0;  // the text's left edge
    Rgb color = kTextColor;
    double height = 0;
    int lines = 0;
};

struct BlockStyle {
    double size = kBodySize;
    bool bold = false;
    Rgb color = kTextColor;
    double before = 0;  // space above; collapses with the previous block's `after`
    double after = 3.5;
};

BlockStyle style_of(const Block& b, const Block* next) {
    BlockStyle s;
    switch (b.kind) {
        case BlockKind::Heading:
            s.bold = true;
            if (b.level == 1) {
                s = {17, true, kTextColor, 0, 3};
            } else if (b.level == 2) {
                s = {11, true, kHeadingColor, 8, 3};
            } else if (b.level == 3) {
                s = {10, true, kTextColor, 5, 1};
            } else {
                s = {kBodySize, true, kTextColor, 4, 1};
            }
            break;
        case BlockKind::ListItem:
            s.after = next && next->kind == BlockKind::ListItem ? 1.5 : 4;
            break;
        case BlockKind::CodeBlock:
            s.size = kCodeSize;
            s.before = 2;
            s.after = 4;
            break;
        case BlockKind::Rule:
            s.before = 3;
            s.after = 5;
            break;
        case BlockKind::Paragraph:
            if (b.header_row) s.bold = true;
            if (next && next->kind == BlockKind::Paragraph && (b.header_row || next->header_row))
                s.after = 1.5;  // table rows stay together
            break;
    }
    if (b.quote > 0 && b.kind != BlockKind::Heading) s.color = kQuoteColor;
    return s;
}

class PdfTypesetter {
  public:
    PdfTypesetter(std::string_view title, Paper paper, std::string& out)
        : width_(paper == Paper::Letter ? 612.0 : 595.2756),
          height_(paper == Paper::Letter ? 792.0 : 841.8898) {
        surface_.reset(
            cairo_pdf_surface_create_for_stream(append_to_string, &out, width_, height_));
        check(cairo_surface_status(surface_.get()));
        const std::string clean_title = clean_text(title);
        cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_TITLE,
                                       clean_title.c_str());
        cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, "ResuMate");
        cr_.reset(cairo_create(surface_.get()));
        check(cairo_status(cr_.get()));
        context_.reset(pango_cairo_create_context(cr_.get()));
        // Points are the surface's units: 1 pt of font size is 1 unit (Pango assumes 96 dpi).
        pango_cairo_context_set_resolution(context_.get(), 72);
        y_ = kTopMargin;
    }

    void typeset(const std::vector<Block>& blocks) {
        for (size_t i = 0; i < blocks.size(); ++i) {
            const Block* next = i + 1 < blocks.size() ? &blocks[i + 1] : nullptr;
            block(blocks[i], next);
        }
    }

    int finish() {
        cr_.reset();
        cairo_surface_finish(surface_.get());
        check(cairo_surface_status(surface_.get()));
        return pages_;
    }

  private:
    double width_;
    double height_;
    std::unique_ptr<cairo_surface_t, SurfaceFree> surface_;
    std::unique_ptr<cairo_t, CairoFree> cr_;
    std::unique_ptr<PangoContext, GObjectFree> context_;
    double y_ = 0;
    double pending_space_ = 0;  // the space owed below the last block
    bool page_used_ = false;
    int pages_ = 1;

    static void check(cairo_status_t status) {
        if (status != CAIRO_STATUS_SUCCESS)
            throw std::runtime_error(std::string("cairo: ") + cairo_status_to_string(status));
    }

    double left() const { return kSideMargin; }
    double right() const { return width_ - kSideMargin; }
    double bottom() const { return height_ - kBottomMargin; }

    void new_page() {
        cairo_show_page(cr_.get());
        ++pages_;
        y_ = kTopMargin;
        pending_space_ = 0;
        page_used_ = false;
    }

    // Space above the next block: the larger of what the last one owes and what this one
    // asks; none at the top of a page.
    void open_block(double before) {
        if (page_used_) y_ += std::max(pending_space_, before);
        pending_space_ = 0;
    }

    // Starts a new page unless `height` fits below y_ (a page that holds nothing yet takes it
    // whatever its height).
    void need(double height) {
        if (page_used_ && y_ + height > bottom()) new_page();
    }

    FontPtr font(double size, bool mono) const {
        FontPtr f(pango_font_description_new());
        pango_font_description_set_family(f.get(), mono ? kMonoFamily : kSansFamily);
        pango_font_description_set_size(f.get(), static_cast<gint>(size * PANGO_SCALE));
        return f;
    }

    Laid lay_out(const std::vector<Inline>& runs, double x, double width, const BlockStyle& st,
                 bool mono) {
        Laid laid;
        laid.x = x;
        laid.color = st.color;
        laid.layout.reset(pango_layout_new(context_.get()));
        PangoLayout* layout = laid.layout.get();
        FontPtr f = font(st.size, mono);
        if (st.bold) pango_font_description_set_weight(f.get(), PANGO_WEIGHT_BOLD);
        pango_layout_set_font_description(layout, f.get());
        pango_layout_set_width(layout, static_cast<int>(std::max(width, 20.0) * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
        std::unique_ptr<PangoAttrList, AttrListFree> attrs(pango_attr_list_new());
        auto add = [&](PangoAttribute* a, size_t start, size_t end) {
            a->start_index = static_cast<guint>(start);
            a->end_index = static_cast<guint>(end);
            pango_attr_list_insert(attrs.get(), a);
        };
        for (const Inline& run : runs) {
            const size_t start = laid.text.size();
            laid.text += run.text;
            const size_t end = laid.text.size();
            if (run.bold && !st.bold) add(pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
            if (run.italic) add(pango_attr_style_new(PANGO_STYLE_ITALIC), start, end);
            if (run.strike) add(pango_attr_strikethrough_new(TRUE), start, end);
            if (run.code && !mono) {
                add(pango_attr_family_new(kMonoFamily), start, end);
                add(pango_attr_scale_new(0.92), start, end);
            }
            if (!run.link.empty()) {
                add(pango_attr_foreground_new(channel(kLinkColor.r), channel(kLinkColor.g),
                                              channel(kLinkColor.b)),
                    start, end);
                laid.links.push_back({static_cast<int>(start), static_cast<int>(end), run.link});
            }
        }
        pango_layout_set_text(layout, laid.text.data(), static_cast<int>(laid.text.size()));
        pango_layout_set_attributes(layout, attrs.get());
        PangoRectangle logical;
        pango_layout_get_extents(layout, nullptr, &logical);
        laid.height = static_cast<double>(logical.height) / PANGO_SCALE;
        laid.lines = pango_layout_get_line_count(layout);
        return laid;
    }

    // The x of a byte index within a line, from the page's left edge.
    double index_x(const Laid& laid, PangoLayoutLine* line, double line_left, int index,
                   bool trailing) {
        if (trailing) {
            index = static_cast<int>(
                util::utf8_char_start(laid.text, static_cast<size_t>(std::max(index - 1, 0))));
        }
        int x = 0;
        pango_layout_line_index_to_x(line, index, trailing ? TRUE : FALSE, &x);
        return line_left + static_cast<double>(x) / PANGO_SCALE;
    }

    // Draws the layout's lines from y_, starting a page where one does not fit. Before each
    // line, on its page, `per_line(top, height, baseline, first)` draws what goes with it (a code
    // block's shading, a quote's bar, a list item's marker, a heading's outline entry).
    template <typename PerLine>
    void flow(const Laid& laid, PerLine per_line) {
        cairo_t* cr = cr_.get();
        std::unique_ptr<PangoLayoutIter, LayoutIterFree> it(
            pango_layout_get_iter(laid.layout.get()));
        bool first = true;
        do {
            PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it.get());
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it.get(), nullptr, &logical);
            const double h = static_cast<double>(logical.height) / PANGO_SCALE;
            need(h);
            const double baseline =
                static_cast<double>(pango_layout_iter_get_baseline(it.get()) - logical.y) /
                PANGO_SCALE;
            per_line(y_, h, y_ + baseline, first);
            first = false;
            const double line_left = laid.x + static_cast<double>(logical.x) / PANGO_SCALE;
            cairo_set_source_rgb(cr, laid.color.r, laid.color.g, laid.color.b);
            cairo_move_to(cr, line_left, y_ + baseline);
            pango_cairo_show_layout_line(cr, line);
            const int line_start = line->start_index;
            const int line_end = line->start_index + line->length;
            for (const LinkSpan& link : laid.links) {
                const int s = std::max(link.start, line_start);
                const int e = std::min(link.end, line_end);
                if (s >= e) continue;
                double x0 = index_x(laid, line, line_left, s, false);
                double x1 = index_x(laid, line, line_left, e, true);
                if (x1 < x0) std::swap(x0, x1);
                const std::string attrs = "rect=[" + pdf_number(x0) + " " + pdf_number(y_) + " " +
                                          pdf_number(x1 - x0) + " " + pdf_number(h) + "] uri='" +
                                          link.uri + "'";
                cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs.c_str());
                cairo_tag_end(cr, CAIRO_TAG_LINK);
            }
            y_ += h;
            page_used_ = true;
        } while (pango_layout_iter_next_line(it.get()));
    }

    void outline(const Laid& laid, double top) {
        const std::string dest = "page=" + std::to_string(pages_) + " pos=[" + pdf_number(laid.x) +
                                 " " + pdf_number(top) + "]";
        cairo_pdf_surface_add_outline(surface_.get(), CAIRO_PDF_OUTLINE_ROOT, laid.text.c_str(),
                                      dest.c_str(), CAIRO_PDF_OUTLINE_FLAG_OPEN);
    }

    void hline(double y, double x0, double x1, double width, Rgb color) {
        cairo_t* cr = cr_.get();
        cairo_set_source_rgb(cr, color.r, color.g, color.b);
        cairo_set_line_width(cr, width);
        cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x1, y);
        cairo_stroke(cr);
    }

    void block(const Block& b, const Block* next) {
        const BlockStyle st = style_of(b, next);
        open_block(st.before);
        const double quote_x = left() + b.quote * kQuoteIndent;
        auto quote_bars = [&](double top, double h, double = 0, bool = false) {
            for (int q = 0; q < b.quote; ++q) {
                cairo_t* cr = cr_.get();
                cairo_set_source_rgb(cr, kRuleColor.r, kRuleColor.g, kRuleColor.b);
                cairo_rectangle(cr, left() + q * kQuoteIndent + 1, top, 1.5, h);
                cairo_fill(cr);
            }
        };
        switch (b.kind) {
            case BlockKind::Rule:
                need(1);
                hline(y_, left(), right(), 0.6, kRuleColor);
                y_ += 1;
                page_used_ = true;
                break;
            case BlockKind::Heading: {
                Laid laid = lay_out(b.inlines, quote_x, right() - quote_x, st, false);
                if (laid.text.empty()) break;
                // A heading stays with the two lines that follow it.
                need(laid.height + (next ? 2.4 * kBodySize + st.after : 0));
                flow(laid, [&](double top, double h, double, bool first) {
                    quote_bars(top, h);
                    if (first && b.level <= 2) outline(laid, top);
                });
                if (b.level == 2) {
                    y_ += 1.5;
                    hline(y_, quote_x, right(), 0.6, kRuleColor);
                    y_ += 0.6;
                }
                break;
            }
            case BlockKind::CodeBlock: {
                const double x = quote_x + std::max(0, b.level) * kListIndent;
                Laid laid = lay_out(b.inlines, x + 4, right() - x - 8, st, true);
                flow(laid, [&](double top, double h, double, bool) {
                    quote_bars(top, h);
                    cairo_t* cr = cr_.get();
                    cairo_set_source_rgb(cr, kCodeBackground.r, kCodeBackground.g,
                                         kCodeBackground.b);
                    cairo_rectangle(cr, x, top, right() - x, h);
                    cairo_fill(cr);
                });
                break;
            }
            case BlockKind::ListItem: {
                const double marker_x = quote_x + (b.level - 1) * kListIndent;
                std::string marker;
                if (b.ordered) {
                    marker = std::to_string(b.number) + ".";
                } else {
                    static constexpr const char* kBullets[] = {"•", "◦", "▪"};
                    marker = kBullets[(b.level - 1) % 3];
                }
                BlockStyle marker_style = st;
                marker_style.bold = false;
                Laid mark = lay_out({text_run(marker)}, marker_x, 60, marker_style, false);
                PangoRectangle mark_logical;
                pango_layout_get_extents(mark.layout.get(), nullptr, &mark_logical);
                const double gap =
                    b.ordered
                        ? std::max(11.0,
                                   static_cast<double>(mark_logical.width) / PANGO_SCALE + 3.5)
                        : 10.0;
                const double text_x = marker_x + gap;
                Laid laid =
                    lay_out(b.inlines.empty() ? std::vector<Inline>{text_run(" ")} : b.inlines,
                            text_x, right() - text_x, st, false);
                // A short item moves to the next page whole.
                if (laid.lines <= 3) need(laid.height);
                const double mark_baseline =
                    static_cast<double>(pango_layout_get_baseline(mark.layout.get())) / PANGO_SCALE;
                flow(laid, [&](double top, double h, double baseline, bool first) {
                    quote_bars(top, h);
                    if (!first || !b.marker) return;
                    cairo_t* cr = cr_.get();
                    cairo_set_source_rgb(cr, st.color.r, st.color.g, st.color.b);
                    cairo_move_to(cr, marker_x, baseline - mark_baseline);
                    pango_cairo_show_layout(cr, mark.layout.get());
                });
                break;
            }
            case BlockKind::Paragraph: {
                if (b.inlines.empty()) break;
                Laid laid = lay_out(b.inlines, quote_x + (b.quote ? 4 : 0),
                                    right() - quote_x - (b.quote ? 4 : 0), st, false);
                if (laid.lines <= 2) need(laid.height);
                flow(laid, quote_bars);
                break;
            }
        }
        pending_space_ = st.after;
    }
};

}  // namespace

PdfFile write_pdf(std::string_view title, const std::vector<Block>& blocks, Paper paper) {
    PdfFile file;
    {
        PdfTypesetter typesetter(title, paper, file.bytes);
        typesetter.typeset(blocks);
        file.pages = typesetter.finish();
    }
    return file;
}

}  // namespace resumate::documents::detail
