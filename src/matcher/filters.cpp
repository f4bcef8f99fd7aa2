// False-positive filters and entropy (see matcher/filters.h).
#include "sprawl/matcher/filters.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

#include "sprawl/util/codec.h"

namespace sprawl::matcher {
namespace {

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Words that mark a value as a stand-in rather than a credential. Kept short
// on purpose: "test" is not here because Stripe's sk_test_ keys are real.
constexpr std::array<std::string_view, 12> kPlaceholderWords = {
    "example",  "placeholder", "changeme", "change_me", "dummy",
    "redacted", "your_",       "your-",    "yourkey",   "replace_me",
    "replaceme", "xxxxxx",
};

// Whole values that stand in for a credential rather than being one: the
// field's own name (`password: password`) or a type name from an API schema
// (`"password": "string"`). Compared case-insensitively to the whole value,
// so `password123` or `Secret-4kQ` are still candidates.
constexpr std::array<std::string_view, 11> kPlaceholderValues = {
    "password", "passwd", "pass",  "secret", "passphrase",
    "string",   "null",   "none",  "undefined", "str",
    "changeit",  // the JDK keystore's documented default
};

// Passwords that products ship as defaults. In a credential file they are
// still the login in use, so they count as weak rather than as templates.
constexpr std::array<std::string_view, 19> kDefaultPasswords = {
    "admin",   "administrator", "guest",    "root",  "test",  "default",
    "letmein", "qwerty",        "123456",   "12345678", "user", "demo",
    "anonymous", "postgres",    "mysql",    "oracle", "dev",  "local",
    "welcome",
};

bool equals_icase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower_ascii(x) == lower_ascii(y);
         });
}

// Documentation values that are not secrets anywhere.
// clang-format off
constexpr std::array<std::string_view, 5> kKnownExamples = {
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "xoxb-not-a-real-token-this-will-not-work",
};
// clang-format on

bool looks_like_template(std::string_view s) {
  if (s.find("${") != std::string_view::npos) return true;
  if (s.find("{{") != std::string_view::npos) return true;
  if (s.find("%(") != std::string_view::npos) return true;
  if (s.starts_with("#{")) return true;  // Spring SpEL
  if (s.find("****") != std::string_view::npos) return true;
  if (s.find("...") != std::string_view::npos) return true;
  if (s.find("…") != std::string_view::npos) return true;
  if (!s.empty() && s.front() == '<' && s.back() == '>') return true;
  if (!s.empty() && s.front() == '$' && s.size() > 1 &&
      (std::isupper(static_cast<unsigned char>(s[1])) || s[1] == '_'))
    return true;
  return false;
}

// The printable text a base64 value decodes to (FileZilla stores
// passwords as base64), or nothing.
// Perf: runs per candidate, so it decodes into a per-thread buffer; the
// view is valid until the next call on this thread.
std::optional<std::string_view> printable_base64(std::string_view value) {
  if (value.size() < 4 || value.size() % 4 != 0) return std::nullopt;
  thread_local std::string plain;
  if (!codec::base64_decode(value, plain)) return std::nullopt;
  std::string_view text = plain;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  for (char c : text)
    if (c < 0x20 || c > 0x7e) return std::nullopt;
  return text;
}

// A pointer to a secret kept elsewhere, not the secret: a 1Password or
// vault reference, a file or classpath resource, a cloud secret ARN.
bool is_secret_reference(std::string_view value) {
  constexpr std::array<std::string_view, 13> kSchemes = {
      "op://",   "vault:", "vault://", "file:",     "classpath:", "env:",
      "ssm:",    "arn:aws:", "sm://",  "secret://", "keyvault:",  "ref+",
      "gcpsm://"};
  for (std::string_view scheme : kSchemes)
    if (value.size() > scheme.size() &&
        equals_icase(value.substr(0, scheme.size()), scheme))
      return true;
  return false;
}

}  // namespace

bool contains_icase(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  auto it = std::search(
      haystack.begin(), haystack.end(), needle.begin(), needle.end(),
      [](char a, char b) { return lower_ascii(a) == lower_ascii(b); });
  return it != haystack.end();
}

double shannon_entropy(std::string_view s) {
  if (s.empty()) return 0.0;
  std::array<uint32_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double entropy = 0.0;
  const double n = static_cast<double>(s.size());
  for (uint32_t count : counts) {
    if (count == 0) continue;
    const double p = count / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

// A stock phrase for a password: a pronoun or filler word and "password"
// (mypassword, your_password, new-password, secretpassword, dbpass). Generic
// rules treat it as a sample value; a product name before it
// (salesforcepassword) is not in the list and stays a lead.
bool is_password_phrase(std::string_view secret) {
  // The longest phrase is a filler of 8 letters and "password".
  char buf[24];
  std::size_t n = 0;
  for (char c : secret) {
    if (c == '-' || c == '_') continue;
    if (!std::isalpha(static_cast<unsigned char>(c)) || n == sizeof buf)
      return false;
    buf[n++] = lower_ascii(c);
  }
  const std::string_view word(buf, n);
  constexpr std::array<std::string_view, 20> kFillers = {
      "my",    "your",  "some",  "new", "old",   "secret",
      "strong", "super", "the",  "any", "db",    "database",
      "client", "server", "user", "admin", "root", "default",
      "test",  "sample"};
  for (std::string_view tail : {"password", "passwd", "pass"}) {
    if (word.size() <= tail.size() || !word.ends_with(tail)) continue;
    const std::string_view head = word.substr(0, word.size() - tail.size());
    for (std::string_view filler : kFillers)
      if (head == filler) return true;
  }
  return false;
}

bool is_placeholder(std::string_view secret) {
  if (looks_like_template(secret)) return true;
  for (std::string_view value : kPlaceholderValues)
    if (equals_icase(secret, value)) return true;
  for (std::string_view word : kPlaceholderWords)
    if (contains_icase(secret, word)) return true;
  return false;
}

bool has_trivial_run(std::string_view s, std::size_t min_run) {
  std::size_t same = 1, up = 1, down = 1;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char a = s[i - 1], b = s[i];
    const bool both = is_alnum(a) && is_alnum(b);
    same = (both && a == b) ? same + 1 : 1;
    up = (both && b == a + 1) ? up + 1 : 1;
    down = (both && b == a - 1) ? down + 1 : 1;
    if (same >= min_run || up >= min_run || down >= min_run) return true;
  }
  return false;
}

bool is_known_example(std::string_view secret) {
  for (std::string_view known : kKnownExamples)
    if (secret.find(known) != std::string_view::npos) return true;
  return false;
}

bool has_allow_marker(std::string_view line) {
  return line.find("sprawl:allow") != std::string_view::npos;
}

bool is_false_positive(std::string_view secret, model::Kind kind) {
  if (is_known_example(secret)) return true;
  if (kind == model::Kind::kPrivateKey) {
    // A key block is judged by its body; template markers inside it (a
    // "..." or "<key>" body) still mark a placeholder.
    return looks_like_template(secret) || contains_icase(secret, "example") ||
           contains_icase(secret, "xxxxxxxx");
  }
  if (is_placeholder(secret)) return true;
  return has_trivial_run(secret);
}

namespace {

bool all_of_class(std::string_view s, const char* cls) {
  return !s.empty() && s.find_first_not_of(cls) == std::string_view::npos;
}

bool is_hex_digest(std::string_view s) {
  return (s.size() == 32 || s.size() == 40 || s.size() == 64 ||
          s.size() == 128) &&
         all_of_class(s, "0123456789abcdef");
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i])))
      return false;
  }
  return true;
}

// An identifier such as getPasswordFromVault or DB_PASSWORD_FILE: letters
// (and underscores) only, with word structure instead of randomness.
bool is_identifier_word(std::string_view s) {
  if (!all_of_class(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.")) return false;
  std::size_t humps = 0;
  for (std::size_t i = 1; i < s.size(); ++i)
    if (std::islower(static_cast<unsigned char>(s[i - 1])) &&
        std::isupper(static_cast<unsigned char>(s[i])))
      ++humps;
  const bool snake = s.find('_') != std::string_view::npos ||
                     s.find('.') != std::string_view::npos;
  // A plain lowercase word may well be a (weak) password: keep it.
  return snake || (humps >= 1 && humps <= s.size() / 4);
}

// Lowercase words joined by hyphens, three or more (`no-debconf-config`,
// `prod-api-token-v2`): a name or a setting, as generic rules see it.
bool is_kebab_words(std::string_view s) {
  if (!all_of_class(s, "abcdefghijklmnopqrstuvwxyz0123456789-")) return false;
  if (s.front() == '-' || s.back() == '-') return false;
  std::size_t hyphens = 0, digits = 0;
  for (char c : s) {
    hyphens += c == '-';
    digits += c >= '0' && c <= '9';
  }
  return hyphens >= 2 && digits <= 2;
}

// A lowercase name in code: snake_case with digits (mem2reg_sroa,
// db_pass_2), or two hyphenated words (loop-vectorize, express-gateway).
bool is_lowercase_code_name(std::string_view s) {
  if (all_of_class(s, "abcdefghijklmnopqrstuvwxyz0123456789_"))
    return s.find('_') != std::string_view::npos &&
           s.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos;
  if (!all_of_class(s, "abcdefghijklmnopqrstuvwxyz-")) return false;
  const std::size_t hyphen = s.find('-');
  return hyphen != std::string_view::npos && hyphen >= 3 &&
         s.size() - hyphen - 1 >= 3 &&
         s.find('-', hyphen + 1) == std::string_view::npos;
}

// A constant expression such as BINDSTRING_USERNAME+1: an identifier with
// a small number added or subtracted.
bool is_identifier_arithmetic(std::string_view s) {
  const std::size_t op = s.find_last_of("+-");
  if (op == std::string_view::npos || op == 0 || op + 1 >= s.size() ||
      s.size() - op > 4)
    return false;
  return all_of_class(s.substr(op + 1), "0123456789") &&
         is_identifier_word(s.substr(0, op));
}

constexpr std::array<std::string_view, 12> kHashContext = {
    "sha", "commit", "revision", "\"rev\"", "rev:", "integrity", "checksum",
    "digest", "hash", "uses:", "ref:", "hmac"};

constexpr std::array<std::string_view, 11> kFixturePaths = {
    "/test/", "/tests/", "/fixtures/", "/__tests__/", "/spec/", "/testdata/",
    "/examples/", "/docs/", "/doc/", "/man/", "/mocks/"};

bool in_data_uri(std::string_view secret, std::string_view line) {
  const std::size_t at = line.find(secret);
  const std::string_view before = line.substr(0, at);
  const std::size_t data = before.rfind("data:");
  return data != std::string_view::npos &&
         before.find(";base64,", data) != std::string_view::npos;
}

// The value is the name of a folder on the file's path: a chart's or a
// project's own name used as its sample password (rethinkdb in
// charts/rethinkdb/values.yaml).
bool names_a_folder(std::string_view secret, std::string_view path) {
  std::size_t begin = 0;
  while (begin < path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string_view::npos) break;  // the file name itself
    if (equals_icase(path.substr(begin, end - begin), secret)) return true;
    begin = end + 1;
  }
  return false;
}

// Base64 of a placeholder or of one lowercase word (cGFzc3dvcmQ= is
// "password", c3RvcmFnZW9z "storageos"): a Kubernetes Secret's or a
// chart's sample value, encoded.
bool is_encoded_placeholder(std::string_view secret) {
  if (secret.size() < 8 || secret.size() > 64) return false;
  const std::optional<std::string_view> plain = printable_base64(secret);
  if (!plain) return false;
  return is_placeholder(*plain) || is_password_phrase(*plain) ||
         (plain->size() <= 12 &&
          all_of_class(*plain, "abcdefghijklmnopqrstuvwxyz"));
}

}  // namespace

ContextVerdict judge_context(std::string_view secret, std::string_view line,
                             std::string_view path, bool generic) {
  if (in_data_uri(secret, line)) return ContextVerdict::kDrop;
  if (is_encoded_placeholder(secret) || is_secret_reference(secret))
    return ContextVerdict::kDrop;
  if (contains_icase(line, "ssh-rsa AAAA") ||
      contains_icase(line, "ssh-ed25519 AAAA") ||
      contains_icase(line, "ecdsa-sha2-nistp"))
    return generic ? ContextVerdict::kDrop : ContextVerdict::kKeep;
  for (std::string_view prefix : {"sha256-", "sha384-", "sha512-"})
    if (secret.substr(0, prefix.size()) == prefix)
      return ContextVerdict::kDrop;
  if (generic) {
    if (is_hex_digest(secret))
      for (std::string_view word : kHashContext)
        if (contains_icase(line, word)) return ContextVerdict::kDrop;
    if (is_uuid(secret) && !contains_icase(line, "secret") &&
        !contains_icase(line, "password") && !contains_icase(line, "token"))
      return ContextVerdict::kDrop;
    if (is_identifier_word(secret) || is_kebab_words(secret) ||
        is_identifier_arithmetic(secret) || is_password_phrase(secret) ||
        is_lowercase_code_name(secret) ||
        names_a_folder(secret, path))
      return ContextVerdict::kDrop;
    // Perf and precision: minified bundles are one enormous line where
    // every short string sits next to some secret-like name.
    if (line.size() > 4096) return ContextVerdict::kDrop;
  }
  return is_fixture_path(path) ? ContextVerdict::kLowerConfidence
                               : ContextVerdict::kKeep;
}

bool is_fixture_path(std::string_view path) {
  std::string slashed = "/";
  slashed.append(path);
  for (std::string_view dir : kFixturePaths)
    if (contains_icase(slashed, dir)) return true;
  return false;
}

// A host in one of the domains reserved for documentation (RFC 2606):
// `machine example.com password 123456` is a manual's example. An address
// such as user@example.com is not counted: tools' own sample configs use
// those next to real values.
bool names_example_host(std::string_view line) {
  constexpr std::string_view kWord = "example";
  for (std::size_t at = line.find(kWord); at != std::string_view::npos;
       at = line.find(kWord, at + 1)) {
    const char before = at == 0 ? ' ' : line[at - 1];
    if (before == '@' || before == '-' || is_alnum(before)) continue;
    std::string_view rest = line.substr(at + kWord.size());
    if (rest.starts_with("\\&")) rest.remove_prefix(2);  // roff: \&.com
    if (rest.starts_with(".com") || rest.starts_with(".org") ||
        rest.starts_with(".net"))
      return true;
  }
  return false;
}

bool is_documentation_path(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  const std::string_view name =
      slash == std::string_view::npos ? path : path.substr(slash + 1);
  // README, CONTRIBUTING.txt, CHANGELOG, INSTALL: prose whatever the suffix.
  for (std::string_view prose : {"readme", "contributing", "changelog",
                                 "changes", "install", "hacking", "news"})
    if (name.size() >= prose.size() &&
        equals_icase(name.substr(0, prose.size()), prose))
      return true;
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view ext = name.substr(dot + 1);
  if (ext.size() == 1 && ext[0] >= '1' && ext[0] <= '9') return true;  // man
  for (std::string_view doc : {"md", "markdown", "rst", "adoc", "asciidoc",
                               "html", "htm", "org", "tex", "wiki"})
    if (equals_icase(ext, doc)) return true;
  return false;
}

namespace {

LiteralValue judge_plain_value(std::string_view secret) {
  if (is_known_example(secret) || looks_like_template(secret) ||
      is_secret_reference(secret))
    return LiteralValue::kDrop;
  // A mask such as "********" or "xxxxxxxx" stands where a tool or a
  // person hid the value.
  if (!secret.empty() &&
      secret.find_first_not_of(secret.front()) == std::string_view::npos &&
      (secret.front() == '*' || lower_ascii(secret.front()) == 'x'))
    return LiteralValue::kDrop;
  if (is_placeholder(secret) || has_trivial_run(secret) ||
      is_identifier_word(secret))
    return LiteralValue::kWeak;
  for (std::string_view value : kDefaultPasswords)
    if (equals_icase(secret, value)) return LiteralValue::kWeak;
  // One short lowercase word or two joined by a hyphen (kubectl,
  // aws-vault): a name or a default more often than a chosen password.
  if ((secret.size() <= 10 &&
       all_of_class(secret, "abcdefghijklmnopqrstuvwxyz")) ||
      is_lowercase_code_name(secret))
    return LiteralValue::kWeak;
  return LiteralValue::kOrdinary;
}

}  // namespace

LiteralValue judge_literal_value(std::string_view secret) {
  const LiteralValue plain = judge_plain_value(secret);
  if (plain != LiteralValue::kOrdinary) return plain;
  if (const auto decoded = printable_base64(secret))
    return judge_plain_value(*decoded);
  return LiteralValue::kOrdinary;
}

}  // namespace sprawl::matcher
