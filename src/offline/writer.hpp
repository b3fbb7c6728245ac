#pragma once
// The offline resume writer: pure text in, text out. It needs no network and no key, so there
// is always a model to fall back on. It only rearranges what the user stated; every gap becomes
// a [Placeholder]. Its internals (offline/detail/) are private to this folder.
#include <string>
#include <string_view>

namespace resumate::offline {

inline constexpr std::string_view kOffTopicAnswer = "I can only assist with resume generation.";

// Deterministic, pure, thread-safe. Turns the user's free text into a one-page,
// ATS-friendly Markdown resume, or returns exactly kOffTopicAnswer for an off-topic request.
std::string write_resume(std::string_view user_input);

// Rearranges a resume (Markdown, or free text, which is written first) for a job posting without
// adding a fact: the skills the posting asks for come first, each role's bullets that mention
// the posting's terms come first, and the summary leads with its sentences about them and names
// the matching skills the resume already lists. Every line of the resume stays. Returns exactly
// kOffTopicAnswer when the resume is empty or not a resume; the resume unchanged when the
// posting names nothing to tailor to. Deterministic, pure, thread-safe.
std::string tailor_resume(std::string_view resume_markdown, std::string_view job_description);

}  // namespace resumate::offline
