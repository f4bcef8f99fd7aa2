// Rule self-tests and listing (see pipeline/rule_check.h).
#include "sprawl/pipeline/rule_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "sprawl/matcher/matcher.h"

namespace sprawl::pipeline {
namespace {

bool reported_by(matcher::Scanner& scanner, const model::Rule& rule,
                 const std::string& text) {
  model::Location origin;
  origin.path = rule.example_path.empty() ? "example" : rule.example_path;
  model::Blob blob;
  blob.bytes = text;
  blob.origin = &origin;
  blob.owned_bytes = text.size();
  std::vector<model::Finding> found;
  scanner.scan(blob, found);
  return std::any_of(found.begin(), found.end(), [&](const auto& f) {
    return f.rule_id == rule.id;
  });
}

void print_diagnostics(const Diagnostics& diagnostics, std::ostream& err) {
  for (const auto& d : diagnostics.diagnostics())
    err << (d.severity == Diagnostic::Severity::kError ? "error: "
                                                       : "warning: ")
        << d.error.describe() << "\n";
}

}  // namespace

int check_rules(const RuleCheckOptions& options, std::ostream& out,
                std::ostream& err) {
  Diagnostics diagnostics;
  auto rules = matcher::load_rules(options.rules, diagnostics);
  if (!rules) {
    print_diagnostics(diagnostics, err);
    err << "error: " << rules.error().describe() << "\n";
    return 2;
  }
  std::size_t failures = diagnostics.error_count();
  for (const auto& rule : *rules) {
    auto ok = matcher::check_rule(rule, true);
    if (!ok) {
      out << "FAIL " << ok.error().describe() << "\n";
      ++failures;
    }
  }
  matcher::MatcherOptions mopts;
  mopts.cache_dir = options.cache_dir;
  auto m = matcher::Matcher::build(*rules, mopts, diagnostics);
  print_diagnostics(diagnostics, err);
  if (!m) {
    err << "error: " << m.error().describe() << "\n";
    return 2;
  }
  matcher::Scanner scanner(*m);
  std::size_t examples = 0;
  for (const auto& rule : (*m)->rules()) {
    for (std::size_t i = 0; i < rule.examples.size(); ++i, ++examples) {
      if (reported_by(scanner, rule, rule.examples[i])) continue;
      out << fmt::format("FAIL {} ({}): example {} is not reported\n",
                         rule.id, rule.origin, i + 1);
      ++failures;
    }
    for (std::size_t i = 0; i < rule.negative_examples.size();
         ++i, ++examples) {
      if (!reported_by(scanner, rule, rule.negative_examples[i])) continue;
      out << fmt::format("FAIL {} ({}): negative example {} is reported\n",
                         rule.id, rule.origin, i + 1);
      ++failures;
    }
  }
  const auto& stats = (*m)->stats();
  out << fmt::format(
      "{} rules, {} examples checked, {} failures; hyperscan: {} exact, {} "
      "prefilter, {} RE2-only; {} path-scoped\n",
      (*m)->rules().size(), examples, failures,
      (*m)->rules().size() - stats.prefilter_rules - stats.re2_only_rules -
          stats.path_scoped_rules,
      stats.prefilter_rules, stats.re2_only_rules, stats.path_scoped_rules);
  out << fmt::format("{} passed, {} failed\n", examples - std::min(examples, failures), failures);
  return failures == 0 ? 0 : 1;
}

int list_rules(const RuleCheckOptions& options, std::ostream& out,
               std::ostream& err) {
  Diagnostics diagnostics;
  auto rules = matcher::load_rules(options.rules, diagnostics);
  print_diagnostics(diagnostics, err);
  if (!rules) {
    err << "error: " << rules.error().describe() << "\n";
    return 2;
  }
  std::map<std::string, std::vector<const model::Rule*>> by_provider;
  for (const auto& r : *rules) by_provider[r.provider].push_back(&r);
  for (const auto& [provider, list] : by_provider) {
    out << provider << " (" << list.size() << ")\n";
    for (const auto* r : list)
      out << fmt::format("  {:<44} {:<20} {:<8} {:<6} {}\n", r->id,
                         model::kind_name(r->kind),
                         model::severity_name(r->severity),
                         model::confidence_name(r->confidence), r->name);
  }
  std::map<std::string_view, std::size_t> by_kind;
  for (const auto& r : *rules) ++by_kind[model::kind_name(r.kind)];
  out << "\nby kind:";
  for (const auto& [kind, n] : by_kind) out << " " << kind << "=" << n;
  out << "\n" << rules->size() << " rules from " << by_provider.size()
      << " providers\n";
  return diagnostics.error_count() ? 2 : 0;
}

}  // namespace sprawl::pipeline
