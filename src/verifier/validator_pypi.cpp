// Offline PyPI token check: "pypi-" + a base64url macaroon in the v2 binary
// format (libmacaroons/pymacaroons): version byte 2, then fields of
// <type varint><length varint><bytes>, sections ended by a zero type.
#include <optional>

#include "verifier/offline_codec.h"
#include "verifier/validator_internal.h"

namespace sprawl::verifier::detail {
namespace {

using model::Finding;

constexpr uint64_t kEndOfSection = 0;
constexpr uint64_t kLocation = 1;
constexpr uint64_t kIdentifier = 2;
constexpr uint64_t kVerificationId = 4;
constexpr uint64_t kSignature = 6;
constexpr std::size_t kMaxCaveatText = 512;

struct Field {
  uint64_t type = kEndOfSection;
  std::string_view data;
};

class MacaroonReader {
 public:
  explicit MacaroonReader(std::string_view bytes) : rest_(bytes) {}

  bool at_end() const { return rest_.empty(); }

  /// The next field; a zero type (end of section) has no length or data.
  std::optional<Field> next() {
    Field field;
    std::optional<uint64_t> type = varint();
    if (!type) return std::nullopt;
    field.type = *type;
    if (field.type == kEndOfSection) return field;
    std::optional<uint64_t> length = varint();
    if (!length || *length > rest_.size()) return std::nullopt;
    field.data = rest_.substr(0, *length);
    rest_.remove_prefix(*length);
    return field;
  }

 private:
  std::optional<uint64_t> varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64 && !rest_.empty(); shift += 7) {
      auto byte = static_cast<unsigned char>(rest_.front());
      rest_.remove_prefix(1);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return std::nullopt;
  }

  std::string_view rest_;
};

bool is_printable(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

struct Macaroon {
  std::string_view location;
  std::string_view identifier;
  std::string caveats;  ///< first-party caveat texts joined by "; "
  int caveat_count = 0;
};

// One section: [location] identifier [verification id] end. Returns false
// on a malformed field; sets empty for a field-less section, which ends the
// caveat list.
bool read_section(MacaroonReader& reader, std::string_view& location,
                  std::string_view& identifier, bool& empty) {
  empty = true;
  while (true) {
    std::optional<Field> field = reader.next();
    if (!field) return false;
    if (field->type == kEndOfSection) return true;
    empty = false;
    if (field->type == kLocation)
      location = field->data;
    else if (field->type == kIdentifier)
      identifier = field->data;
    else if (field->type != kVerificationId)
      return false;
  }
}

std::optional<Macaroon> parse_macaroon(std::string_view bytes) {
  if (bytes.empty() || bytes.front() != 2) return std::nullopt;
  MacaroonReader reader(bytes.substr(1));
  Macaroon m;
  bool empty = false;
  if (!read_section(reader, m.location, m.identifier, empty) ||
      m.identifier.empty())
    return std::nullopt;

  while (true) {
    std::string_view location, identifier;
    if (!read_section(reader, location, identifier, empty)) return std::nullopt;
    if (empty) break;
    ++m.caveat_count;
    if (!is_printable(identifier) || m.caveats.size() > kMaxCaveatText)
      continue;
    if (!m.caveats.empty()) m.caveats += "; ";
    m.caveats += identifier;
  }

  std::optional<Field> signature = reader.next();
  if (!signature || signature->type != kSignature ||
      signature->data.size() != 32)
    return std::nullopt;
  return m;
}

}  // namespace

void check_pypi(Finding& finding, std::string_view secret) {
  std::optional<std::string> bytes = offline::base64_decode(secret.substr(5));
  if (!bytes) return set_invalid(finding, "macaroon is not base64url");
  std::optional<Macaroon> macaroon = parse_macaroon(*bytes);
  if (!macaroon) return set_invalid(finding, "not a v2 macaroon");

  add_decoded(finding, "pypi.location", std::string(macaroon->location));
  if (is_printable(macaroon->identifier))
    add_decoded(finding, "pypi.identifier", std::string(macaroon->identifier));
  add_decoded(finding, "pypi.caveat_count",
              std::to_string(macaroon->caveat_count));
  if (!macaroon->caveats.empty())
    add_decoded(finding, "pypi.caveats", std::move(macaroon->caveats));

  std::string_view location = macaroon->location;
  if (location != "pypi.org" && location != "test.pypi.org")
    return set_valid(finding, "macaroon decoded; location is not PyPI");
  set_valid(finding, "macaroon decoded");
}

}  // namespace sprawl::verifier::detail
