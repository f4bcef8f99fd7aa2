// Reporter entry points: format names, the reporter factory and redaction.
#include "sprawl/reporters/reporter.h"

#include <algorithm>

#include "reporters/reporter_factories.h"
#include "sprawl/util/utf8.h"

namespace sprawl::reporters {
namespace {

// Redaction shows at most this many bytes, and at most a quarter of the
// secret, so that the printed part never narrows the search for the rest
// to something guessable.
constexpr std::size_t kMaxRedactedPrefixBytes = 8;
constexpr std::size_t kMinSecretBytesForPrefix = 8;

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  if (name == "jsonl") return Format::kJsonl;
  if (name == "sarif") return Format::kSarif;
  if (name == "csv") return Format::kCsv;
  return std::nullopt;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kText:
      return "text";
    case Format::kJson:
      return "json";
    case Format::kJsonl:
      return "jsonl";
    case Format::kSarif:
      return "sarif";
    case Format::kCsv:
      return "csv";
  }
  return "text";
}

std::unique_ptr<Reporter> make_reporter(Format format, std::ostream& out,
                                        const ReportOptions& options) {
  switch (format) {
    case Format::kText:
      return make_text_reporter(out, options);
    case Format::kJson:
      return make_json_reporter(out, options, false);
    case Format::kJsonl:
      return make_json_reporter(out, options, true);
    case Format::kSarif:
      return make_sarif_reporter(out, options);
    case Format::kCsv:
      return make_csv_reporter(out, options);
  }
  return make_text_reporter(out, options);
}

std::string redact(std::string_view secret) {
  std::size_t prefix_bytes = 0;
  if (secret.size() >= kMinSecretBytesForPrefix)
    prefix_bytes = std::min(kMaxRedactedPrefixBytes, secret.size() / 4);
  std::string out(utf8_prefix(secret, prefix_bytes));
  // The prefix is printed as is, so a byte that is not printable ASCII is
  // cut off rather than risking control sequences or broken text.
  const auto bad = std::find_if(out.begin(), out.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  out.erase(bad, out.end());
  out += "\u2026(";
  out += std::to_string(count_code_points(secret));
  out += " chars)";
  return out;
}

}  // namespace sprawl::reporters
