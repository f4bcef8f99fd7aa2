// JSON and JSONL reporters. JSON is one array of finding objects, written as
// findings arrive so memory stays flat; JSONL is one compact object per line,
// flushed per line so a consumer can follow a long scan. Neither carries the
// summary: stdout stays a single well-formed document (docs/output.md).
#include <string>

#include "reporters/finding_json.h"
#include "reporters/reporter_factories.h"

namespace sprawl::reporters {
namespace {

constexpr int kIndentSpaces = 2;

class JsonReporter final : public Reporter {
 public:
  JsonReporter(std::ostream& out, const ReportOptions& options)
      : out_(out), options_(options) {}

  void begin() override {
    out_ << '[';
    begun_ = true;
  }

  void add(const model::Finding& finding) override {
    if (!begun_) begin();
    buffer_.clear();
    buffer_ += count_++ == 0 ? "\n  " : ",\n  ";
    JsonWriter json(buffer_, kIndentSpaces, 1);
    write_finding_json(json, finding, options_.show_secrets);
    out_ << buffer_;
  }

  void end(const ScanSummary& summary) override {
    if (!begun_) begin();
    out_ << (count_ == 0 ? "]\n" : "\n]\n");
    out_.flush();
  }

 private:
  std::ostream& out_;
  ReportOptions options_;
  std::string buffer_;
  uint64_t count_ = 0;
  bool begun_ = false;
};

class JsonlReporter final : public Reporter {
 public:
  JsonlReporter(std::ostream& out, const ReportOptions& options)
      : out_(out), options_(options) {}

  void add(const model::Finding& finding) override {
    buffer_.clear();
    JsonWriter json(buffer_, -1);
    write_finding_json(json, finding, options_.show_secrets);
    buffer_.push_back('\n');
    out_ << buffer_;
    out_.flush();
  }

  void end(const ScanSummary& summary) override { out_.flush(); }

 private:
  std::ostream& out_;
  ReportOptions options_;
  std::string buffer_;
};

}  // namespace

std::unique_ptr<Reporter> make_json_reporter(std::ostream& out,
                                             const ReportOptions& options,
                                             bool lines) {
  if (lines) return std::make_unique<JsonlReporter>(out, options);
  return std::make_unique<JsonReporter>(out, options);
}

}  // namespace sprawl::reporters
