#include "net/sse.hpp"

#include <algorithm>
#include <utility>

namespace resumate::net {

namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}

std::vector<SseEvent> SseParser::feed(std::string_view bytes) {
    std::vector<SseEvent> out;
    if (!bom_checked_) {
        const size_t take = std::min(bytes.size(), kBom.size() - head_.size());
        head_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (kBom.starts_with(head_)) {
            if (head_.size() < kBom.size()) return out;  // could still be a BOM
            head_.clear();                               // it is one: skip it
        }
        bom_checked_ = true;
        std::string head = std::exchange(head_, {});
        consume(head, out);
    }
    consume(bytes, out);
    return out;
}

std::vector<SseEvent> SseParser::finish() {
    std::vector<SseEvent> out;
    if (!bom_checked_) consume(std::exchange(head_, {}), out);
    if (!line_.empty()) process_line(std::exchange(line_, {}), out);
    dispatch(out);
    bom_checked_ = false;
    after_cr_ = false;
    return out;
}

void SseParser::consume(std::string_view bytes, std::vector<SseEvent>& out) {
    size_t i = 0;
    if (after_cr_ && !bytes.empty()) {
        after_cr_ = false;
        if (bytes.front() == '\n') i = 1;
    }
    while (i < bytes.size()) {
        const size_t end = bytes.find_first_of("\r\n", i);
        if (end == std::string_view::npos) {
            line_.append(bytes.substr(i));
            return;
        }
        line_.append(bytes.substr(i, end - i));
        process_line(line_, out);
        line_.clear();
        i = end + 1;
        if (bytes[end] == '\r') {
            if (i == bytes.size())
                after_cr_ = true;  // the '\n' of a "\r\n" may come with the next feed
            else if (bytes[i] == '\n')
                ++i;
        }
    }
}

void SseParser::process_line(std::string_view line, std::vector<SseEvent>& out) {
    if (line.empty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':') return;  // comment, e.g. OpenRouter's ": OPENROUTER PROCESSING"
    std::string_view field = line;
    std::string_view value;
    if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
        field = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (field == "event") {
        event_.assign(value);
    } else if (field == "data") {
        data_.append(value);
        data_.push_back('\n');
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
    }
    // "retry" and unknown fields are ignored: we do not reconnect on our own.
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
    if (data_.empty()) {  // no data line since the last dispatch: nothing to deliver
        event_.clear();
        return;
    }
    data_.pop_back();  // the '\n' after the last data line
    SseEvent ev;
    if (!event_.empty()) ev.event = std::move(event_);
    ev.data = std::move(data_);
    ev.id = last_id_;
    out.push_back(std::move(ev));
    event_.clear();
    data_.clear();
}

}  // namespace resumate::net
