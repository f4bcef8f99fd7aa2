// URIs for SARIF artifact locations: paths made relative to the scan root,
// with `/` separators and percent-encoding (RFC 3986), as code-scanning UIs
// need to match results to repository files.
#pragma once

#include <string>
#include <string_view>

#include "sprawl/model/location.h"

namespace sprawl::reporters {

/// path with every byte outside RFC 3986's unreserved set and `/` written
/// as %XX (upper-case hex).
std::string percent_encode_path(std::string_view path);

/// The uri of loc relative to base_dir, both resolved against the current
/// directory. Git paths, and relative paths that do not resolve under
/// base_dir, are taken as already relative to the scan root. Absolute paths
/// outside base_dir become file:// URIs. `relative` is true when the uri is
/// relative to the scan root (%SRCROOT%).
struct ArtifactUri {
  std::string uri;
  bool relative = true;
};
ArtifactUri artifact_uri(const model::Location& loc, std::string_view base_dir);

/// The directory URIs are relative to: base_dir itself, or its parent when
/// base_dir names a regular file (a scan of a single file). One stat call.
std::string scan_root(std::string_view base_dir);

/// "file:///abs/base/" for %SRCROOT%, or empty when base_dir is empty.
std::string base_dir_uri(std::string_view base_dir);

}  // namespace sprawl::reporters
