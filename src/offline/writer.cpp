#include "offline/writer.hpp"

#include "offline/detail/extract.hpp"

namespace resumate::offline {

std::string write_resume(std::string_view user_input) {
    const detail::Facts facts = detail::analyse(user_input);
    if (detail::is_off_topic(facts)) return std::string(kOffTopicAnswer);
    return detail::render(facts);
}

}  // namespace resumate::offline
