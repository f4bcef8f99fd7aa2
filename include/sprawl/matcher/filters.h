// False-positive filters applied to every candidate secret, and the
// entropy measure. Pure functions; cheap enough for the scan path.
#pragma once

#include <string_view>

#include "sprawl/model/rule.h"

namespace sprawl::matcher {

/// True when haystack contains needle, ASCII letters compared without case.
bool contains_icase(std::string_view haystack, std::string_view needle);

/// Shannon entropy of the bytes of s, in bits per byte (0 for empty).
double shannon_entropy(std::string_view s);

/// True for template and placeholder values: `YOUR_API_KEY`, `<token>`,
/// `${VAR}`, `{{ var }}`, `changeme`, `xxxx…`, `****`, values containing
/// "example", "placeholder", "dummy", "redacted", and whole values that are
/// a field name or schema type (`password`, `secret`, `string`, `null`).
bool is_placeholder(std::string_view secret);

/// True when s has a run of at least min_run identical alphanumerics, or an
/// ascending or descending run (`abcdefgh`, `12345678`) of that length.
bool has_trivial_run(std::string_view s, std::size_t min_run = 8);

/// True for values published in provider documentation as examples.
bool is_known_example(std::string_view secret);

/// True when line contains the inline suppression marker `sprawl:allow`.
bool has_allow_marker(std::string_view line);

/// Applies the filters that suit a rule's kind (private keys are not checked
/// for runs: base64 of structured binary has long runs of `A`).
bool is_false_positive(std::string_view secret, model::Kind kind);

/// How a value captured from a tool's own credential file reads
/// (`credential_file` rules, where the value is the login in use).
enum class LiteralValue {
  kDrop,      ///< template syntax, a mask or a published example: no login
  kWeak,      ///< reads like a default, placeholder or identifier
  kOrdinary,  ///< anything else
};
LiteralValue judge_literal_value(std::string_view secret);

/// True for paths of test fixtures, examples and documentation folders.
bool is_fixture_path(std::string_view path);

/// True for documentation files known by their extension (Markdown,
/// reStructuredText, AsciiDoc, plain text, HTML, man pages).
bool is_documentation_path(std::string_view path);

/// True when line names a host in a domain reserved for documentation
/// (example.com, example.org, example.net), not counting e-mail addresses.
bool names_example_host(std::string_view line);

/// What the context of a candidate says about it.
enum class ContextVerdict { kKeep, kLowerConfidence, kDrop };

/// Judges a candidate by its surroundings, for the false-positive classes
/// users report most: hashes pinned as revisions or integrity values, UUIDs
/// used as ids, camelCase identifiers, public SSH keys, data: URIs (images,
/// fonts), minified code, and test fixtures or documentation paths.
/// `line` is the whole line holding the secret; `generic` is true for rules
/// of provider "generic", which need a secret-like context to be kept.
ContextVerdict judge_context(std::string_view secret, std::string_view line,
                             std::string_view path, bool generic);

}  // namespace sprawl::matcher
