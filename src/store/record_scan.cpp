// record_scan: the usual way a finished scan is written to any Store, in
// batches so that a large scan neither holds one huge transaction nor pays
// a commit per finding.
#include <algorithm>

#include "sprawl/store/store.h"

namespace sprawl::store {

Expected<int64_t> record_scan(Store& store, const ScanStart& start,
                              const std::vector<model::Finding>& findings,
                              const ScanTotals& totals,
                              std::size_t batch_size) {
  auto scan = store.begin_scan(start);
  if (!scan) return fail(scan.error());
  batch_size = std::max<std::size_t>(batch_size, 1);
  std::vector<Sighting> batch;
  for (std::size_t i = 0; i < findings.size(); i += batch_size) {
    batch.clear();
    std::size_t end = std::min(findings.size(), i + batch_size);
    for (std::size_t j = i; j < end; ++j)
      batch.push_back({findings[j], findings[j].stored_identity, 0});
    SPRAWL_TRY(store.record_findings(*scan, batch));
  }
  SPRAWL_TRY(store.finish_scan(*scan, totals));
  return *scan;
}

}  // namespace sprawl::store
