// Server-Sent Events, parsed as the WHATWG EventSource rules say, fed with whatever pieces the
// network delivers. The AI providers stream their answers this way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace resumate::net {

struct SseEvent {
    std::string event = "message";
    std::string data;  // data lines joined with '\n'
    std::string id;    // the last event ID seen so far in the stream (it carries over)
};

class SseParser {
  public:
    // Feed bytes as they arrive, split anywhere; returns the events they complete.
    std::vector<SseEvent> feed(std::string_view bytes);

    // At end of stream: the last line and event are delivered even without their terminating
    // blank line (Gemini's streamGenerateContent?alt=sse ends at EOF). The parser is then ready
    // for a new stream; the last event ID is kept, as EventSource keeps it across reconnects.
    std::vector<SseEvent> finish();

    const std::string& last_event_id() const { return last_id_; }

  private:
    void consume(std::string_view bytes, std::vector<SseEvent>& out);
    void process_line(std::string_view line, std::vector<SseEvent>& out);
    void dispatch(std::vector<SseEvent>& out);

    std::string head_;  // the first bytes of the stream, until we know whether they are a BOM
    bool bom_checked_ = false;
    bool after_cr_ = false;  // the last byte was '\r': a '\n' next belongs to the same line end
    std::string line_;
    std::string event_;
    std::string data_;
    std::string last_id_;
};

}  // namespace resumate::net
