#include "ai/providers/offline_generator.hpp"

#include <string>
#include <string_view>

// First minimal version: a placeholder resume. Replaced shortly by the full extractor.
namespace resumate::ai {

std::string generate_offline_resume(std::string_view user_input) {
    if (user_input.empty()) return std::string(kOffTopicAnswer);
    std::string out;
    out += "# [Your Name]\n\n[Your Email] | [Your Phone] | [LinkedIn URL]\n\n";
    out += "## Professional Summary\n\n[Summary]\n\n## Skills\n\n[Skills]\n\n";
    out += "## Professional Experience\n\n### [Job Title] — [Company Name]\n";
    out += "[Start Date] – [End Date]\n\n- [Achievement]\n\n";
    out += "## Education\n\n[Degree], [University], [Year]\n";
    return out;
}

}  // namespace resumate::ai
