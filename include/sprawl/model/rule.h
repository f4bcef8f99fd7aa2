// Rule: one detection pattern loaded from rules/*.toml (or a gitleaks
// configuration). Shared, read-only after loading.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sprawl::model {

/// The fixed vocabulary of non-human-identity kinds.
enum class Kind {
  kApiKey,
  kAccessToken,
  kOauthClientSecret,
  kBotToken,
  kWebhookUrl,
  kCloudAccessKey,
  kServiceAccountKey,
  kPrivateKey,
  kDatabaseCredential,
  kPassword,
  kJwt,
  kGenericSecret,
};

enum class Severity { kLow, kMedium, kHigh, kCritical };
enum class Confidence { kLow, kMedium, kHigh };

std::string_view kind_name(Kind kind);
std::optional<Kind> parse_kind(std::string_view name);
std::string_view severity_name(Severity severity);
std::optional<Severity> parse_severity(std::string_view name);
std::string_view confidence_name(Confidence confidence);
std::optional<Confidence> parse_confidence(std::string_view name);

/// Lowers a confidence by one step (kLow stays kLow).
Confidence lower(Confidence confidence);

struct Rule {
  std::string id;
  std::string name;
  std::string provider;
  Kind kind = Kind::kGenericSecret;
  std::string regex;
  std::vector<std::string> keywords;  ///< lowercase; any must appear
  double min_entropy = 0.0;
  Severity severity = Severity::kMedium;
  Confidence confidence = Confidence::kMedium;
  std::string description;
  std::string remediation;
  std::vector<std::string> references;
  std::vector<std::string> examples;
  std::vector<std::string> negative_examples;

  /// Index of the capture group holding the secret when the rule has no
  /// group named `secret` (gitleaks `secretGroup`); 0 means the whole match.
  int secret_group = -1;
  /// The rule only applies to paths matching this (a file format known by
  /// its name: .pgpass, config/master.key; gitleaks `path`). Such rules are
  /// left out of the Hyperscan database and searched by RE2 only in the
  /// blobs whose path matches.
  std::string path_regex;
  /// The path `rules check` gives the examples of a path-scoped rule.
  std::string example_path;
  /// The rule matches a tool's own saved-credentials format (.pgpass, a
  /// FileZilla site list, a DBeaver data source, a shell profile): what it
  /// captures is the login the tool uses, however it reads. A value that
  /// looks like a default or a placeholder (`password`, `dummy-pass`) is
  /// then reported at low confidence with a note instead of dropped;
  /// template syntax (`${PASS}`, `<password>`) is still dropped.
  bool credential_file = false;
  /// For a credential_file rule that is not path-scoped: the paths of the
  /// tool's own files, where that leniency applies (elsewhere, say in
  /// source code or a README, the ordinary filters do).
  std::string credential_path;
  /// Matches whose secret (or, if `allow_match_whole`, whole match) matches
  /// any of these are dropped.
  std::vector<std::string> allow_regexes;
  std::vector<std::string> allow_paths;
  std::vector<std::string> stopwords;
  /// Where the rule was loaded from, for messages.
  std::string origin;
};

}  // namespace sprawl::model
