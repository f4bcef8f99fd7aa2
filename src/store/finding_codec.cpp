// Tagged, length-prefixed encoding of findings for the store. Each field is
// one tag byte, the decimal byte length, ':' and the bytes; pairs are
// "key\0value". Decoding checks every length against the buffer.
#include "store/finding_codec.h"

#include "sprawl/util/hash.h"
#include "sprawl/util/json.h"

#include <openssl/evp.h>

#include <charconv>
#include <cstdio>

namespace sprawl::store::detail {
namespace {

// One tag per field. Never reuse a letter: old rows keep their meaning.
enum Tag : char {
  kRuleId = 'r', kRuleName = 'n', kProvider = 'p', kKind = 'k',
  kSeverity = 's', kConfidence = 'c', kSecret = 'S', kCapture = 'C',
  kEntropy = 'e', kFingerprint = 'f', kOffset = 'o', kGroup = 'g',
  kSource = 'L', kPath = 'P', kLine = 'l', kColumn = 'x', kEndLine = 'E',
  kEndColumn = 'X', kBlob = 'b', kProvCommit = 'm', kProvName = 'a',
  kProvEmail = 'A', kProvTime = 't', kProvSummary = 'y', kProvCommits = 'M',
  kProvPaths = 'Y', kUrl = 'u', kAttribute = 'T', kValStatus = 'v',
  kValDetail = 'd', kDecoded = 'D', kVerStatus = 'V', kVerReason = 'R',
  kVerIdentity = 'I', kVerScope = 'O', kVerExpiry = 'Z', kNote = 'N',
};

class Writer {
 public:
  void put(char tag, std::string_view value) {
    out_.push_back(tag);
    out_ += std::to_string(value.size());
    out_.push_back(':');
    out_.append(value);
  }
  void put_num(char tag, int64_t value) { put(tag, std::to_string(value)); }
  void put_pair(char tag, const std::pair<std::string, std::string>& kv) {
    std::string joined = kv.first;
    joined.push_back('\0');
    joined += kv.second;
    put(tag, joined);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

struct Field {
  char tag = 0;
  std::string_view value;
};

// Reads the next field; false at the end, error on malformed input.
Expected<bool> next_field(std::string_view& data, Field& field) {
  if (data.empty()) return false;
  field.tag = data[0];
  std::size_t colon = data.find(':', 1);
  if (colon == std::string_view::npos || colon == 1)
    return fail(make_error(ErrorCode::kStore, "corrupt finding record"));
  std::size_t length = 0;
  auto [ptr, ec] = std::from_chars(data.data() + 1, data.data() + colon,
                                   length);
  if (ec != std::errc() || ptr != data.data() + colon ||
      length > data.size() - colon - 1)
    return fail(make_error(ErrorCode::kStore, "corrupt finding record"));
  field.value = data.substr(colon + 1, length);
  data.remove_prefix(colon + 1 + length);
  return true;
}

int64_t to_int(std::string_view s) {
  int64_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

std::pair<std::string, std::string> to_pair(std::string_view s) {
  std::size_t nul = s.find('\0');
  if (nul == std::string_view::npos) return {std::string(s), {}};
  return {std::string(s.substr(0, nul)), std::string(s.substr(nul + 1))};
}

model::SourceKind parse_source(std::string_view name) {
  using model::SourceKind;
  for (SourceKind k : {SourceKind::kFile, SourceKind::kStdin, SourceKind::kGit,
                       SourceKind::kSlack, SourceKind::kJira,
                       SourceKind::kJsonl})
    if (model::source_kind_name(k) == name) return k;
  return SourceKind::kFile;
}

model::ValidationStatus parse_validation_status(std::string_view name) {
  using model::ValidationStatus;
  for (ValidationStatus s : {ValidationStatus::kUnchecked,
                             ValidationStatus::kValid,
                             ValidationStatus::kInvalid})
    if (model::validation_status_name(s) == name) return s;
  return ValidationStatus::kUnchecked;
}

void write_verification(Writer& w, const model::Verification& v) {
  w.put(kVerStatus, model::verification_status_name(v.status));
  if (!v.reason.empty()) w.put(kVerReason, v.reason);
  for (const auto& kv : v.identity) w.put_pair(kVerIdentity, kv);
  for (const auto& scope : v.scopes) w.put(kVerScope, scope);
  if (!v.expiry.empty()) w.put(kVerExpiry, v.expiry);
}

// Applies a verification field; false when the tag is not one.
bool read_verification(const Field& f, model::Verification& v) {
  switch (f.tag) {
    case kVerStatus: v.status = parse_verification_status(f.value); break;
    case kVerReason: v.reason = f.value; break;
    case kVerIdentity: v.identity.push_back(to_pair(f.value)); break;
    case kVerScope: v.scopes.emplace_back(f.value); break;
    case kVerExpiry: v.expiry = f.value; break;
    default: return false;
  }
  return true;
}

void write_location(Writer& w, const model::Location& loc) {
  w.put(kSource, model::source_kind_name(loc.source));
  w.put(kPath, loc.path);
  w.put_num(kLine, loc.line);
  w.put_num(kColumn, loc.column);
  w.put_num(kEndLine, loc.end_line);
  w.put_num(kEndColumn, loc.end_column);
  if (!loc.blob_id.empty()) w.put(kBlob, loc.blob_id);
  if (loc.provenance) {
    const model::Provenance& p = *loc.provenance;
    w.put(kProvCommit, p.commit);
    w.put(kProvName, p.author_name);
    w.put(kProvEmail, p.author_email);
    w.put_num(kProvTime, p.author_time);
    w.put(kProvSummary, p.summary);
    w.put_num(kProvCommits, p.other_commits);
    w.put_num(kProvPaths, p.other_paths);
  }
  if (!loc.url.empty()) w.put(kUrl, loc.url);
  for (const auto& kv : loc.attributes) w.put_pair(kAttribute, kv);
}

model::Provenance& provenance(model::Location& loc) {
  if (!loc.provenance) loc.provenance.emplace();
  return *loc.provenance;
}

// Applies a location field; false when the tag is not one.
bool read_location(const Field& f, model::Location& loc) {
  switch (f.tag) {
    case kSource: loc.source = parse_source(f.value); break;
    case kPath: loc.path = f.value; break;
    case kLine: loc.line = static_cast<uint32_t>(to_int(f.value)); break;
    case kColumn: loc.column = static_cast<uint32_t>(to_int(f.value)); break;
    case kEndLine:
      loc.end_line = static_cast<uint32_t>(to_int(f.value));
      break;
    case kEndColumn:
      loc.end_column = static_cast<uint32_t>(to_int(f.value));
      break;
    case kBlob: loc.blob_id = f.value; break;
    case kProvCommit: provenance(loc).commit = f.value; break;
    case kProvName: provenance(loc).author_name = f.value; break;
    case kProvEmail: provenance(loc).author_email = f.value; break;
    case kProvTime: provenance(loc).author_time = to_int(f.value); break;
    case kProvSummary: provenance(loc).summary = f.value; break;
    case kProvCommits:
      provenance(loc).other_commits = static_cast<uint32_t>(to_int(f.value));
      break;
    case kProvPaths:
      provenance(loc).other_paths = static_cast<uint32_t>(to_int(f.value));
      break;
    case kUrl: loc.url = f.value; break;
    case kAttribute: loc.attributes.push_back(to_pair(f.value)); break;
    default: return false;
  }
  return true;
}

// Applies a finding-level field (not location, not verification).
void read_finding_field(const Field& f, model::Finding& out) {
  switch (f.tag) {
    case kRuleId: out.rule_id = f.value; break;
    case kRuleName: out.rule_name = f.value; break;
    case kProvider: out.provider = f.value; break;
    case kKind:
      out.kind = model::parse_kind(f.value).value_or(
          model::Kind::kGenericSecret);
      break;
    case kSeverity:
      out.severity = model::parse_severity(f.value).value_or(
          model::Severity::kMedium);
      break;
    case kConfidence:
      out.confidence = model::parse_confidence(f.value).value_or(
          model::Confidence::kMedium);
      break;
    case kSecret: out.secret = f.value; break;
    case kCapture: out.captures.push_back(to_pair(f.value)); break;
    case kEntropy: out.entropy = std::strtod(std::string(f.value).c_str(),
                                             nullptr); break;
    case kFingerprint: out.fingerprint = f.value; break;
    case kNote: out.note = f.value; break;
    case kOffset: out.offset = static_cast<uint64_t>(to_int(f.value)); break;
    case kGroup: out.group_id = static_cast<uint64_t>(to_int(f.value)); break;
    case kValStatus:
      out.validation.status = parse_validation_status(f.value);
      break;
    case kValDetail: out.validation.detail = f.value; break;
    case kDecoded: out.validation.decoded.push_back(to_pair(f.value)); break;
    default: break;  // an unknown tag from a newer build: skip it
  }
}

}  // namespace

std::string encode_finding(const model::Finding& f) {
  Writer w;
  w.put(kRuleId, f.rule_id);
  w.put(kRuleName, f.rule_name);
  w.put(kProvider, f.provider);
  w.put(kKind, model::kind_name(f.kind));
  w.put(kSeverity, model::severity_name(f.severity));
  w.put(kConfidence, model::confidence_name(f.confidence));
  w.put(kSecret, f.secret);
  for (const auto& kv : f.captures) w.put_pair(kCapture, kv);
  char entropy[32];
  std::snprintf(entropy, sizeof entropy, "%.6f", f.entropy);
  w.put(kEntropy, entropy);
  w.put(kFingerprint, f.fingerprint);
  if (!f.note.empty()) w.put(kNote, f.note);
  w.put_num(kOffset, static_cast<int64_t>(f.offset));
  w.put_num(kGroup, static_cast<int64_t>(f.group_id));
  write_location(w, f.location);
  w.put(kValStatus, model::validation_status_name(f.validation.status));
  if (!f.validation.detail.empty()) w.put(kValDetail, f.validation.detail);
  for (const auto& kv : f.validation.decoded) w.put_pair(kDecoded, kv);
  write_verification(w, f.verification);
  return w.take();
}

Expected<model::Finding> decode_finding(std::string_view data) {
  model::Finding out;
  Field field;
  while (true) {
    auto more = next_field(data, field);
    if (!more) return fail(more.error());
    if (!*more) break;
    if (read_location(field, out.location)) continue;
    if (read_verification(field, out.verification)) continue;
    read_finding_field(field, out);
  }
  return out;
}

std::string encode_verification(const model::Verification& verification) {
  Writer w;
  write_verification(w, verification);
  return w.take();
}

Expected<model::Verification> decode_verification(std::string_view data) {
  model::Verification out;
  Field field;
  while (true) {
    auto more = next_field(data, field);
    if (!more) return fail(more.error());
    if (!*more) break;
    read_verification(field, out);
  }
  return out;
}

model::VerificationStatus parse_verification_status(std::string_view name) {
  using model::VerificationStatus;
  for (VerificationStatus s :
       {VerificationStatus::kNotChecked, VerificationStatus::kLive,
        VerificationStatus::kRevoked, VerificationStatus::kUnknown})
    if (model::verification_status_name(s) == name) return s;
  return VerificationStatus::kNotChecked;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  return sprawl::sha256_hex(data);
}

std::string json_quote(std::string_view s) {
  return sprawl::json_quote(s, true);
}

}  // namespace sprawl::store::detail
