// Source: the interface every input kind (files, git, Slack, Jira, JSONL)
// implements. The pipeline pulls cheap tasks serially, loads them on worker
// threads into blobs, and lets the source annotate findings at the end.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sprawl/model/blob.h"
#include "sprawl/model/finding.h"

namespace sprawl::sources {

/// One unit of work. Its meaning is the source's: a file path, a blob id, a
/// zip entry read into `data`. Tasks are bounded in flight by the pipeline.
struct Task {
  uint64_t id = 0;
  std::string path;
  std::string data;
  uint64_t size_hint = 0;
};

/// Receives each blob a task yields. Called on the loading thread; the blob
/// and its bytes are valid only during the call.
using BlobVisitor = std::function<void(const model::Blob&)>;

class Source {
 public:
  virtual ~Source() = default;

  /// Produces the next task; false when the source is exhausted. Called
  /// serially, from one thread at a time. Should be cheap (no scanning).
  virtual bool next(Task& task) = 0;

  /// Reads the task's content and calls visit for each blob. Called
  /// concurrently from worker threads: implementations keep per-thread
  /// state (file buffers, repository handles). Failures go to Diagnostics.
  virtual void load(Task& task, const BlobVisitor& visit) = 0;

  /// Called once after every task was scanned, serially, with all findings
  /// of this source: fills provenance, permalinks, dedups per-export tokens.
  virtual void finish(std::vector<model::Finding>& findings) {
    (void)findings;
  }

  /// Bytes and units read so far, for progress. Thread-safe.
  virtual uint64_t bytes_read() const { return 0; }

  /// Inputs found inside this one that another source reads better (a
  /// Slack or Jira export inside a scanned directory). The pipeline opens
  /// each with open_source() after this source is done.
  virtual std::vector<std::string> nested_inputs() const { return {}; }
};

}  // namespace sprawl::sources
