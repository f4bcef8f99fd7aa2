// Tests of the generic JSONL document source (issue 5): data and data_b64
// lines are scanned with their metadata passed through to the location.
#include "sprawl/sources/jsonl_source.h"

#include <catch2/catch.hpp>

#include "archive_test_helpers.h"
#include "sprawl/sources/open.h"

namespace sprawl {
namespace {

using namespace test_exports;

TEST_CASE("JSONL source reports each document with its metadata and link",
          "[jsonl]") {
  Diagnostics diagnostics;
  auto source = sources::make_jsonl_source(
      corpus_path("documents.jsonl").string(), {}, diagnostics);
  REQUIRE(source);
  auto blobs = drain(**source);
  require_all(blobs, load_checks("jsonl"), [](const Check&) { return true; });
  CHECK(diagnostics.skipped_count() == 0);
  REQUIRE(blobs.size() == 3);
  CHECK(blobs[0].location.source == model::SourceKind::kJsonl);
  CHECK(blobs[0].location.attributes.front().first == "jsonl_line");
}

TEST_CASE(
    "JSONL source reports bad lines by file and line and scans the "
    "rest",
    "[jsonl]") {
  TempDir dir;
  fs::path file = dir.path / "docs.jsonl";
  write_file(file,
             "{\"data\": \"one xoxb-830274619502-4719305826147-Pq7Kd2Lm9Vx4"
             "Nz8Bt3Hs6Rw\"}\n"
             "{\"data\": \"unterminated\n"
             "{\"metadata\": {}}\n"
             "{\"data_b64\": \"***\"}\n"
             "{\"data\": \"five\", \"metadata\": {\"n\": 5, \"ok\": true}}\n");
  Diagnostics diagnostics;
  auto source = sources::make_jsonl_source(file.string(), {}, diagnostics);
  REQUIRE(source);
  auto blobs = drain(**source);
  std::vector<std::string> skipped;
  for (const auto& s : diagnostics.skipped_inputs()) skipped.push_back(s.input);
  std::sort(skipped.begin(), skipped.end());
  CHECK(skipped == std::vector<std::string>{file.string() + ":2",
                                            file.string() + ":3",
                                            file.string() + ":4"});
  REQUIRE(blobs.size() == 2);
  CHECK(blobs[1].location.attribute("jsonl_line") == "5");
  CHECK(blobs[1].location.attribute("n") == "5");
  CHECK(blobs[1].location.attribute("ok") == "true");
}

TEST_CASE("JSONL source skips a line longer than the limit by number",
          "[jsonl]") {
  TempDir dir;
  fs::path file = dir.path / "long.jsonl";
  write_file(file, "{\"data\": \"" + std::string(3 << 20, 'q') + "\"}\n" +
                       "{\"data\": \"after\"}\n");
  sources::SourceOptions options;
  options.max_file_bytes = 1 << 20;
  Diagnostics diagnostics;
  auto source = sources::make_jsonl_source(file.string(), options, diagnostics);
  REQUIRE(source);
  auto blobs = drain(**source);
  REQUIRE(diagnostics.skipped_inputs().size() == 1);
  CHECK(diagnostics.skipped_inputs()[0].input == file.string() + ":1");
  REQUIRE(blobs.size() == 1);
  CHECK(blobs[0].text == "after");
  CHECK(blobs[0].location.attribute("jsonl_line") == "2");
}

TEST_CASE("open_source uses the JSONL source when options.jsonl is set",
          "[jsonl]") {
  sources::SourceOptions options;
  options.jsonl = true;
  Diagnostics diagnostics;
  auto source = sources::open_source(corpus_path("documents.jsonl").string(),
                                     options, diagnostics);
  REQUIRE(source);
  auto blobs = drain(**source);
  REQUIRE(!blobs.empty());
  CHECK(blobs[0].location.source == model::SourceKind::kJsonl);
}

}  // namespace
}  // namespace sprawl
