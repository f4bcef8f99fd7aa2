// Google service-account JWT assertion (see gcp_jwt.h): JSON key parsing with
// simdjson, RS256 signing with OpenSSL EVP.
#include "verifier/gcp_jwt.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include <memory>

#include "verifier/live_digest.h"

namespace sprawl::verifier::detail {
namespace {

std::string unescape_newlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'r') {
      ++i;  // "\r\n" line ends in Windows-written key files
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string json_string(simdjson::dom::element root, const char* key) {
  std::string_view value;
  if (root[key].get(value) != simdjson::SUCCESS) return {};
  return std::string(value);
}

// JSON string escaping for the claim values (emails, URLs): only quotes,
// backslashes and control characters need it.
std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

Error key_error(std::string message) {
  return make_error(ErrorCode::kParse, std::move(message), "gcp");
}

}  // namespace

Expected<ServiceAccountKey> parse_service_account(std::string_view text) {
  ServiceAccountKey key;
  size_t brace = text.find('{');
  if (brace == text.npos) {
    key.private_key_pem = unescape_newlines(text);
    return key;
  }
  simdjson::dom::parser parser;
  simdjson::padded_string json(text.substr(brace));
  simdjson::dom::element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS)
    return fail(key_error("service-account key is not valid JSON"));
  key.client_email = json_string(root, "client_email");
  key.private_key_pem = unescape_newlines(json_string(root, "private_key"));
  key.private_key_id = json_string(root, "private_key_id");
  key.project_id = json_string(root, "project_id");
  if (key.private_key_pem.empty())
    return fail(key_error("service-account key has no private_key"));
  return key;
}

Expected<std::string> sign_service_account_jwt(const ServiceAccountKey& key,
                                               std::string_view audience,
                                               std::string_view scope,
                                               int64_t now_s) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(key.private_key_pem.data(),
                      static_cast<int>(key.private_key_pem.size())),
      BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr),
      EVP_PKEY_free);
  if (!pkey || EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA)
    return fail(key_error("service-account private key is not RSA PEM"));

  std::string header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"";
  if (!key.private_key_id.empty())
    header += ",\"kid\":" + json_quote(key.private_key_id);
  header += "}";
  std::string claims = "{\"iss\":" + json_quote(key.client_email) +
                       ",\"scope\":" + json_quote(scope) +
                       ",\"aud\":" + json_quote(audience) +
                       ",\"iat\":" + std::to_string(now_s) +
                       ",\"exp\":" + std::to_string(now_s + 600) + "}";
  std::string input = base64url(header) + "." + base64url(claims);

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  size_t length = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                         pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1)
    return fail(key_error("cannot sign the service-account assertion"));
  std::string signature(length, '\0');
  if (EVP_DigestSign(
          ctx.get(), reinterpret_cast<unsigned char*>(signature.data()),
          &length, reinterpret_cast<const unsigned char*>(input.data()),
          input.size()) != 1)
    return fail(key_error("cannot sign the service-account assertion"));
  signature.resize(length);
  return input + "." + base64url(signature);
}

}  // namespace sprawl::verifier::detail
