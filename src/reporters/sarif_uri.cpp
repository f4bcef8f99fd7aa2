// SARIF artifact URIs (see sarif_uri.h). Uses std::filesystem's lexical
// operations with error codes only: nothing here touches the disk except
// reading the current directory.
#include "reporters/sarif_uri.h"

#include <fmt/core.h>

#include <filesystem>
#include <system_error>

namespace sprawl::reporters {
namespace {

namespace fs = std::filesystem;

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

fs::path absolute_normal(std::string_view path) {
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(path), ec);
  if (ec) abs = fs::path(path);
  return abs.lexically_normal();
}

// The relative path, or empty when path is not under base.
std::string relative_to(std::string_view path, std::string_view base) {
  const fs::path rel =
      absolute_normal(path).lexically_relative(absolute_normal(base));
  if (rel.empty() || rel == ".") return {};
  if (*rel.begin() == "..") return {};
  return rel.generic_string();
}

std::string strip_dot_slash(std::string_view path) {
  const std::string normal = fs::path(path).lexically_normal().generic_string();
  if (normal.empty() || normal == ".") return std::string(path);
  return normal;
}

}  // namespace

std::string percent_encode_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || c == '/')
      out.push_back(ch);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

ArtifactUri artifact_uri(const model::Location& loc,
                         std::string_view base_dir) {
  const bool absolute = !loc.path.empty() && loc.path.front() == '/';
  if (!base_dir.empty() && loc.source != model::SourceKind::kGit) {
    const std::string rel = relative_to(loc.path, base_dir);
    if (!rel.empty()) return {percent_encode_path(rel), true};
  }
  if (absolute) {
    const std::string normal =
        fs::path(loc.path).lexically_normal().generic_string();
    return {"file://" + percent_encode_path(normal), false};
  }
  // A relative path that does not resolve under base_dir from the current
  // directory is taken to be relative to the scan root already (git paths
  // always are), unless it climbs out of it.
  const std::string normal = strip_dot_slash(loc.path);
  const bool escapes = normal == ".." || normal.rfind("../", 0) == 0;
  return {percent_encode_path(normal), !escapes};
}

std::string scan_root(std::string_view base_dir) {
  std::error_code ec;
  if (base_dir.empty() || !fs::is_regular_file(fs::path(base_dir), ec))
    return std::string(base_dir);
  const fs::path parent = fs::path(base_dir).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string base_dir_uri(std::string_view base_dir) {
  if (base_dir.empty()) return {};
  std::string path = absolute_normal(base_dir).generic_string();
  if (path.empty() || path.back() != '/') path.push_back('/');
  return "file://" + percent_encode_path(path);
}

}  // namespace sprawl::reporters
