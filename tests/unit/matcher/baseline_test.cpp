// Tests of baseline files: identity by rule, path and keyed secret hash.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sys/stat.h>

#include "sprawl/matcher/baseline.h"

using namespace sprawl;

namespace {
model::Finding finding(std::string rule, std::string path, std::string secret,
                       uint32_t line) {
  model::Finding f;
  f.rule_id = std::move(rule);
  f.location.path = std::move(path);
  f.location.line = line;
  f.secret = std::move(secret);
  return f;
}
}  // namespace

TEST_CASE("A baseline survives a save and load and ignores line numbers",
          "[matcher][baseline]") {
  const auto path = std::filesystem::temp_directory_path() /
                    ("sprawl-baseline-" + std::to_string(::getpid()));
  auto b = matcher::Baseline::create();
  b.add(finding("r1", "./src/a.py", "s3cr3t-Q8vN3kZr", 10));
  REQUIRE(b.save(path.string()));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto loaded = matcher::Baseline::load(path.string());
  REQUIRE(loaded);
  CHECK(loaded->contains(finding("r1", "src/a.py", "s3cr3t-Q8vN3kZr", 99)));
  CHECK_FALSE(loaded->contains(finding("r1", "src/a.py", "other-secret", 10)));
  CHECK_FALSE(loaded->contains(finding("r2", "src/a.py", "s3cr3t-Q8vN3kZr", 10)));
  CHECK_FALSE(loaded->contains(finding("r1", "src/b.py", "s3cr3t-Q8vN3kZr", 10)));
  std::filesystem::remove(path);
}

TEST_CASE("The baseline file never holds the plain secret",
          "[matcher][baseline]") {
  const auto path = std::filesystem::temp_directory_path() /
                    ("sprawl-baseline-plain-" + std::to_string(::getpid()));
  auto b = matcher::Baseline::create();
  b.add(finding("r1", "a", "hunter2-Q8vN3k", 1));
  REQUIRE(b.save(path.string()));
  std::FILE* f = std::fopen(path.c_str(), "rb");
  std::string bytes(4096, '\0');
  bytes.resize(std::fread(bytes.data(), 1, bytes.size(), f));
  std::fclose(f);
  CHECK(bytes.find("hunter2") == std::string::npos);
  std::filesystem::remove(path);
}

TEST_CASE("A malformed baseline is an error naming the file",
          "[matcher][baseline]") {
  const auto path = std::filesystem::temp_directory_path() /
                    ("sprawl-baseline-bad-" + std::to_string(::getpid()));
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fputs("{\"key\": 1}", f);
  std::fclose(f);
  auto loaded = matcher::Baseline::load(path.string());
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().input == path.string());
  std::filesystem::remove(path);
}
